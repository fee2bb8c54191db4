package io.daebug.broker.journal;

import io.daebug.broker.journal.WriteFaults.Point;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a new version of a log whose bytes up to an offset are unchanged: a temporary file gets that prefix (a
 * kernel copy, {@code copy_file_range}, no trip through the heap) and the new end, and is renamed over the log, so
 * that a reader reading the whole file at any instant sees the old version or the new one, never a mix
 * (FORMAT.md §4; docs/big-logs.md). For a {@link Durability#DURABLE} write the temporary file is fsynced before the
 * rename and the folder after it; a {@link Durability#DURABLE_AFTER} one leaves both to the {@link PendingSync}
 * task it hands out. Text an agent appends to the replaced version through a descriptor it still holds is carried
 * over by {@link Orphans}. The copy is what a write costs beyond its own bytes, and the log's
 * history moves out ({@link History}) so that it stays small. Not thread-safe: one per log, used by one thread at a
 * time.
 */
final class TailWriter {
  private final Path file;
  private final DirSync dirSync;
  private final Orphans orphans;
  private final WriteFaults faults;
  /** The channel of the last version written {@link Durability#DURABLE_AFTER}, until {@link #takeSync}. */
  private PendingSync pending;
  /** The last version of this log handed out for an fsync: an earlier one's task, run later, has nothing to do. */
  private final java.util.concurrent.atomic.AtomicLong lastHandedOut = new java.util.concurrent.atomic.AtomicLong();

  TailWriter(Path file, DirSync dirSync, Orphans orphans, WriteFaults faults) {
    this.file = file;
    this.dirSync = dirSync;
    this.orphans = orphans;
    this.faults = faults;
  }

  /**
   * Replaces the bytes from {@code at} to the end of the log, {@code oldLength} of them as read with stamp
   * {@code before}, by {@code tail}.
   *
   * @param before the log's stamp when it was read; null when it did not exist (then {@code at} is 0)
   * @return the stamp of the content written (a later stat that differs means someone else changed the file),
   *     or null when the log changed since {@code before}: read it again and redo the edit
   */
  AtomicFiles.Stamp write(AtomicFiles.Stamp before, long at, int oldLength, byte[] tail, Durability durability)
      throws IOException {
    if (before != null && before.size() != at + oldLength) {
      return null;
    }
    try {
      return replace(before, at, tail, durability);
    } finally {
      faults.ended();
    }
  }

  private AtomicFiles.Stamp replace(AtomicFiles.Stamp before, long at, byte[] tail, Durability durability)
      throws IOException {
    FileChannel src = null;
    if (before != null) {
      try {
        src = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return null;
      }
    }
    Path tmp = AtomicFiles.temp(file);
    boolean moved = false;
    AtomicFiles.Stamp written = null;
    Path kept = null;
    FileChannel out = null;
    // The last bytes of the version the edit was made on, read before the check that it is still that version: what a
    // replaced version must still end with for its growth to count as an append (Orphans). Read after the rename, they
    // would be whatever an agent's save in place that raced the rename wrote there.
    byte[] replacedEnd = null;
    try {
      out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      for (long done = 0; done < at; ) {
        long n = src.transferTo(done, at - done, out);
        if (n <= 0) {
          return null; // the log got shorter than what was read: it changed
        }
        done += n;
      }
      AtomicFiles.writeFully(out, ByteBuffer.wrap(tail), at);
      if (durability == Durability.DURABLE) {
        out.force(true);
      }
      out.close();
      // a read-only descriptor of the new version, for its fsync after the rename (the version is not written again)
      out = durability == Durability.DURABLE_AFTER ? FileChannel.open(tmp, StandardOpenOption.READ) : null;
      if (src != null) {
        long from = Math.max(0, before.size() - Orphans.TAIL);
        replacedEnd = read(src, from, (int) (before.size() - from));
        if (replacedEnd.length != before.size() - from) {
          return null; // the log got shorter than what was read: it changed
        }
      }
      faults.at(Point.TEMP_WRITTEN);
      faults.checking();
      written = AtomicFiles.Stamp.of(tmp);
      Object ino = Orphans.inode(tmp);
      if (before != null) {
        // The version about to be replaced stays reachable until its appends are carried over (Orphans.keep), and
        // its link names the version replacing it, where those appends go.
        byte[] last = end(src, at, tail);
        if (last == null) {
          return null; // the log got shorter than what was read: it changed
        }
        try {
          kept = Orphans.keep(file, before.size(), Orphans.successor(ino, written.size(), last));
        } catch (NoSuchFileException e) {
          return null; // gone for the moment (an editor between removing and writing it): read it again
        }
        if (kept != null && !Objects.equals(before, AtomicFiles.Stamp.of(kept))) {
          return null;
        }
      }
      if (!Objects.equals(before, AtomicFiles.Stamp.of(file))) {
        return null;
      }
      dirSync.ownVersions().writing(file, written);
      orphans.carrying(ino);
      AtomicFiles.move(tmp, file);
      moved = true;
      faults.ended();
      faults.at(Point.RENAMED);
      if (durability == Durability.DURABLE) {
        dirSync.sync();
        faults.at(Point.SYNCED);
      } else if (out != null) {
        // the new version's own descriptor: the task fsyncs that file, whatever replaced it since
        unsynced(new PendingSync(out, dirSync, faults, lastHandedOut));
        out = null;
      }
      return written;
    } finally {
      if (out != null) {
        out.close();
      }
      if (!moved) {
        Files.deleteIfExists(tmp);
        if (kept != null) {
          Files.deleteIfExists(kept);
        }
      }
      if (src != null) {
        if (moved) {
          orphans.adopt(src, before.size(), replacedEnd, written.key(), written.size(), kept);
        } else {
          src.close();
        }
      }
    }
  }

  /**
   * The task that makes the last {@link Durability#DURABLE_AFTER} write durable, once: null when there is none (the
   * write wrote nothing, or was not {@code DURABLE_AFTER}). The caller runs it (on any thread), or closes it.
   */
  PendingSync takeSync() {
    PendingSync s = pending;
    pending = null;
    return s;
  }

  /** A newer version holds everything an earlier one of the same write did: only the newest needs its fsync. */
  private void unsynced(PendingSync sync) {
    if (pending != null) {
      pending.close();
    }
    pending = sync;
  }

  /**
   * The last bytes (at most {@link Orphans#TAIL}) of the new version: {@code src}'s first {@code at}, then {@code tail};
   * null when {@code src} is no longer {@code at} bytes long (rewritten since it was read).
   */
  private static byte[] end(FileChannel src, long at, byte[] tail) throws IOException {
    int fromTail = Math.min(tail.length, Orphans.TAIL);
    int fromSrc = (int) Math.min(at, Orphans.TAIL - fromTail);
    byte[] out = new byte[fromSrc + fromTail];
    byte[] before = read(src, at - fromSrc, fromSrc);
    if (before.length < fromSrc) {
      return null;
    }
    System.arraycopy(before, 0, out, 0, fromSrc);
    System.arraycopy(tail, tail.length - fromTail, out, fromSrc, fromTail);
    return out;
  }

  private static byte[] read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (ch.read(buf, at + buf.position()) < 0) {
        break;
      }
    }
    return buf.position() == length ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
  }
}

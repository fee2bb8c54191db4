package io.daebug.broker.journal;

import io.daebug.broker.journal.WriteFaults.Point;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the end of a log, from a byte offset on, without rewriting or re-reading what lies above it, so a
 * write costs the same on a big log as on a small one. Two protocols, chosen by how much lies above:
 *
 * <ul>
 *   <li><b>Whole-file</b> (small logs, below {@code inPlaceAbove}): a temporary file gets the unchanged
 *       prefix (copied by the kernel) and the new end, is fsynced, and is renamed over the log if the log
 *       did not change meanwhile; the folder fsync follows off the caller's thread. A reader or a crash sees
 *       the old file or the new one. Text appended to the replaced version is carried over by {@link Orphans}.
 *   <li><b>In place</b> (big logs): a {@link RedoRecord} of the write is made durable, then the old end is
 *       overwritten, the rest appended with {@code O_APPEND} (so an agent's concurrent {@code >>} append is
 *       never overwritten; one that lands between the two steps is moved after the broker's text), or the
 *       file truncated, then fsynced. A crash in between is finished from the record by the next broker, so
 *       after a restart the log holds the old or the new content. A reader that reads in the microseconds
 *       of the write can see it half done.
 * </ul>
 *
 * Both check first that the log is still the version the edit was computed from, and report a change so
 * the caller redoes the edit on the new content. Not thread-safe: one per log, on the journal thread.
 */
final class TailWriter {
  private static final Logger log = LoggerFactory.getLogger(TailWriter.class);

  private final Path file;
  private final Path record;
  private final DirSync dirSync;
  private final Orphans orphans;
  private final WriteFaults faults;
  private final long inPlaceAbove;

  TailWriter(Path file, DirSync dirSync, Orphans orphans, WriteFaults faults, long inPlaceAbove) {
    this.file = file;
    this.record = RedoRecord.of(file);
    this.dirSync = dirSync;
    this.orphans = orphans;
    this.faults = faults;
    this.inPlaceAbove = inPlaceAbove;
  }

  /**
   * Replaces the bytes from {@code at} to the end of the log, {@code old} as read with stamp {@code before},
   * by {@code tail}.
   *
   * @param before the log's stamp when it was read; null when it did not exist (then {@code at} is 0)
   * @return the stamp of the content written (a later stat that differs means someone else changed the file),
   *     or null when the log changed since {@code before}: read it again and redo the edit
   */
  AtomicFiles.Stamp write(AtomicFiles.Stamp before, long at, byte[] old, byte[] tail) throws IOException {
    if (before != null && before.size() != at + old.length) {
      return null;
    }
    if (before == null || at < inPlaceAbove) {
      return wholeFile(before, at, tail);
    }
    return inPlace(before, at, old, tail);
  }

  private AtomicFiles.Stamp wholeFile(AtomicFiles.Stamp before, long at, byte[] tail) throws IOException {
    FileChannel src = null;
    if (before != null) {
      try {
        src = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return null;
      }
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (long done = 0; done < at; ) {
          long n = src.transferTo(done, at - done, out);
          if (n <= 0) {
            return null; // the log got shorter than what was read: it changed
          }
          done += n;
        }
        RedoRecord.writeFully(out, ByteBuffer.wrap(tail), at);
        out.force(true);
      }
      faults.at(Point.TEMP_SYNCED);
      if (!Objects.equals(before, AtomicFiles.Stamp.of(file))) {
        return null;
      }
      AtomicFiles.Stamp written = AtomicFiles.Stamp.of(tmp);
      AtomicFiles.move(tmp, file);
      moved = true;
      faults.at(Point.RENAMED);
      dirSync.request();
      return written;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
      if (src != null) {
        if (moved) {
          orphans.adopt(src, before.size());
        } else {
          src.close();
        }
      }
    }
  }

  private AtomicFiles.Stamp inPlace(AtomicFiles.Stamp before, long at, byte[] old, byte[] tail) throws IOException {
    long end = at + tail.length;
    try (FileChannel rw = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel append = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      if (!Objects.equals(before, AtomicFiles.Stamp.of(file))) {
        return null; // changed, or renamed over: the channels may be another version
      }
      byte[] guard = read(rw, Math.max(0, at - RedoRecord.GUARD), (int) Math.min(at, RedoRecord.GUARD));
      RedoRecord.write(record, new RedoRecord.Entry(at, guard, old, tail));
      faults.at(Point.REDO_SYNCED);
      int within = Math.min(old.length, tail.length);
      int n = pageCut(at, within, faults.cut(Point.OVERWRITING, within));
      RedoRecord.writeFully(rw, ByteBuffer.wrap(tail, 0, n), at);
      if (n < within) {
        faults.at(Point.OVERWRITING);
      }
      faults.at(Point.OVERWRITTEN);
      long oldEnd = at + old.length;
      if (tail.length > old.length) {
        grow(rw, append, oldEnd, Arrays.copyOfRange(tail, within, tail.length));
      } else if (tail.length < old.length) {
        shrink(rw, end, oldEnd);
      }
      faults.at(Point.TAIL_WRITTEN);
      rw.force(false);
      faults.at(Point.SYNCED);
    }
    RedoRecord.clear(record);
    AtomicFiles.Stamp after = AtomicFiles.Stamp.of(file);
    if (after == null || after.size() == end) {
      return after;
    }
    // An agent appended while the broker wrote: its text is in the file, not yet read.
    return new AtomicFiles.Stamp(end, after.modified(), after.key());
  }

  /** Appends the rest of a growing region; an agent's append that got in first is moved after it. */
  private void grow(FileChannel rw, FileChannel append, long oldEnd, byte[] more) throws IOException {
    int n = pageCut(oldEnd, more.length, faults.cut(Point.APPENDING, more.length));
    ByteBuffer buf = ByteBuffer.wrap(more, 0, n);
    while (buf.hasRemaining()) {
      append.write(buf);
    }
    if (n < more.length) {
      faults.at(Point.APPENDING);
    }
    long size = rw.size();
    if (size == oldEnd + more.length) {
      return;
    }
    byte[] after = read(rw, oldEnd, (int) (size - oldEnd));
    int mine = RedoRecord.indexOf(after, more);
    if (mine > 0) {
      // [agent's text][broker's] -> [broker's][agent's]: same length, so nothing appended later is touched.
      byte[] fixed = new byte[mine + more.length];
      System.arraycopy(more, 0, fixed, 0, more.length);
      System.arraycopy(after, 0, fixed, more.length, mine);
      RedoRecord.writeFully(rw, ByteBuffer.wrap(fixed), oldEnd);
      log.info("an agent appended to {} while the broker wrote; its text was moved below the broker's", file);
    } else if (mine < 0) {
      log.warn("{} changed while the broker appended to it; the broker's text may be out of place", file);
    }
  }

  /**
   * How much of a write of {@code length} bytes at {@code offset} a fault lets through: all of it, or (for
   * a cut of {@code allowed} bytes) the part up to the last page boundary of the file within it, which is
   * where the kernel stops a write that a kill interrupts.
   */
  private static int pageCut(long offset, int length, int allowed) {
    if (allowed >= length) {
      return length;
    }
    long cut = RedoRecord.pageStart(offset + Math.max(0, allowed));
    return (int) Math.max(0, cut - offset);
  }

  /** Cuts the file to {@code end}, moving down whatever an agent appended after {@code oldEnd} meanwhile. */
  private static void shrink(FileChannel rw, long end, long oldEnd) throws IOException {
    while (true) {
      long size = rw.size();
      if (size <= oldEnd) {
        rw.truncate(end);
        return;
      }
      byte[] appended = read(rw, oldEnd, (int) (size - oldEnd));
      RedoRecord.writeFully(rw, ByteBuffer.wrap(appended), end);
      end += appended.length;
      oldEnd = size;
    }
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

  /** Removes the record of the last in-place write (the log is closed; every write finished). */
  void close() throws IOException {
    Files.deleteIfExists(record);
  }
}

package io.daebug.broker.journal;

import io.daebug.broker.journal.WriteFaults.Point;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the end of a log, from a byte offset on, without rewriting or re-reading what lies above it, so a
 * write costs the same on a big log as on a small one (docs/big-logs.md):
 *
 * <ul>
 *   <li><b>In place</b> (the default): a {@link RedoRecord} of the write is made durable; the log is checked to
 *       be the version the edit was made on; the room a longer end needs is reserved at the end with an
 *       {@code O_APPEND} write of a filler (a line of spaces and tabs, which reads as blank), so an agent's
 *       concurrent {@code >>} append is never overwritten; the new end and whatever agents appended around the
 *       room go over the old end in one write; a shorter end is truncated; the log is fsynced and the record
 *       removed. Between any two steps a reader sees the old or the new log (with at most a blank line at its
 *       end), and a crash is finished from the record by the next broker.
 *   <li><b>Whole file</b> (logs smaller than {@code inPlaceAbove} above the write, a log that does not exist
 *       yet): a temporary file gets the unchanged prefix (a kernel copy) and
 *       the new end, is fsynced, checked and renamed over the log; the folder fsync follows off the caller's
 *       thread. Text appended to the replaced version is carried over by {@link Orphans}.
 * </ul>
 *
 * Both report a change since the read so the caller redoes the edit on the new content. Not thread-safe: one per
 * log, on the journal thread.
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
    try {
      if (before == null || at < inPlaceAbove) {
        return wholeFile(before, at, tail);
      }
      return inPlace(before, at, old, tail);
    } finally {
      faults.ended();
    }
  }

  private AtomicFiles.Stamp wholeFile(AtomicFiles.Stamp before, long at, byte[] tail) throws IOException {
    FileChannel src = null;
    if (before != null) {
      try {
        src = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
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
      faults.checking();
      if (!Objects.equals(before, AtomicFiles.Stamp.of(file))) {
        return null;
      }
      AtomicFiles.Stamp written = AtomicFiles.Stamp.of(tmp);
      AtomicFiles.move(tmp, file);
      moved = true;
      faults.ended();
      faults.at(Point.RENAMED);
      dirSync.request();
      return written;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
      if (src != null) {
        if (moved) {
          long from = Math.max(0, before.size() - Orphans.TAIL);
          orphans.adopt(src, before.size(), read(src, from, (int) (before.size() - from)));
        } else {
          src.close();
        }
      }
    }
  }

  private AtomicFiles.Stamp inPlace(AtomicFiles.Stamp before, long at, byte[] old, byte[] tail) throws IOException {
    long oldEnd = at + old.length;
    int grow = tail.length - old.length;
    // Room the write needs at the end, or the part of the old end it no longer needs: a whitespace line, which
    // reads as a blank line below the footer (nothing), so that every state between two steps is a valid log.
    byte[] filler = grow > 0 || (grow < 0 && endsWithLineBreak(tail)) ? filler(Math.abs(grow)) : new byte[0];
    byte[] agents = new byte[0];
    AtomicFiles.Stamp after;
    try (FileChannel rw = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
        FileChannel append = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
            LinkOption.NOFOLLOW_LINKS)) {
      byte[] guard = read(rw, Math.max(0, at - RedoRecord.GUARD), (int) Math.min(at, RedoRecord.GUARD));
      RedoRecord.write(record, new RedoRecord.Entry(at, guard, old, tail, filler));
      // The check comes after the record's fsync, right before the writes, so that an agent's save has only
      // the microseconds of the next few system calls to slip in between.
      faults.checking();
      if (!Objects.equals(before, AtomicFiles.Stamp.of(file))) {
        RedoRecord.clear(record);
        return null; // changed, or renamed over: the channels may be another version
      }
      faults.at(Point.REDO_SYNCED);
      byte[] over = tail;
      if (grow > 0) {
        // Reserve the room with O_APPEND, so an agent's concurrent >> append is never overwritten; then one
        // write puts the new end in place, followed by whatever agents appended meanwhile.
        int n = pageCut(oldEnd, filler.length, faults.cut(Point.APPENDING, filler.length));
        ByteBuffer buf = ByteBuffer.wrap(filler, 0, n);
        while (buf.hasRemaining()) {
          append.write(buf);
        }
        if (n < filler.length) {
          faults.at(Point.APPENDING);
        }
        faults.at(Point.RESERVED);
        agents = appendedAround(rw, oldEnd, filler);
        over = agents == null ? null : agents.length == 0 ? tail : concat(tail, agents);
      } else if (grow < 0 && filler.length > 0) {
        over = concat(tail, filler); // same size: one write, then the truncate drops the filler
      }
      // Looked at again right before the overwrite: a save that replaced the content since the check (which only
      // a filler, a blank line, has touched yet) keeps it, and the edit is redone on it.
      if (over == null || !Arrays.equals(read(rw, at - guard.length, guard.length + old.length), concat(guard, old))) {
        RedoRecord.clear(record);
        return null;
      }
      int n = pageCut(at, over.length, faults.cut(Point.OVERWRITING, over.length));
      RedoRecord.writeFully(rw, ByteBuffer.wrap(over, 0, n), at);
      if (n < over.length) {
        faults.at(Point.OVERWRITING);
      }
      faults.at(Point.OVERWRITTEN);
      if (grow < 0) {
        shrink(rw, at + tail.length, oldEnd, filler.length > 0);
      }
      faults.at(Point.TAIL_WRITTEN);
      // The stamp before the fsync (which changes neither size nor time): a save that lands during the fsync
      // then shows as a change, however long the fsync takes.
      after = AtomicFiles.Stamp.of(file);
      if (after != null && !Objects.equals(after.key(), before.key())) {
        // Renamed over since the check: what is there now is an agent's file, not yet read.
        after = new AtomicFiles.Stamp(-1, after.modified(), before.key());
      }
      faults.ended();
      rw.force(false);
      faults.at(Point.SYNCED);
    }
    long end = at + tail.length;
    RedoRecord.clear(record);
    if (after != null && after.size() == end && after.equals(AtomicFiles.Stamp.of(file))) {
      // After the fsync: set before it, the time made BigLogBench 0.7 ms slower a job (the fsync commits the journal).
      after = touch(after);
    }
    if (after == null || after.size() == end) {
      return after;
    }
    // An agent appended while the broker wrote: its text is in the file, not yet read.
    return new AtomicFiles.Stamp(end, after.modified(), after.key());
  }

  /**
   * Gives the log a modification time of its own once a write in place is done. The kernel sets the time when a
   * write starts, before it copies the bytes (and on many kernels only to the last tick of a coarse clock), and an
   * overwrite keeps the size its reservation gave: whoever looked during the overwrite (a watcher that reads when a
   * stat changes, an editor checking whether the file changed on disk) could see the final size and time with the
   * old end, and never look again. The time is the clock's, at least a microsecond after the file's (so it always
   * changes); {@code now} is the file's stamp, as this writer left it.
   *
   * @return the file's stamp after the touch
   */
  private AtomicFiles.Stamp touch(AtomicFiles.Stamp now) throws IOException {
    // Whole microseconds, which every way of setting file times keeps exactly.
    Instant floor = now.modified().toInstant().truncatedTo(ChronoUnit.MICROS);
    Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (!t.isAfter(floor)) {
      t = floor.plus(1, ChronoUnit.MICROS);
    }
    FileTime time = FileTime.from(t);
    // Both times given, as touch(1) does: with one left out, the JDK stats the file first to keep the other.
    Files.getFileAttributeView(file, BasicFileAttributeView.class).setTimes(time, time, null);
    return new AtomicFiles.Stamp(now.size(), time, now.key());
  }

  /**
   * What agents appended around the broker's reservation (before or after it), in order; empty when nothing:
   * the file then ends with the reservation. Null when the reservation is gone: a save replaced the file's
   * content since the check.
   */
  private byte[] appendedAround(FileChannel rw, long oldEnd, byte[] filler) throws IOException {
    long size = rw.size();
    if (size == oldEnd + filler.length) {
      return new byte[0];
    }
    if (size < oldEnd + filler.length) {
      return null;
    }
    byte[] after = read(rw, oldEnd, (int) (size - oldEnd));
    int mine = RedoRecord.indexOf(after, filler);
    if (mine < 0) {
      return null;
    }
    log.info("an agent appended to {} while the broker wrote; its text goes below the broker's", file);
    return concat(Arrays.copyOfRange(after, 0, mine), Arrays.copyOfRange(after, mine + filler.length, after.length));
  }

  private static boolean endsWithLineBreak(byte[] b) {
    return b.length > 0 && (b[b.length - 1] == '\n' || b[b.length - 1] == '\r');
  }

  /** {@code n} bytes of spaces and tabs in a random order ending with a line feed: a line that reads as blank. */
  static byte[] filler(int n) {
    byte[] f = new byte[n];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < n - 1; i++) {
      f[i] = r.nextBoolean() ? (byte) ' ' : (byte) '\t';
    }
    if (n > 0) {
      f[n - 1] = '\n';
    }
    return f;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
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

  /**
   * Cuts the file to {@code end} unless an agent appended after {@code oldEnd} meanwhile: then the filler (a
   * blank line) stays between the broker's text and the agent's, or without one the agent's text is moved down.
   */
  private static void shrink(FileChannel rw, long end, long oldEnd, boolean filled) throws IOException {
    while (true) {
      long size = rw.size();
      if (size <= oldEnd) {
        rw.truncate(end);
        return;
      }
      if (filled) {
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

package io.daebug.broker.journal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redo record of an in-place log write ({@link TailWriter}): where the write starts, the bytes it
 * replaces and the bytes it writes, made durable before the log is touched. A crash in the middle of the
 * write leaves the log's live region part old, part new; the next broker to open the log finishes the
 * write from this record, keeping whatever an agent appended meanwhile, so a crash at any instant ends in
 * the old or the new content (FORMAT.md §4). The record is the dotfile {@code .<log>.redo} beside the log
 * (never served, never watched); a cleared or torn record (bad checksum) means no write was in flight.
 */
public final class RedoRecord {
  private static final Logger log = LoggerFactory.getLogger(RedoRecord.class);
  private static final byte[] MAGIC = "DAEBUG-REDO-1\n".getBytes(StandardCharsets.US_ASCII);
  /** How many bytes before the write's start a record keeps, to recognise the file it was made for. */
  static final int GUARD = 4096;

  /**
   * A decoded record: the write replaced {@code old} at {@code at} (the file then ended at at + old.length) by
   * {@code tail}; {@code filler} is the blank line it reserved at the end (growing) or wrote over what it no
   * longer needs (shrinking), or empty.
   */
  record Entry(long at, byte[] guard, byte[] old, byte[] tail, byte[] filler) {}

  private RedoRecord() {}

  static Path of(Path logFile) {
    return logFile.resolveSibling("." + logFile.getFileName() + ".redo");
  }

  /**
   * Writes the record of a write and fsyncs it. The record is a new file each time, removed when the write is
   * done, so nothing stays beside the logs; its fsync commits its creation too on journalling file systems
   * (ext4, XFS), which is what a power loss needs (the log is touched only after it).
   */
  static void write(Path record, Entry e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + e.guard.length + e.old.length + e.tail.length
        + e.filler.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeLong(e.at);
      writeBlock(out, e.guard);
      writeBlock(out, e.old);
      writeBlock(out, e.tail);
      writeBlock(out, e.filler);
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    }
    if (Files.exists(record, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(record); // the broker's own file name, made a link or a FIFO by someone else: never opened
    }
    try (FileChannel ch = FileChannel.open(record, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writeFully(ch, ByteBuffer.wrap(bytes.toByteArray()), 0);
      ch.force(true);
    }
  }

  /** Removes the record: its write is complete and fsynced. */
  static void clear(Path record) throws IOException {
    Files.deleteIfExists(record);
  }

  private static void writeBlock(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  /** The record in {@code raw}, or null when it is cleared, torn or not a record. */
  static Entry decode(byte[] raw) {
    if (raw.length < MAGIC.length + 8 + 12 + 8 || !Arrays.equals(raw, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(raw);
    in.position(MAGIC.length);
    try {
      long at = in.getLong();
      byte[] guard = block(in);
      byte[] old = block(in);
      byte[] tail = block(in);
      byte[] filler = block(in);
      int end = in.position();
      long crc = in.getLong();
      CRC32C check = new CRC32C();
      check.update(raw, 0, end);
      return check.getValue() == crc && at >= 0 ? new Entry(at, guard, old, tail, filler) : null;
    } catch (RuntimeException e) {
      return null; // torn: lengths that run past the end
    }
  }

  private static byte[] block(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("bad length " + n);
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  /**
   * Finishes an in-place write a crash interrupted, if the record says one was in flight, and removes the
   * record. The log then holds the write's new content followed by whatever an agent appended since.
   *
   * @return true when the log was changed
   */
  static boolean recover(Path logFile) throws IOException {
    return recover(logFile, WriteFaults.NONE);
  }

  /**
   * {@link #recover(Path)}, reporting its write's window to {@code faults}. The log is replaced only if it is
   * still the version the finished content was made from (an agent may be saving it meanwhile): otherwise the
   * record is applied to the new content, or dropped when that is not a state the write could have left.
   */
  static boolean recover(Path logFile, WriteFaults faults) throws IOException {
    if (LogPaths.problem(logFile) != null || LogPaths.folderProblem(logFile.getParent()) != null) {
      return false; // a link, FIFO or folder at the log's path (a hostile folder): never written through
    }
    Path record = of(logFile);
    byte[] raw;
    try {
      raw = Files.readAllBytes(record);
    } catch (NoSuchFileException e) {
      return false;
    }
    Entry e = decode(raw);
    boolean changed = false;
    for (int attempt = 0; e != null && attempt < ATTEMPTS; attempt++) {
      AtomicFiles.Stamp stamp = AtomicFiles.Stamp.of(logFile);
      byte[] file = readOrNull(logFile);
      if (stamp == null || file == null) {
        break;
      }
      if (file.length != stamp.size()) {
        continue; // changed while read
      }
      byte[] tail = finished(file, e);
      if (tail == null) {
        log.warn("{} changed since a write that a crash interrupted; left as it is (redo record dropped)", logFile);
        break;
      }
      if (Arrays.equals(file, (int) e.at, file.length, tail, 0, tail.length)) {
        break;
      }
      byte[] out = Arrays.copyOf(file, (int) e.at + tail.length);
      System.arraycopy(tail, 0, out, (int) e.at, tail.length);
      faults.checking();
      try {
        if (AtomicFiles.replaceUnlessChanged(logFile, out, stamp, extra -> appendTo(logFile, extra))) {
          log.info("finished a write to {} that a crash interrupted", logFile);
          changed = true;
          break;
        }
      } finally {
        faults.ended();
      }
    }
    Files.deleteIfExists(record);
    return changed;
  }

  private static final int ATTEMPTS = 20;

  /** Appends bytes an agent appended to the version a recovery replaced (in the instant after its check). */
  private static void appendTo(Path logFile, byte[] extra) {
    try (FileChannel ch = FileChannel.open(logFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buf = ByteBuffer.wrap(extra);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    } catch (IOException ex) {
      log.warn("cannot carry {} bytes appended to {} during its recovery over: {}", extra.length, logFile, ex.toString());
    }
  }

  /**
   * Finishes every in-place write a crash interrupted in a log folder, also for logs whose realm never comes
   * back (a realm's log is also recovered when it connects). Run at start, before any log is written.
   */
  public static void recoverAll(Path folder) {
    try (java.nio.file.DirectoryStream<Path> records = Files.newDirectoryStream(folder, ".*.md.redo")) {
      for (Path r : records) {
        String name = r.getFileName().toString();
        Path logFile = folder.resolve(name.substring(1, name.length() - ".redo".length()));
        try {
          recover(logFile);
        } catch (IOException e) {
          log.warn("cannot finish the interrupted write to {}: {}", logFile, e.toString());
        }
      }
    } catch (NoSuchFileException e) {
      // no log folder yet
    } catch (IOException e) {
      log.warn("cannot look for interrupted writes in {}: {}", folder, e.toString());
    }
  }

  private static byte[] readOrNull(Path p) throws IOException {
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * What the log should hold from the write's start, given what it holds now: the write's new bytes, then
   * the bytes agents appended (the broker's filler taken out). Null when the file is not a state this write
   * could have left (someone rewrote it since).
   *
   * <p>A growing write reserves its room at the end ({@code O_APPEND}, the filler), then writes the new end
   * and the agents' appends over the old end and the room in one write; a shrinking one writes the new end
   * followed by the filler over the old end, then truncates; a kill cuts a write only at a page boundary.
   */
  static byte[] finished(byte[] file, Entry e) {
    int at = (int) e.at;
    if (e.at > file.length || at < e.guard.length
        || !Arrays.equals(file, at - e.guard.length, at, e.guard, 0, e.guard.length)) {
      return null;
    }
    boolean growing = e.tail.length > e.old.length;
    byte[] over = growing || e.filler.length == 0 ? e.tail : concat(e.tail, e.filler);
    int common = Arrays.mismatch(file, at, file.length, over, 0, over.length);
    if (common < 0) {
      common = over.length;
    }
    int oldEnd = at + e.old.length;
    if (common == over.length && !growing) {
      // Written, not truncated yet: the filler, or without one the old bytes past the new end, then the agents'.
      byte[] rest = slice(file, at + over.length, file.length);
      byte[] leftover = e.filler.length > 0 ? new byte[0] : slice(e.old, e.tail.length, e.old.length);
      boolean stale = leftover.length > 0 && rest.length >= leftover.length
          && Arrays.equals(rest, 0, leftover.length, leftover, 0, leftover.length);
      return concat(e.tail, stale ? slice(rest, leftover.length, rest.length) : rest);
    }
    if (common < e.old.length && file.length >= oldEnd
        && Arrays.equals(file, at + common, oldEnd, e.old, common, e.old.length)) {
      // The overwrite stopped within the old end or never started: the agents' bytes, and the reserved room.
      return concat(e.tail, withoutFiller(slice(file, oldEnd, file.length), e.filler, oldEnd));
    }
    if (common >= e.tail.length) {
      return slice(file, at, file.length); // done (and truncated): what follows the new end is the agents'
    }
    if (growing && common >= e.old.length) {
      // The overwrite reached into the reserved room (no agent appended before it): the rest of the room, then
      // the agents' bytes.
      int room = common - e.old.length;
      if (file.length >= oldEnd + e.filler.length
          && Arrays.equals(file, oldEnd + room, oldEnd + e.filler.length, e.filler, room, e.filler.length)) {
        return concat(e.tail, slice(file, oldEnd + e.filler.length, file.length));
      }
    }
    return null;
  }

  /** The agents' bytes from what followed the old end: the broker's reserved room (or what a kill left of it) taken out. */
  private static byte[] withoutFiller(byte[] after, byte[] filler, long oldEnd) {
    if (filler.length == 0) {
      return after;
    }
    int found = indexOf(after, filler);
    if (found >= 0) {
      return concat(slice(after, 0, found), slice(after, found + filler.length, after.length));
    }
    // A kill cut the reservation at a page boundary of the file: what it wrote up to there comes first.
    for (long n = pageStart(oldEnd + filler.length - 1) - oldEnd; n > 0; n -= PAGE) {
      if (n <= after.length && Arrays.equals(after, 0, (int) n, filler, 0, (int) n)) {
        return slice(after, (int) n, after.length);
      }
    }
    return after; // the reservation never started
  }

  /** The page size the kernel cuts interrupted writes at (4 KiB, or a multiple of it). */
  static final int PAGE = 4096;

  /** The start of the page that holds file offset {@code offset}. */
  static long pageStart(long offset) {
    return offset - Math.floorMod(offset, PAGE);
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return Arrays.copyOfRange(b, from, to);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

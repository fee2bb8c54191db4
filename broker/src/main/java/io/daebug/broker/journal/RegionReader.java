package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads one log's live region (see {@link LiveRegion}) instead of the whole file, and remembers where the region
 * is: its byte offset, the bytes just above it (the guard) and the bytes from it to the end as the broker last
 * read or wrote them. A read checks that both byte runs are still where they were (an agent's edit above that
 * adds or removes bytes moves them, an edit inside the old region changes them; appends below do not) and then
 * reads only from the offset on; otherwise it reads the whole file. Not thread-safe: one per {@link RealmLog}.
 */
final class RegionReader {
  /** What one read of the log saw: its stamp, and its bytes from {@code offset} (0 when whole) to the end. */
  record Snapshot(AtomicFiles.Stamp stamp, long offset, byte[] bytes) {
    boolean whole() {
      return offset == 0;
    }

    String text() {
      return bytes == null ? null : Utf8.decode(bytes);
    }
  }

  private record Region(long offset, byte[] guard, byte[] bytes) {}

  /** How many bytes above the region are kept to check it is still where it was. */
  static final int GUARD = 4096;

  private final Path file;
  /** Null: the next read takes the whole file. */
  private Region region;
  /** The bytes from {@link #seenAt} to the end as last read or written, to notice text merged unseen. */
  private byte[] seen;
  private long seenAt;
  private long regionReads;
  private long wholeReads;

  RegionReader(Path file) {
    this.file = file;
  }

  /**
   * Reads the log: its live region when the file is still {@code fileKey} and the region is where it was left,
   * else all of it. A missing file gives a snapshot with no bytes.
   */
  Snapshot read(boolean whole, Object fileKey) throws IOException {
    AtomicFiles.Stamp stamp = AtomicFiles.Stamp.of(file);
    if (stamp == null) {
      return new Snapshot(null, 0, null);
    }
    if (!whole && region != null && fileKey != null && Objects.equals(stamp.key(), fileKey)) {
      byte[] live = readRegion(region);
      if (live != null) {
        regionReads++;
        return new Snapshot(stamp, region.offset, live);
      }
    }
    try {
      wholeReads++;
      return new Snapshot(stamp, 0, readAll());
    } catch (NoSuchFileException e) {
      return new Snapshot(null, 0, null);
    }
  }

  /** The whole file, never through a symbolic link (the caller checked it is a regular file, see {@link LogPaths}). */
  private byte[] readAll() throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file, StandardOpenOption.READ,
        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return in.readAllBytes();
    }
  }

  /** The bytes from the region's offset to the end, or null when the region is no longer where it was. */
  private byte[] readRegion(Region r) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      long from = r.offset - r.guard.length;
      long size = ch.size();
      if (size < r.offset + r.bytes.length || size - from > Integer.MAX_VALUE) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
      while (buf.hasRemaining() && ch.read(buf, from + buf.position()) >= 0) {
        // read to the end as it was when sized
      }
      byte[] all = buf.array();
      int g = r.guard.length;
      if (!Arrays.equals(all, 0, g, r.guard, 0, g) || !Arrays.equals(all, g, g + r.bytes.length, r.bytes, 0, r.bytes.length)) {
        return null;
      }
      return Arrays.copyOfRange(all, g, buf.position());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * A whole-file snapshot, parsed as {@code doc}, cut down to its live region, so that the edit, the rendering
   * and the comparison cost only the region (the first read of a big adopted log parses it once).
   */
  Snapshot narrow(Snapshot whole, LogDocument doc) {
    remember(doc, 0, whole.bytes(), null);
    return region != null && region.offset > 0 ? new Snapshot(whole.stamp(), region.offset, region.bytes) : whole;
  }

  /** The guard above a snapshot of the region; null for a whole-file snapshot. */
  byte[] guardAbove(Snapshot s) {
    return s.whole() || region == null ? null : region.guard;
  }

  /** Whether a snapshot holds text beyond what the broker last read or wrote. */
  boolean unseenIn(Snapshot s) {
    if (seen == null || s.offset() > seenAt) {
      return true;
    }
    int from = (int) (seenAt - s.offset());
    return s.bytes().length - from != seen.length
        || !Arrays.equals(s.bytes(), from, s.bytes().length, seen, 0, seen.length);
  }

  /**
   * Remembers the content as read or written: the live region of {@code doc}, whose text is {@code bytes} from
   * offset {@code at} of the file, with {@code guardAbove} the bytes above {@code at} (null when {@code at} is 0).
   */
  void remember(LogDocument doc, long at, byte[] bytes, byte[] guardAbove) {
    int start = LiveRegion.start(doc);
    if (start < 0) {
      region = null;
      seen = bytes;
      seenAt = at;
      return;
    }
    int rel = (int) doc.byteLength(start);
    byte[] guard;
    if (rel >= GUARD || guardAbove == null) {
      guard = Arrays.copyOfRange(bytes, Math.max(0, rel - GUARD), rel);
    } else {
      int fromAbove = Math.min(guardAbove.length, GUARD - rel);
      guard = new byte[fromAbove + rel];
      System.arraycopy(guardAbove, guardAbove.length - fromAbove, guard, 0, fromAbove);
      System.arraycopy(bytes, 0, guard, fromAbove, rel);
    }
    byte[] live = Arrays.copyOfRange(bytes, rel, bytes.length);
    region = new Region(at + rel, guard, live);
    seen = live;
    seenAt = at + rel;
  }

  /** Takes over what {@code other} (a reader of the same file, used by no one else any more) knows. */
  void seedFrom(RegionReader other) {
    region = other.region;
    seen = other.seen;
    seenAt = other.seenAt;
  }

  /** Forgets the region: the file changed in a way a read must see whole (a recovery, a failed write). */
  void forget() {
    region = null;
  }

  /**
   * What this reader knows, for tests comparing two readers of a file: the region's offset (-1 for none), guard and
   * bytes, and the bytes last seen and their offset.
   */
  List<Object> state() {
    return region == null ? List.of(-1L, List.of(), List.of(), seenAt, Arrays.toString(seen))
        : List.of(region.offset, Arrays.toString(region.guard), Arrays.toString(region.bytes), seenAt,
            Arrays.toString(seen));
  }

  /** How many reads took only the live region, and how many the whole file. */
  long[] reads() {
    return new long[] {regionReads, wholeReads};
  }
}

package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link RealmLog#prime} for a big log without reading it whole (issue 12, item 8): a 200 MB log read into a byte
 * array, decoded and parsed into 4 million line strings took about 2 GB of heap on the primer thread, and the
 * collector's pauses stalled every realm. Here one scan of the file a chunk at a time ({@link HistoryScan}) finds the
 * live region and the history to move; the history goes into its part by a kernel copy from the log
 * ({@link History.Range}, durable before the log stops holding it); and only what stays in the log (the history's
 * last quarter, the link line, the live region) is read and parsed. The result is the one the whole-file path
 * ({@link RealmLog#primeWhole}) gives for the same file, byte for byte: the same parts, the same log, the same
 * region ({@code StreamedPrimePropertiesTest}). Where the scan cannot be sure (see {@link HistoryScan}) it gives
 * null and the caller reads the file whole.
 */
final class StreamedPrime {
  /** Logs from this size on are primed here; smaller ones are read whole, which costs little. */
  static final long FROM = 1L << 20;

  private StreamedPrime() {}

  /**
   * Primes {@code file}, moving its finished history out when it is past {@code options}' threshold and {@code move}
   * says so; null when the file is not there or the scan was not sure of it (then read it whole).
   */
  static RealmLog.Primed prime(Path file, WriteOptions options, boolean move) throws IOException {
    return prime(file, options, move, HistoryScan.CHECKPOINT_EVERY);
  }

  /** {@link #prime} with the scan's checkpoints this far apart (small in tests, so that the cut starts from one). */
  static RealmLog.Primed prime(Path file, WriteOptions options, boolean move, long checkpointEvery) throws IOException {
    AtomicFiles.Stamp stamp = AtomicFiles.Stamp.of(file);
    if (stamp == null) {
      return null;
    }
    boolean changed;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      HistoryScan scan = HistoryScan.of(ch, stamp.size(), checkpointEvery);
      if (scan == null) {
        return null;
      }
      History history = new History(file, options.historyAbove(), options.faults());
      if (!move || !history.due(scan.liveAt())) {
        return unmoved(file, ch, scan);
      }
      int linked = scan.linked();
      long fromAt = scan.fromAt(linked);
      long cutAt = scan.cut(ch, fromAt, history.keepFrom(scan.liveAt()));
      if (cutAt <= fromAt || !history.placeable()) {
        return unmoved(file, ch, scan);
      }
      int part = history.writeOut(Math.max(linked, 0), new History.Range(ch, fromAt, cutAt - fromAt));
      // The log from its top on: the link line and a blank line where the history was (LogDocument.replace), then
      // the rest as it was.
      byte[] link = Utf8.encode(history.link(part) + "\n\n");
      byte[] tail = new byte[Math.toIntExact(link.length + scan.size() - cutAt)];
      System.arraycopy(link, 0, tail, 0, link.length);
      readFully(ch, cutAt, ByteBuffer.wrap(tail, link.length, tail.length - link.length));
      long topAt = scan.topAt();
      long common = topAt + same(ch, topAt, scan.size(), tail);
      Orphans orphans = new Orphans();
      AtomicFiles.Stamp written;
      try (DirSync sync = new DirSync(file.getParent())) {
        int skip = (int) (common - topAt);
        written = new TailWriter(file, sync, orphans, options.faults()).write(stamp, common,
            Math.toIntExact(scan.size() - common), java.util.Arrays.copyOfRange(tail, skip, tail.length),
            Durability.DURABLE);
      }
      changed = written == null;
      if (!changed) {
        LogDocument doc = LogDocument.parse(Utf8.decode(tail), false);
        RegionReader r = new RegionReader(file);
        r.remember(doc, topAt, tail, guard(ch, topAt));
        return new RealmLog.Primed(file, r, doc.footer() >= 0, orphans);
      }
    }
    // Changed meanwhile: as the whole-file path does, the first write moves the history (its part is written again).
    RealmLog.Primed again = prime(file, options, false, checkpointEvery);
    return again != null ? again : RealmLog.primeWhole(file, options, false);
  }

  /** The history stays: only the live region is read and parsed. */
  private static RealmLog.Primed unmoved(Path file, FileChannel ch, HistoryScan scan) throws IOException {
    long liveAt = scan.liveAt();
    byte[] live = new byte[Math.toIntExact(scan.size() - liveAt)];
    readFully(ch, liveAt, ByteBuffer.wrap(live));
    LogDocument doc = LogDocument.parse(Utf8.decode(live), false);
    RegionReader r = new RegionReader(file);
    r.remember(doc, liveAt, live, guard(ch, liveAt));
    return new RealmLog.Primed(file, r, doc.footer() >= 0, new Orphans());
  }

  /** The bytes just above {@code at} that {@link RegionReader} keeps as the region's guard. */
  private static byte[] guard(FileChannel ch, long at) throws IOException {
    long from = Math.max(0, at - RegionReader.GUARD);
    byte[] out = new byte[(int) (at - from)];
    readFully(ch, from, ByteBuffer.wrap(out));
    return out;
  }

  /**
   * How many bytes from {@code at} the file (of {@code size} bytes) and {@code tail} have in common, as
   * {@link java.util.Arrays#mismatch} counts them.
   */
  private static long same(FileChannel ch, long at, long size, byte[] tail) throws IOException {
    long n = Math.min(tail.length, size - at);
    ByteBuffer buf = ByteBuffer.allocate(LineChunks.CHUNK);
    for (long done = 0; done < n; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), n - done));
      readFully(ch, at + done, buf);
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) != tail[(int) (done + i)]) {
          return done + i;
        }
      }
      done += buf.limit();
    }
    return n;
  }

  private static void readFully(FileChannel ch, long at, ByteBuffer dst) throws IOException {
    int start = dst.position();
    while (dst.hasRemaining()) {
      if (ch.read(dst, at + dst.position() - start) < 0) {
        throw new IOException("the log got shorter while it was read: " + dst.remaining() + " bytes missing");
      }
    }
  }
}

package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versions of a log that a broker write replaced, kept open for a moment. A writer that still holds
 * the old file open (a shell appending with {@code >>} in several writes, a script between two
 * {@code write} calls) keeps writing into the replaced version; whatever it appends there is read back
 * here and carried over to the current file, so no text is lost. Not thread-safe: one per log.
 */
final class Orphans implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Orphans.class);
  /** How long a replaced version is watched. */
  static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(2);

  private static final class Orphan {
    final FileChannel channel;
    long since;
    long size;
    /** How long the version was when the broker read it, and its last bytes then: an append leaves them. */
    final long readLength;
    final byte[] tail;
    /** Rewritten (truncated, or its end changed) by another writer: nothing more is carried from it. */
    boolean rewritten;
    /** The version that replaced it (its file key) and that version's length then: where its appends belong. */
    final Object successor;
    final long successorEnd;
    /**
     * A hard link to the version ({@link #keep}), so that a killed broker's successor can still carry its appends; its
     * name says how much of the version is in the log ({@link #written}), so that what was carried is not carried twice.
     */
    Path kept;
    long keptLength;

    Orphan(FileChannel channel, long length, byte[] end, long since, Object successor, long successorEnd, Path kept) {
      this.channel = channel;
      this.kept = kept;
      this.keptLength = length;
      this.successor = successor;
      this.successorEnd = successorEnd;
      this.size = length;
      this.readLength = length;
      this.tail = java.util.Arrays.copyOfRange(end, Math.max(0, end.length - TAIL), end.length);
      this.since = since;
    }
  }

  /** How many bytes before the end of a replaced version are compared before its growth is carried over. */
  static final int TAIL = 64;

  private final List<Orphan> open = new ArrayList<>();
  /** The time in nanoseconds (the broker's ticker). */
  private final java.util.function.LongSupplier nanos;
  /**
   * Text appended to a replaced version, and where it belongs: right after the end of the version that replaced it
   * ({@code successor}, a file key, was {@code successorEnd} bytes long then), before whatever was appended to that
   * one, since a writer that appends in several opens wrote this first.
   */
  record Piece(String text, Object successor, long successorEnd) {}

  /** Text read from versions let go early, handed out by the next {@link #drain()}. */
  private final List<Piece> carried = new ArrayList<>();
  /** Versions let go whose last text is not in the log yet: their links go with the next {@link #written}. */
  private final List<Orphan> letGo = new ArrayList<>();
  /**
   * Links with nothing more to carry, removed by {@link #cleanUp} after the write's end was handed on (removing the
   * last link of a version frees its blocks: a file-system journal operation no one needs to wait for). Thread-safe.
   */
  private final java.util.Queue<Path> unlinkLater = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** At most this many replaced versions are kept open per log (file descriptors are finite). */
  static final int MAX_OPEN = 16;

  /** With the system's clock. */
  Orphans() {
    this(System::nanoTime);
  }

  /** @param nanos the time in nanoseconds, to let replaced versions go after {@link #KEEP_NANOS} */
  Orphans(java.util.function.LongSupplier nanos) {
    this.nanos = nanos;
  }

  /**
   * Starts watching a replaced version that was {@code length} bytes long when it was read, ending with
   * {@code end} (at least its last {@value #TAIL} bytes, or all of it). Beyond {@link #MAX_OPEN}, the oldest is
   * let go (the caller drains right after adopting, so its appends so far are not lost).
   */
  void adopt(FileChannel channel, long length, byte[] end, Object successor, long successorEnd, Path kept) {
    open.add(new Orphan(channel, length, end, nanos.getAsLong(), successor, successorEnd, kept));
    while (open.size() > MAX_OPEN) {
      Orphan oldest = open.remove(0);
      try {
        piece(oldest, carried);
      } catch (IOException e) {
        // a version that can no longer be read has nothing more to give
      }
      release(oldest);
      letGo.add(oldest);
    }
  }

  /** Stops watching a version: closes it; its link stays until its last text is written. */
  private static void release(Orphan o) {
    try {
      o.channel.close();
    } catch (IOException e) {
      // closing a read-only channel
    }
  }

  private static void unlink(Path kept) {
    if (kept != null) {
      try {
        Files.deleteIfExists(kept);
      } catch (IOException e) {
        log.debug("cannot remove {}: {}", kept, e.toString());
      }
    }
  }

  /**
   * The log was written with everything {@link #drain} handed out so far: each kept link's name now says how much of
   * its version the log holds (a broker killed after this write carries only the rest, not what is already in the log),
   * and the links of versions let go are removed.
   */
  void written() {
    for (Orphan o : open) {
      if (o.kept != null && o.size > o.keptLength && rename(o, k -> k.holding(o.size))) {
        o.keptLength = o.size;
      }
    }
    for (Orphan o : letGo) {
      if (o.kept != null && o.size > o.keptLength) {
        unlink(o.kept); // its name says less than the log now holds: a broker killed next would carry it again
      } else if (o.kept != null) {
        unlinkLater.add(o.kept);
      }
    }
    letGo.clear();
  }

  /**
   * A write about to be renamed into place (its temporary file has inode {@code ino}, null when unknown) carries everything read from replaced
   * versions so far: each link whose version has text the log does not hold yet is renamed to say that the log holds
   * it if the log is that file ({@link Kept#holdingIf}), so that a broker killed between the rename and
   * {@link #written} does not have its successor carry the text a second time, and one killed before the rename
   * still has it carried.
   */
  void carrying(Object ino) {
    if (ino == null) {
      return;
    }
    for (List<Orphan> list : List.of(open, letGo)) {
      for (Orphan o : list) {
        if (o.kept != null && o.size > o.keptLength) {
          rename(o, k -> k.holdingIf(String.valueOf(ino), o.size));
        }
      }
    }
  }

  /** Renames {@code o}'s link to what {@code to} makes of its name; whether it was renamed. */
  private static boolean rename(Orphan o, java.util.function.UnaryOperator<Kept> to) {
    Kept name = Kept.parse(o.kept.getFileName().toString());
    if (name == null) {
      return false;
    }
    Path renamed = o.kept.resolveSibling(to.apply(name).name());
    try {
      Files.move(o.kept, renamed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      o.kept = renamed;
      return true;
    } catch (IOException e) {
      log.debug("cannot rename {}: {}", o.kept, e.toString());
      return false;
    }
  }

  /** Removes the links of versions let go whose text is all in the log ({@link #unlinkLater}); any thread. */
  void cleanUp() {
    for (Path p; (p = unlinkLater.poll()) != null; ) {
      unlink(p);
    }
  }

  /**
   * Links the log as it is now (the version about to be replaced, {@code length} bytes long as the broker read it)
   * under a dotfile beside it ({@link Kept}), so that text appended to it after the rename is not lost with a broker
   * killed before carrying it over: the next broker carries it ({@link #recoverAll}).
   *
   * @param successor the version about to replace it ({@link #successor}), or null when unknown
   * @return the link, or null when the file system has no hard links
   */
  static Path keep(Path log, long length, String successor) throws IOException {
    Path link = log.resolveSibling(new Kept(log.getFileName().toString(), Long.toHexString(
        java.util.concurrent.ThreadLocalRandom.current().nextLong()), length, successor).name());
    try {
      Files.createLink(link, log);
      return link;
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /** {@link #keep(Path, long, String)} with no successor: what is appended to it goes at the log's end. */
  static Path keep(Path log, long length) throws IOException {
    return keep(log, length, null);
  }

  /**
   * Names the version about to replace a log, for a kept link: {@code <inode>-<length>-<crc>}, its inode, its length
   * and the CRC-32 of its last bytes ({@code last}, at most {@value #TAIL}). A killed broker's successor puts what was
   * appended to the replaced version right after that length while the log is still that version with those bytes
   * there, as this broker would have ({@code RealmLog.withCarried}): a writer appending in several opens wrote it
   * before what it appended to the new version. Null when the file system has no inode numbers.
   */
  static String successor(Object ino, long length, byte[] last) {
    if (ino == null) {
      return null;
    }
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(last);
    return ino + "-" + length + "-" + Long.toHexString(crc.getValue());
  }

  /** A file's inode number, or null when the file system has none. */
  static Object inode(Path file) throws IOException {
    try {
      return Files.getAttribute(file, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The name of a kept link: {@code .<log>.<random>.<length>[.<successor>].kept}, where {@code length} says how much
   * of the version the log holds (what is beyond it was appended after the broker read it) and {@code successor}
   * ({@link #successor}) where that text belongs.
   */
  record Kept(String log, String id, long length, String successor, String pending) {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile(
        "^\\.(.+\\.md)\\.([0-9a-f]{1,16})\\.(\\d{1,18})(?:\\.(\\d{1,20}-\\d{1,18}-[0-9a-f]{1,8}))?"
            + "(?:\\.p(\\d{1,20}-\\d{1,18}))?\\.kept$");

    Kept(String log, String id, long length, String successor) {
      this(log, id, length, successor, null);
    }

    /** The parts of a kept link's name; null when it is not one. */
    static Kept parse(String name) {
      java.util.regex.Matcher m = NAME.matcher(name);
      return m.matches() ? new Kept(m.group(1), m.group(2), Long.parseLong(m.group(3)), m.group(4), m.group(5)) : null;
    }

    String name() {
      return "." + log + "." + id + "." + length + (successor == null ? "" : "." + successor)
          + (pending == null ? "" : ".p" + pending) + ".kept";
    }

    /** The same link, saying the log now holds {@code n} bytes of the version. */
    Kept holding(long n) {
      return new Kept(log, id, n, successor, null);
    }

    /**
     * The same link, saying the log holds {@code n} bytes of the version if the log is the file with inode
     * {@code ino} (a write about to be renamed into place carries them), else {@link #length} still.
     */
    Kept holdingIf(String ino, long n) {
      return new Kept(log, id, length, successor, ino + "-" + n);
    }

    /** How much of the version the log holds: {@link #pending}'s length when the log is its file, else {@link #length}. */
    long held(Path file) throws IOException {
      if (pending == null) {
        return length;
      }
      String[] p = pending.split("-");
      return p[0].equals(String.valueOf(inode(file))) ? Long.parseLong(p[1]) : length;
    }

    /**
     * Where in the log ({@code bytes}, the file {@code now}) what was appended to this version goes: right after its
     * successor's end while the log is that successor with the same last bytes there; else -1 (at the end).
     */
    long insertionPoint(Path file, byte[] bytes) throws IOException {
      if (successor == null) {
        return -1;
      }
      String[] p = successor.split("-");
      Object ino = inode(file);
      if (ino == null) {
        return -1;
      }
      long end = Long.parseLong(p[1]);
      if (!p[0].equals(String.valueOf(ino)) || end > bytes.length) {
        return -1;
      }
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      int from = (int) Math.max(0, end - TAIL);
      crc.update(bytes, from, (int) end - from);
      return Long.toHexString(crc.getValue()).equals(p[2]) ? end : -1;
    }
  }

  /**
   * Carries over what was appended to replaced versions a killed broker kept ({@link #keep}) to their logs, and
   * removes them: right after the end of the version that replaced it when the log is still that version (before
   * what was appended to it since), else at the end. A kept version that is still the log itself (the broker died
   * before its rename) gives nothing. Run at start, before any log is written.
   *
   * @return how many bytes were carried over
   */
  static long recoverAll(Path dir) {
    long carried = 0;
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      List<java.util.Map.Entry<Path, Kept>> links = new ArrayList<>();
      for (Path p : files.toList()) {
        Kept k = Kept.parse(p.getFileName().toString());
        if (k != null && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          links.add(java.util.Map.entry(p, k));
        }
      }
      // Older versions first: what a writer appended to them came before what it appended to later ones.
      links.sort(java.util.Comparator.comparingLong(e -> e.getValue().length()));
      for (java.util.Map.Entry<Path, Kept> link : links) {
        Path p = link.getKey();
        Kept k = link.getValue();
        Path logFile = dir.resolve(k.log());
        try {
          AtomicFiles.Stamp kept = AtomicFiles.Stamp.of(p);
          AtomicFiles.Stamp now = AtomicFiles.Stamp.of(logFile);
          long held = now == null ? k.length() : k.held(logFile);
          if (kept != null && now != null && !java.util.Objects.equals(kept.key(), now.key())
              && kept.size() > held && LogPaths.problem(logFile) == null) {
            byte[] all = Files.readAllBytes(p);
            byte[] extra = java.util.Arrays.copyOfRange(all, (int) Math.min(held, all.length), all.length);
            carry(logFile, k, extra);
            carried += extra.length;
            log.info("carried {} bytes appended to a replaced version of {} over (its broker was stopped)",
                extra.length, logFile.getFileName());
          }
          Files.deleteIfExists(p);
        } catch (IOException | java.io.UncheckedIOException e) {
          log.warn("cannot carry over what was appended to {}: {}", p, e.toString());
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // no log folder yet
    } catch (IOException e) {
      log.warn("cannot look for replaced versions of logs in {}: {}", dir, e.toString());
    }
    return carried;
  }

  /** Puts {@code extra} into {@code logFile} where {@code k} says it goes (see {@link #recoverAll}). */
  private static void carry(Path logFile, Kept k, byte[] extra) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      AtomicFiles.Stamp now = AtomicFiles.Stamp.of(logFile);
      byte[] bytes = Files.readAllBytes(logFile);
      long at = k.insertionPoint(logFile, bytes);
      if (at < 0 || at == bytes.length) {
        break;
      }
      if (now == null || now.size() != bytes.length) {
        continue; // appended to between the two reads
      }
      byte[] merged = new byte[bytes.length + extra.length];
      System.arraycopy(bytes, 0, merged, 0, (int) at);
      System.arraycopy(extra, 0, merged, (int) at, extra.length);
      System.arraycopy(bytes, (int) at, merged, (int) at + extra.length, bytes.length - (int) at);
      if (AtomicFiles.replaceUnlessChanged(logFile, merged, now, late -> appendTo(logFile, late), Durability.DURABLE)) {
        return;
      }
    }
    Files.write(logFile, extra, java.nio.file.StandardOpenOption.APPEND, java.nio.file.LinkOption.NOFOLLOW_LINKS);
  }

  private static void appendTo(Path logFile, byte[] bytes) {
    try {
      Files.write(logFile, bytes, java.nio.file.StandardOpenOption.APPEND, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Watches the versions {@code other} watches (and hands out what it read) from now on, instead of it. */
  void takeOver(Orphans other) {
    long now = nanos.getAsLong();
    for (Orphan o : other.open) {
      o.since = now; // on this log's clock from now on
      open.add(o);
    }
    carried.addAll(other.carried);
    letGo.addAll(other.letGo);
    unlinkLater.addAll(other.unlinkLater);
    other.open.clear();
    other.carried.clear();
    other.letGo.clear();
    other.unlinkLater.clear();
  }

  boolean isEmpty() {
    return open.isEmpty() && carried.isEmpty();
  }

  /**
   * The text appended to replaced versions since they were read, oldest version first; empty when none. Versions
   * watched for longer than {@link #KEEP_NANOS} are closed.
   */
  List<Piece> drain() {
    List<Piece> extra = new ArrayList<>(carried);
    carried.clear();
    long now = nanos.getAsLong();
    for (Iterator<Orphan> it = open.iterator(); it.hasNext(); ) {
      Orphan o = it.next();
      try {
        piece(o, extra);
        if (now - o.since > KEEP_NANOS) {
          release(o);
          letGo.add(o);
          it.remove();
        }
      } catch (IOException e) {
        release(o);
        letGo.add(o);
        it.remove();
      }
    }
    return extra;
  }

  /** Adds what was appended to {@code o} since it was last looked at, if anything. */
  private void piece(Orphan o, List<Piece> to) throws IOException {
    String text = appended(o);
    if (!text.isEmpty()) {
      to.add(new Piece(text, o.successor, o.successorEnd));
    }
  }

  /**
   * What was appended to a replaced version since it was last looked at, decoded. A version another writer
   * rewrote (an agent's save in place that opened it just before the broker replaced it) gives nothing, then
   * or later: carrying what grows past the length the broker read would copy a fragment of that save.
   */
  private String appended(Orphan o) throws IOException {
    long size = o.channel.size();
    if (o.rewritten || size == o.size) {
      return "";
    }
    if (size < o.size || !endUnchanged(o)) {
      log.warn("a replaced version of a log was rewritten by another writer; its new content is not merged");
      o.rewritten = true;
      return "";
    }
    ByteBuffer buf = ByteBuffer.allocate((int) (size - o.size));
    while (buf.hasRemaining() && o.channel.read(buf, o.size + buf.position()) >= 0) {
      // read until full
    }
    log.info("carried {} bytes written to a replaced version of the log over to the current one", size - o.size);
    o.size = size;
    return Utf8.decode(buf.array());
  }

  /** Whether the last bytes the broker read are still there (so what grew after them is an append). */
  private static boolean endUnchanged(Orphan o) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(o.tail.length);
    long at = o.readLength - o.tail.length;
    while (buf.hasRemaining() && o.channel.read(buf, at + buf.position()) >= 0) {
      // read until full
    }
    return !buf.hasRemaining() && java.util.Arrays.equals(buf.array(), o.tail);
  }

  @Override
  public void close() {
    for (Orphan o : open) {
      release(o);
      unlink(o.kept);
    }
    open.clear();
    letGo.forEach(o -> unlink(o.kept));
    letGo.clear();
    cleanUp();
  }
}

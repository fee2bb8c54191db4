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
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a log's finished history into numbered files next to it ({@code daebug/<realm>.history/0001.md},
 * {@code 0002.md}, ...), so that the log, which every write copies into a new version, stays small (FORMAT.md §4;
 * docs/journal-format.md, "History files"). When the finished history (between the log's title and guide and its
 * live region, see {@link LiveRegion}) passes the threshold, the write that sees it moves all of it but its last
 * quarter (cut where an entry starts) into a new part, written once (temporary file, fsync, rename, folder fsync)
 * before the log that no longer holds it, and the log's top gets one line linking the parts. Not thread-safe: one
 * per log.
 */
final class History {
  private static final Logger log = LoggerFactory.getLogger(History.class);
  /** How the log's link line starts; the rest says how many parts there are. */
  static final String LINK_PREFIX = "> Earlier history of this log: ";
  /** How much of a part and of the history it may be a copy of are compared at a time. */
  private static final int COMPARE_CHUNK = 64 * 1024;
  private static final Pattern LINK_COUNT = Pattern.compile("^> Earlier history of this log: (\\d+) files? in ");

  private final Path file;
  private final Path folder;
  private final String base;
  private final long above;
  private final WriteFaults faults;
  /** A region this far down that could not be moved (no place to cut) waits for this much more history. */
  private long retryAbove;

  History(Path file, long above, WriteFaults faults) {
    this.file = file;
    String name = file.getFileName().toString();
    this.base = name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
    this.folder = file.resolveSibling(base + ".history");
    this.above = above;
    this.faults = faults;
  }

  /** The folder of {@code log}'s history parts. */
  static Path folderOf(Path log) {
    String name = log.getFileName().toString();
    return log.resolveSibling((name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".history");
  }

  /** Whether a write whose live region starts at byte {@code regionOffset} should read the log whole to move history. */
  boolean due(long regionOffset) {
    return regionOffset > Math.max(above, retryAbove);
  }

  /**
   * Moves the finished history of {@code doc} (the whole log, as the write will leave it) into a new part, if it is
   * past the threshold: writes the part, then changes {@code doc} (the history lines give way to the link line).
   *
   * @param bytes {@code doc}'s text encoded, the part's bytes are taken from
   * @return whether history was moved (the caller writes {@code doc})
   */
  boolean moveOut(LogDocument doc, byte[] bytes) throws IOException {
    int live = LiveRegion.start(doc);
    if (live < 0) {
      return false;
    }
    long[] at = doc.lineStarts(live + 1);
    if (at[live] <= Math.max(above, retryAbove)) {
      return false;
    }
    int top = topEnd(doc);
    int linked = top < live ? linkedParts(doc.line(top)) : -1;
    int from = top;
    if (linked >= 0) {
      from++;
      while (from < live && doc.line(from).isBlank()) {
        from++;
      }
    }
    int cut = cut(doc, at, from, live);
    if (cut <= from || !placeable()) {
      retryAbove = at[live] + above / 4;
      return false;
    }
    // The part's text is a slice of the log's bytes, never copied (an adopted log's history can be 200 MB).
    int part = writeOut(Math.max(linked, 0),
        new Slice(ByteBuffer.wrap(bytes, (int) at[from], (int) (at[cut] - at[from]))));
    doc.replace(top, cut, List.of(link(part), ""));
    retryAbove = 0;
    return true;
  }

  /**
   * Whether a part can be written: the history folder and the log's folder are real folders (else the history
   * stays in the log, and the broker's log says so).
   */
  boolean placeable() {
    if (LogPaths.folderProblem(folder) == null && LogPaths.folderProblem(file.getParent()) == null) {
      return true;
    }
    log.warn("{} is not a folder: the history of {} stays in it", folder, file);
    return false;
  }

  /** The part the last {@link #writeOut} created (no file of its number was there before), until its write is decided. */
  private Path created;

  /** The write that moved history out replaced the log: the log links its part now. */
  void kept() {
    created = null;
  }

  /**
   * The write that moved history out did not replace the log (the log changed since it was read, and the write starts
   * over on it): a part that write created is linked by no version of the log, and is removed. Left there, it would
   * hold the history as it was, which is not a beginning of the history the log holds after an agent's edit in it, so
   * the next attempt would write the part after it and link both: the history twice.
   */
  void abandoned() throws IOException {
    if (created != null) {
      Files.deleteIfExists(created);
      created = null;
    }
  }

  /**
   * Writes {@code body} (history the log holds) as the next part after {@code linked} linked ones, durably, before
   * the log that no longer holds it is written; the caller then puts {@link #link} of the returned number in its
   * place.
   *
   * @return the part's number
   */
  int writeOut(int linked, Body body) throws IOException {
    int part = nextPart(linked, body);
    Path target = folder.resolve(name(part));
    boolean fresh = !Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    writePart(part, body);
    created = fresh ? target : null;
    faults.at(Point.HISTORY_WRITTEN);
    log.info("moved {} bytes of finished history of {} into {}", body.length(), file.getFileName(),
        folder.getFileName().resolve(name(part)));
    return part;
  }

  /** Where the kept history may start at the earliest, for a live region at byte {@code liveAt}: its last quarter. */
  long keepFrom(long liveAt) {
    return liveAt - above / 4;
  }

  /**
   * Where the kept history starts: the first entry ({@code ### 🗣️...} outside a fence) in the last quarter of the
   * history, or the live region when there is none.
   */
  private int cut(LogDocument doc, long[] at, int from, int live) {
    long keepFrom = keepFrom(at[live]);
    for (int i = from + 1; i < live; i++) {
      if (at[i] >= keepFrom && doc.line(i).startsWith(JournalFormat.REQUEST_MARK) && !doc.inFence(i)) {
        return i;
      }
    }
    return live;
  }

  /**
   * The line right below the log's top: its title ({@code # ...}) and the paragraph of guidance below it, and the
   * blank lines after them. 0 when the log does not start with a title (the link line then goes first).
   */
  static int topEnd(LogDocument doc) {
    if (doc.size() == 0 || !doc.line(0).startsWith("# ")) {
      return 0;
    }
    int i = 1;
    while (i < doc.size() && doc.line(i).isBlank()) {
      i++;
    }
    int guide = i;
    while (i < doc.size() && isGuide(doc.line(i)) && !doc.inFence(i)) {
      i++;
    }
    if (i == guide) {
      return guide; // no guidance: history starts right after the title's blank lines
    }
    while (i < doc.size() && doc.line(i).isBlank()) {
      i++;
    }
    return i;
  }

  private static boolean isGuide(String line) {
    return !line.isBlank() && !line.startsWith("#") && !line.startsWith(LINK_PREFIX) && !line.equals(JournalFormat.RULE)
        && !line.startsWith("```") && !line.startsWith("~~~");
  }

  /** How many parts a link line names; -1 when {@code line} is not one. */
  static int linkedParts(String line) {
    Matcher m = LINK_COUNT.matcher(line);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The log's link line for {@code parts} parts. */
  String link(int parts) {
    String dir = base + ".history/";
    String newest = "[" + name(parts) + "](" + dir + name(parts) + ")";
    return LINK_PREFIX + parts + (parts == 1 ? " file in " : " files in ") + "[daebug/" + dir + "](" + dir + ")"
        + (parts == 1 ? ", " + newest + "." : ", from " + name(1) + " (oldest) to " + newest + " (newest).");
  }

  /** The first line of a part, above a blank line and the part's history as the log held it. */
  String intro(int part) {
    return "> Part " + part + " of the history of [daebug/" + base + ".md](../" + base + ".md), oldest first;"
        + " moved here by the broker, never changed. "
        + (part == 1 ? "This is the oldest part." : "The part before it: [" + name(part - 1) + "](" + name(part - 1) + ").");
  }

  static String name(int part) {
    return String.format(Locale.ROOT, "%04d.md", part);
  }

  /**
   * The history bytes a part holds: a slice of the log's bytes in memory ({@link Slice}), or a range of the log's
   * file, copied by the kernel ({@link Range}, for a log too big to read whole; see {@link StreamedPrime}).
   */
  sealed interface Body permits Slice, Range {
    long length();

    /** Reads up to {@code dst.remaining()} bytes from {@code offset} of the body into {@code dst}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes the whole body at the end of {@code out}. */
    void copyTo(FileChannel out) throws IOException;
  }

  /** Bytes in memory. */
  record Slice(ByteBuffer bytes) implements Body {
    @Override
    public long length() {
      return bytes.remaining();
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
      ByteBuffer src = bytes.duplicate();
      src.position(src.position() + (int) offset);
      src.limit(Math.min(src.limit(), src.position() + dst.remaining()));
      dst.put(src);
    }

    @Override
    public void copyTo(FileChannel out) throws IOException {
      AtomicFiles.writeFully(out, bytes.duplicate(), out.size());
    }
  }

  /** Bytes {@code [from, from + length)} of an open file. */
  record Range(FileChannel src, long from, long length) implements Body {
    /** How much of a part is copied before it is made durable, so far. */
    static final long SYNC_CHUNK = 8L << 20;

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
      int limit = dst.limit();
      int start = dst.position();
      dst.limit(start + (int) Math.min(dst.remaining(), length - offset));
      try {
        while (dst.hasRemaining() && src.read(dst, from + offset + dst.position() - start) >= 0) {
          // fill what is asked for
        }
      } finally {
        dst.limit(limit);
      }
    }

    /**
     * Copies by the kernel, {@link #SYNC_CHUNK} at a time, each chunk made durable before the next: the disk then
     * never holds more than a chunk of this part unwritten, and other logs' fsyncs wait behind at most that much
     * instead of behind hundreds of megabytes of an adopted log's history.
     */
    @Override
    public void copyTo(FileChannel out) throws IOException {
      long at = out.size();
      long synced = 0;
      for (long done = 0; done < length; ) {
        long n = src.transferTo(from + done, Math.min(length - done, SYNC_CHUNK), out.position(at + done));
        if (n <= 0) {
          throw new IOException("the log got shorter while its history was moved out: " + (length - done) + " bytes");
        }
        done += n;
        if (done - synced >= SYNC_CHUNK && done < length) {
          out.force(false);
          synced = done;
        }
      }
    }
  }

  /**
   * The number of the part to write after {@code linked} linked ones: the next one, unless a file of that number is
   * there with other history than the log's (the link line was edited away): then the one after the highest. A file
   * of the next number whose history the log still holds is what a write stopped before replacing the log left: it
   * is written again.
   */
  private int nextPart(int linked, Body body) throws IOException {
    int next = linked + 1;
    Path p = folder.resolve(name(next));
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || leftover(p, body)) {
      return next;
    }
    int highest = next;
    try (Stream<Path> parts = Files.list(folder)) {
      for (Path q : (Iterable<Path>) parts::iterator) {
        String n = q.getFileName().toString();
        if (n.matches("\\d{4,}\\.md")) {
          highest = Math.max(highest, Integer.parseInt(n.substring(0, n.length() - 3)));
        }
      }
    }
    return highest + 1;
  }

  /**
   * Whether the part at {@code p} holds a beginning of {@code body} (the history the log still holds). Both are
   * compared a chunk at a time: either can be hundreds of MB.
   */
  private static boolean leftover(Path p, Body body) throws IOException {
    try (FileChannel part = FileChannel.open(p, StandardOpenOption.READ)) {
      long start = bodyStart(part);
      long n = part.size() - start;
      if (n > body.length()) {
        return false;
      }
      ByteBuffer a = ByteBuffer.allocate(COMPARE_CHUNK);
      ByteBuffer b = ByteBuffer.allocate(COMPARE_CHUNK);
      for (long done = 0; done < n; ) {
        a.clear().limit((int) Math.min(COMPARE_CHUNK, n - done));
        b.clear().limit(a.limit());
        while (a.hasRemaining() && part.read(a, start + done + a.position()) >= 0) {
          // fill the chunk
        }
        body.read(done, b);
        if (a.position() < a.limit() || b.position() < b.limit() || !a.flip().equals(b.flip())) {
          return false;
        }
        done += a.limit();
      }
      return true;
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  /** Where a part's history starts: after its first two lines (the intro and a blank line). */
  private static long bodyStart(FileChannel part) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(COMPARE_CHUNK);
    long at = 0;
    int lines = 0;
    while (true) {
      buf.clear();
      int n = part.read(buf, at);
      if (n <= 0) {
        return at;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) == '\n' && ++lines == 2) {
          return at + i + 1;
        }
      }
      at += n;
    }
  }

  /** Writes a part once: temporary file, fsync, rename, folder fsync (and the log folder's, for a new folder). */
  private void writePart(int part, Body body) throws IOException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(folder);
      DirSync.now(file.getParent());
    }
    Path target = folder.resolve(name(part));
    Path tmp = AtomicFiles.temp(target);
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        AtomicFiles.writeFully(out, ByteBuffer.wrap(Utf8.encode(intro(part) + "\n\n")), 0);
        body.copyTo(out);
        out.force(true);
      }
      AtomicFiles.move(tmp, target);
      DirSync.now(folder);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

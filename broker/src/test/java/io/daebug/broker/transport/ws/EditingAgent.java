package io.daebug.broker.transport.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent editing a realm's log with ordinary file tools while the broker writes into it. Each operation
 * leaves text with a unique marker ({@code m<n>}): a request {@code '<marker>'} (the realm answers
 * {@code "r-<marker>"}), prose lines {@code why-<marker>} and {@code p-<marker>}, and lines at the top
 * {@code top-<marker>} (an edit of one appends {@code ~<marker>}). The agent writes LF only.
 *
 * <p>The operations are the ways agents and editors really write: an {@code O_APPEND} write, or several
 * through one descriptor; an in-place save (open with truncation, one write); a truncating save (truncate,
 * then the content in two writes); an editor's rename-save (temporary file renamed over the log). A save
 * of the whole file starts from a read made just before it, as an editor that reloads changed files, so
 * it is stale only if the broker writes between that read and the save: that window is the race tested.
 *
 * <p>The broker's {@link WriteWindows} tell exactly when a save may have met a broker write, the instant no one
 * can close (docs/journal-format.md): the agent then does what the merge rule tells agents that save whole
 * files to do, and saves again. For every save the agent notes what its read held (see {@link Save}), when
 * the save ended, and whether a broker write fell between its read and its end (stale).
 */
final class EditingAgent {
  static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  private static final Pattern REPLY_VALUE = Pattern.compile("^\"r-(m\\d+)\"$", Pattern.MULTILINE);
  private static final Pattern BACKGROUND = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d b-(\\d+)$", Pattern.MULTILINE);
  private static final Pattern REQUEST = Pattern.compile("^'(m\\d+)'\n```\n(?!#### )", Pattern.MULTILINE);

  /** The kinds of operation, for the summary. */
  enum Op { APPEND, APPEND_IN_PIECES, IN_PLACE_SAVE, TRUNCATING_SAVE, RENAME_SAVE, PAUSE }

  /**
   * A save of the whole file: which replies and background events it wrote, which requests it wrote
   * not yet accepted (no placeholder under them), when it ended ({@code System.nanoTime()}), and whether it
   * may have replaced a version the broker wrote after the read ({@code stale}: a broker write window fell
   * between the read and the end of the save). {@code twice}: the agent's lines this save may have put in the log
   * twice, the instant no one can close: an attempt of a save in place that only added text at the end opened the log
   * while a broker write was between its check and its rename, so it wrote into the version the broker replaced, where
   * its text looks appended and is carried over like an append; the attempt made again puts it in a second time.
   */
  record Save(Op op, Set<String> replies, Set<Integer> background, Set<String> unaccepted, long endedAt,
      boolean stale, Set<String> twice) {}

  private final Path log;
  private final String realm;
  private static final int MAX_SAVES = 10;
  private final SplittableRandom random;
  private int next;
  /** Every line the agent wrote that must be in the log exactly once, in the order written. */
  final Set<String> lines = new LinkedHashSet<>();
  /** Every request's marker. */
  final List<String> requests = new ArrayList<>();
  final List<Save> saves = new ArrayList<>();
  final Map<Op, Integer> ops = new TreeMap<>();
  /** Saves that met a broker write (the instant no one can close) and were made again. */
  int again;
  /** Appends a broker rename fell inside, whose text the agent waited for. */
  int appendsWaited;
  /** What the agent and the realm did, in order, for the report of a failure. */
  final java.util.Queue<String> timeline = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final long start = System.nanoTime();

  void note(String what) {
    timeline.add(java.time.LocalTime.now() + " " + (System.nanoTime() - start) / 1000 + "us " + what);
  }

  private final WriteWindows broker;

  EditingAgent(Path log, String realm, SplittableRandom random, WriteWindows broker) {
    this.broker = broker;
    this.log = log;
    this.realm = realm;
    this.random = random;
  }

  /** Performs one random operation; {@code pause} is called for a pause (the caller waits for the realm). */
  void step(Runnable pause) throws IOException, InterruptedException {
    int k = random.nextInt(20);
    Op op = k < 5 ? Op.APPEND : k < 8 ? Op.APPEND_IN_PIECES : k < 11 ? Op.IN_PLACE_SAVE
        : k < 14 ? Op.TRUNCATING_SAVE : k < 18 ? Op.RENAME_SAVE : Op.PAUSE;
    ops.merge(op, 1, Integer::sum);
    int first = next + 1;
    note(op + " begins");
    switch (op) {
      case APPEND -> append(requestChunk(), false);
      case APPEND_IN_PIECES -> append(requestChunk(), true);
      case IN_PLACE_SAVE, TRUNCATING_SAVE, RENAME_SAVE -> save(op);
      case PAUSE -> pause.run();
    }
    note(op + " ends, markers m" + first + "..m" + next);
  }

  private String marker() {
    return "m" + ++next;
  }

  /** A request as an agent appends it: maybe a header and prose, one to three fences, maybe prose after. */
  private String requestChunk() {
    StringBuilder b = new StringBuilder();
    if (random.nextBoolean()) {
      b.append(SAID).append("claude to ").append(realm).append(" at 09:05:03\n");
    }
    int fences = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1;
    for (int i = 0; i < fences; i++) {
      String m = marker();
      if (random.nextInt(4) == 0) {
        b.append(line("why-" + m));
      }
      b.append("```js\n").append(line("'" + m + "'")).append("```\n");
      requests.add(m);
      if (random.nextInt(4) == 0) {
        b.append(line("p-" + m));
      }
    }
    return b.toString();
  }

  private String line(String text) {
    lines.add(text);
    return text + "\n";
  }

  /**
   * The chunk cut at one or two random places (mid-line too), between characters: a cut inside a surrogate pair (the
   * 🗣 of a header) would make each piece's UTF-8 a {@code ?} instead of the character, a header the broker refuses.
   */
  private List<String> pieces(String chunk) {
    int a = cut(chunk);
    int b = cut(chunk);
    int[] cuts = a == b ? new int[] {a} : new int[] {Math.min(a, b), Math.max(a, b)};
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      out.add(chunk.substring(from, cut));
      from = cut;
    }
    out.add(chunk.substring(from));
    return out;
  }

  /** A random place strictly inside {@code chunk}, not between the two halves of a surrogate pair. */
  private int cut(String chunk) {
    int at = 1 + random.nextInt(chunk.length() - 1);
    return Character.isLowSurrogate(chunk.charAt(at)) ? at - 1 : at;
  }

  /**
   * Appends {@code chunk} through one {@code O_APPEND} descriptor, one {@code write} per piece ({@link #pieces} when
   * {@code inPieces}). When a broker rename fell between the open and the last write, the writes after it went into the
   * version the broker replaced, and are in the log only once the broker has carried them over, with a write after its
   * rename (docs/journal-format.md, "Instants no one can close"): a whole-file save read before that would not hold
   * them. The agent waits until the log holds its text, as an agent that goes on to save the whole file must.
   */
  private void append(String chunk, boolean inPieces) throws IOException {
    long from = System.nanoTime();
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (String p : inPieces ? pieces(chunk) : List.of(chunk)) {
        writeFully(ch, p.getBytes(UTF_8));
      }
    }
    if (broker.overlap(from, System.nanoTime(), true)) {
      List<String> parts = unbroken(chunk);
      appendsWaited++;
      note("the append met a broker rename: waiting until the log holds all of it, " + parts.size() + " parts");
      TestAwait.await(java.time.Duration.ofSeconds(30)).until(() -> {
        String now = Files.readString(log, UTF_8);
        return parts.stream().allMatch(now::contains);
      });
    }
  }

  /**
   * The parts of a request chunk the broker never writes into: it cut after each closing fence (where a request's
   * placeholder and reply go). Each holds a marker, so each is in the log once the whole chunk is. (Its lines alone
   * do not say so: a fence's lines are the same in every request, and a piece left in a replaced version may hold
   * nothing but the end of one.)
   */
  private static List<String> unbroken(String chunk) {
    List<String> out = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    for (String line : chunk.split("(?<=\n)")) {
      part.append(line);
      if (line.equals("```\n")) {
        out.add(part.toString());
        part.setLength(0);
      }
    }
    if (part.length() > 0) {
      out.add(part.toString());
    }
    return out;
  }

  /**
   * Reads the log, edits the buffer (a line at the top, and/or a request at the end), saves it; when the save
   * met a broker write, saves it again once that write is over.
   */
  private void save(Op op) throws IOException {
    long readAt;
    String text;
    while (true) {
      // A read that overlaps a broker write can see part of it (Linux does not make a buffered read atomic against
      // a concurrent write), and a save of that read would write the torn part back: read again once it is over.
      readAt = System.nanoTime();
      text = Files.readString(log, UTF_8);
      if (!broker.overlap(readAt, System.nanoTime())) {
        break;
      }
      note("the read met a broker write: reading again once it is over");
      TestAwait.await().until(() -> !broker.open());
    }
    Set<String> had = new HashSet<>(Arrays.asList(text.split("\n", -1)));
    note("read " + text.length() + " chars, unaccepted " + found(REQUEST, text) + ", missing "
        + lines.stream().filter(l -> !had.contains(l)).toList());
    String saved = edit(text);
    byte[] bytes = saved.getBytes(UTF_8);
    long ended;
    boolean intoReplaced = false;
    for (int attempt = 1; ; attempt++) {
      long[] at = write(op, bytes);
      long from = at[0];
      ended = System.nanoTime();
      // A rename-save replaces the file a broker write in place checked and writes into, so the two never
      // mix; only a broker's own rename can replace it in turn.
      if (!broker.overlap(from, ended, op == Op.RENAME_SAVE)) {
        break;
      }
      if (attempt == MAX_SAVES) {
        throw new AssertionError(MAX_SAVES + " saves in a row met a broker write");
      }
      again++;
      // Its open fell inside a broker rename's window: it may have written into the version replaced.
      intoReplaced |= op != Op.RENAME_SAVE && broker.overlap(from, at[1], true);
      note("the save met a broker write: saving again once it is over");
      TestAwait.await().until(() -> !broker.open());
    }
    boolean stale = broker.overlap(readAt, ended);
    note("saved" + (stale ? ", maybe over a version the broker wrote after the read" : ""));
    // What the save wrote: a save made again also undoes an accept of one of its own new requests.
    Set<String> twice = new HashSet<>();
    if (intoReplaced && saved.startsWith(text)) {
      twice.addAll(Arrays.asList(saved.substring(text.length()).split("\n")));
      twice.retainAll(lines);
    }
    saves.add(new Save(op, found(REPLY_VALUE, saved), foundNumbers(BACKGROUND, saved), found(REQUEST, saved),
        ended, stale, twice));
  }

  /**
   * Writes {@code bytes} over the log as {@code op} does; returns when the log began to change and when the file
   * written was opened (for a save in place: it was truncated then).
   */
  private long[] write(Op op, byte[] bytes) throws IOException {
    if (op == Op.RENAME_SAVE) {
      String tmp = random.nextBoolean() ? "." + log.getFileName() + ".swp" : log.getFileName() + "~";
      Files.write(log.resolveSibling(tmp), bytes);
      long from = System.nanoTime();
      Files.move(log.resolveSibling(tmp), log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new long[] {from, from};
    }
    long from = System.nanoTime();
    long opened;
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      opened = System.nanoTime();
      if (op == Op.IN_PLACE_SAVE) {
        writeFully(ch, bytes);
      } else {
        int cut = random.nextInt(bytes.length + 1);
        writeFully(ch, Arrays.copyOfRange(bytes, 0, cut));
        writeFully(ch, Arrays.copyOfRange(bytes, cut, bytes.length));
      }
    }
    return new long[] {from, opened};
  }

  /** The buffer edit: insert or change a line at the top, append a request at the end, or both. */
  private String edit(String text) {
    int k = random.nextInt(4);
    String out = text;
    if (k != 0) {
      out = editTop(out);
    }
    if (k <= 1) {
      out = (out.endsWith("\n") || out.isEmpty() ? out : out + "\n") + requestChunk();
    }
    return out;
  }

  /** Inserts {@code top-<marker>} under the title, or appends {@code ~<marker>} to such a line the log has. */
  private String editTop(String text) {
    List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    List<Integer> tops = new ArrayList<>();
    for (int i = 0; i < all.size() && i < 200; i++) {
      if (all.get(i).startsWith("top-")) {
        tops.add(i);
      }
    }
    String m = marker();
    if (tops.isEmpty() || random.nextBoolean()) {
      String top = "top-" + m;
      all.add(Math.min(1 + random.nextInt(2), all.size()), top);
      lines.add(top);
    } else {
      int at = tops.get(random.nextInt(tops.size()));
      String old = all.get(at);
      String changed = old + "~" + m;
      all.set(at, changed);
      lines.remove(old);
      lines.add(changed);
    }
    return String.join("\n", all);
  }

  private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static Set<String> found(Pattern p, String text) {
    Set<String> out = new HashSet<>();
    for (Matcher m = p.matcher(text); m.find(); ) {
      out.add(m.group(1));
    }
    return out;
  }

  private static Set<Integer> foundNumbers(Pattern p, String text) {
    Set<Integer> out = new HashSet<>();
    for (Matcher m = p.matcher(text); m.find(); ) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }
}

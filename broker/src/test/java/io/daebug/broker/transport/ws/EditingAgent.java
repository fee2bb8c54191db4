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
 * For every such save the agent notes what its read held (see {@link Save}), when the save ended, and what the
 * {@link RenameWitness} saw: whether the save replaced a version the broker wrote after the read (stale), and
 * whether the broker may have replaced the save with a version written from an earlier read (the instant
 * between the broker's last check and its rename, which no one can close); the lines and requests of such a
 * save are then expected at most once ({@link #maybe}, {@link #maybeRequests}) instead of exactly once.
 */
final class EditingAgent {
  static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  private static final Pattern REPLY_VALUE = Pattern.compile("^\"r-(m\\d+)\"$", Pattern.MULTILINE);
  private static final Pattern BACKGROUND = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d b-(\\d+)$", Pattern.MULTILINE);
  private static final Pattern REQUEST = Pattern.compile("^'(m\\d+)'\n```\n(?!#### )", Pattern.MULTILINE);

  /** The kinds of operation, for the summary. */
  enum Op { APPEND, APPEND_IN_PIECES, IN_PLACE_SAVE, TRUNCATING_SAVE, RENAME_SAVE, PAUSE }

  /**
   * A save of the whole file: which replies and background events its read held, which requests it held
   * not yet accepted (no placeholder under them), when it ended ({@code System.nanoTime()}), and whether it
   * may have replaced a version the broker wrote after the read ({@code stale}, see {@link RenameWitness}).
   */
  record Save(Op op, Set<String> replies, Set<Integer> background, Set<String> unaccepted, long endedAt,
      boolean stale) {
    /** Whether the save may have replaced a version the broker wrote after the read. */
    boolean mayBeStale() {
      return stale;
    }
  }

  private final Path log;
  private final String realm;
  private final SplittableRandom random;
  private int next;
  /** Every line the agent wrote that must be in the log exactly once, in the order written. */
  final Set<String> lines = new LinkedHashSet<>();
  /** Lines of saves the broker may have replaced (see {@link RenameWitness}): in the log at most once. */
  final Set<String> maybe = new LinkedHashSet<>();
  /** Every request's marker. */
  final List<String> requests = new ArrayList<>();
  /** Requests of saves the broker may have replaced: in the log with their reply, or not at all (never run). */
  final List<String> maybeRequests = new ArrayList<>();
  final List<Save> saves = new ArrayList<>();
  final Map<Op, Integer> ops = new TreeMap<>();
  /** Saves the broker may have replaced with a version written from an earlier read (the instant no one can close). */
  int clobbered;
  /** What the agent and the realm did, in order, for the report of a failure. */
  final java.util.Queue<String> timeline = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final long start = System.nanoTime();

  void note(String what) {
    timeline.add(java.time.LocalTime.now() + " " + (System.nanoTime() - start) / 1000 + "us " + what);
  }

  private final RenameWitness witness;

  EditingAgent(Path log, String realm, SplittableRandom random, RenameWitness witness) {
    this.witness = witness;
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
      case APPEND -> append(List.of(requestChunk()));
      case APPEND_IN_PIECES -> append(pieces(requestChunk()));
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

  /** The chunk cut at one or two random places (mid-line too). */
  private List<String> pieces(String chunk) {
    int a = 1 + random.nextInt(chunk.length() - 1);
    int b = 1 + random.nextInt(chunk.length() - 1);
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

  /** Appends through one {@code O_APPEND} descriptor, one {@code write} per piece. */
  private void append(List<String> pieces) throws IOException {
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (String p : pieces) {
        writeFully(ch, p.getBytes(UTF_8));
      }
    }
  }

  /** Reads the log, edits the buffer (a line at the top, and/or a request at the end), saves it. */
  private void save(Op op) throws IOException, InterruptedException {
    witness.drain();
    String from = witness.mark();
    String text = Files.readString(log, UTF_8);
    Set<String> had = new HashSet<>(Arrays.asList(text.split("\n", -1)));
    note("read " + text.length() + " chars, unaccepted " + found(REQUEST, text) + ", missing "
        + lines.stream().filter(l -> !had.contains(l)).toList());
    Set<String> linesBefore = new LinkedHashSet<>(lines);
    int requestsBefore = requests.size();
    byte[] bytes = edit(text).getBytes(UTF_8);
    String tmp = null;
    if (op == Op.RENAME_SAVE) {
      tmp = random.nextBoolean() ? "." + log.getFileName() + ".swp" : log.getFileName() + "~";
      Files.write(log.resolveSibling(tmp), bytes);
      Files.move(log.resolveSibling(tmp), log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        if (op == Op.IN_PLACE_SAVE) {
          writeFully(ch, bytes);
        } else {
          int cut = random.nextInt(bytes.length + 1);
          writeFully(ch, Arrays.copyOfRange(bytes, 0, cut));
          writeFully(ch, Arrays.copyOfRange(bytes, cut, bytes.length));
        }
      }
    }
    long ended = System.nanoTime();
    RenameWitness.Verdict verdict = witness.verdict(from, tmp);
    if (verdict.clobbered()) {
      // The broker's rename may have replaced this save (see RenameWitness): what it added may be missing,
      // and what it changed may still be there as it was.
      for (String l : new ArrayList<>(lines)) {
        if (!linesBefore.contains(l)) {
          lines.remove(l);
          maybe.add(l);
        }
      }
      for (String l : linesBefore) {
        if (!lines.contains(l) && !maybe.contains(l)) {
          maybe.add(l);
        }
      }
      List<String> added = requests.subList(requestsBefore, requests.size());
      maybeRequests.addAll(added);
      added.clear();
      clobbered++;
    }
    note("saved" + (verdict.stale() ? ", replacing a version the broker wrote after the read" : "")
        + (verdict.clobbered() ? ", and the broker replaced it" : "") + " " + verdict.events());
    saves.add(new Save(op, found(REPLY_VALUE, text), foundNumbers(BACKGROUND, text), found(REQUEST, text),
        ended, verdict.stale()));
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
      maybe.remove(old);
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

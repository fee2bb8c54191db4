package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.daebug.broker.journal.WriteFaults.Point;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finished history moving out of a log into {@code daebug/<realm>.history/NNNN.md} ({@link History}): every byte of
 * the log (agents' prose included) is kept, in order, across the log and its parts; requests in flight stay in the
 * log; an agent's append during the move is kept; a crash at any step loses nothing and duplicates nothing. Each
 * scenario runs the same jobs on a twin log that never moves history: the log with its parts put back in place of
 * its link line must be the twin, byte for byte.
 */
class HistoryTest {
  private static final String R = "app";
  private static final String L = "javascript";
  /** Small, so that a few jobs move history several times. */
  private static final long ABOVE = 4096;

  @TempDir Path dir;

  private RealmLog open(Path file, long above, WriteFaults faults) {
    return new RealmLog(file, R, L, 64 * 1024, new DirSync(file.getParent()), new WriteOptions(above, faults));
  }

  private static final String[] WORDS = {"the", "value", "é", "🚀", "**bold**", "`code`", "> quoted", "- item",
      "\t", "naïve", "日本語", "[link](x.md)", "~~", "<b>", "1.", "#hash", "\\", "|", "*"};

  /** One job: an agent's prose and request, accepted, then answered. */
  private static void job(RealmLog log, Path file, int n, SplittableRandom r) throws IOException {
    StringBuilder prose = new StringBuilder("Now");
    for (int w = r.nextInt(40); w >= 0; w--) {
      prose.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
    }
    prose.append(" (").append(n).append(")\n").append(r.nextBoolean() ? "\n" : "");
    Files.writeString(file, prose + "```js\njob(" + n + ")\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    List<RealmLog.Request> got = log.peek("10:00:00", 0, true, List.of());
    assertThat(got).hasSize(1);
    log.batch().accept("10:00:00", 0, 1, List.of(), more -> { }).commit(Durability.VISIBLE);
    RealmLog.Request q = got.get(0);
    log.batch().success(q.anchor(), 0, "j" + n, q.agent(), "10:00:01", Duration.ofMillis(3),
        TextNode.valueOf("v".repeat(r.nextInt(1500))), Events.of(List.of(), 0)).commit();
  }

  @Test
  void movedHistoryKeepsEveryByteInOrderAndTheLogStaysSmall() throws Exception {
    Path file = dir.resolve(R + ".md");
    Path twin = dir.resolve("twin").resolve(R + ".md");
    try (RealmLog log = open(file, ABOVE, WriteFaults.NONE); RealmLog same = open(twin, Long.MAX_VALUE, WriteFaults.NONE)) {
      log.create();
      same.create();
      SplittableRandom r1 = new SplittableRandom(7);
      SplittableRandom r2 = new SplittableRandom(7);
      for (int n = 0; n < 60; n++) {
        job(log, file, n, r1);
        job(same, twin, n, r2);
        assertThat(reconstructed(file)).as("after job %d", n).isEqualTo(Files.readAllBytes(twin));
        assertThat(Files.size(file)).as("the log after job %d", n).isLessThan(ABOVE + ABOVE / 2 + 4096);
      }
    }
    String text = Files.readString(file);
    int parts = parts(file).size();
    assertThat(parts).isGreaterThan(3);
    assertThat(text).startsWith(JournalFormat.newLog(R, L).substring(0, JournalFormat.newLog(R, L).indexOf(JournalFormat.RULE)))
        .contains(History.LINK_PREFIX + parts + " files in [daebug/app.history/](app.history/), from 0001.md (oldest) to ["
            + History.name(parts) + "](app.history/" + History.name(parts) + ") (newest).\n\n### ")
        .endsWith(JournalFormat.footer(L));
    assertThat(Files.readString(parts(file).get(1))).startsWith("> Part 2 of the history of [daebug/app.md](../app.md),"
        + " oldest first; moved here by the broker, never changed. The part before it: [0001.md](0001.md).\n\n");
    assertThat(WholeVersionReadTest.problem(Files.readAllBytes(file))).isNull();
  }

  @Test
  void aPartWrittenByAWriteThatStartedOverIsNotLinkedBesideTheNextOne() throws Exception {
    // Regression (ConcurrentEditsTest, 2 MB history, load 8): an agent's save changed a line of the history while the
    // broker's write that moves it out was under way. The write started over on the agent's version, but the part it
    // had written stayed: it held the history as it was, not a beginning of the history the log now held, so the next
    // attempt wrote part 2 and linked both, and the history was there twice.
    Path file = dir.resolve(R + ".md");
    try (RealmLog filler = open(file, Long.MAX_VALUE, WriteFaults.NONE)) {
      filler.create();
      SplittableRandom r = new SplittableRandom(5);
      for (int n = 0; n < 12; n++) {
        job(filler, file, n, r);
      }
    }
    boolean[] saved = {false};
    WriteFaults agent = onceAt(Point.TEMP_WRITTEN, saved, () -> Files.writeString(file,
        Files.readString(file).replace(" (0)\n", " (0), edited\n"), StandardOpenOption.TRUNCATE_EXISTING));
    try (RealmLog log = open(file, ABOVE, agent)) {
      log.create();
      log.batch().background("10:00:02", Events.of(List.of(new JournalEvent("log", "10:00:02", "tick")), 0)).commit();
    }
    assertThat(saved[0]).as("the agent saved during the move").isTrue();
    String all = JournalFiles.readWithHistory(file);
    for (int n = 0; n < 12; n++) {
      assertThat(all).as("the log with its history").containsOnlyOnce("```js\njob(" + n + ")\n```\n");
    }
    assertThat(all).containsOnlyOnce(" (0), edited\n").contains("tick");
    assertThat(parts(file)).hasSize(1);
  }

  @Test
  void requestsInFlightStayInTheLog() throws Exception {
    Path file = dir.resolve(R + ".md");
    try (RealmLog log = open(file, ABOVE, WriteFaults.NONE)) {
      log.create();
      SplittableRandom r = new SplittableRandom(3);
      for (int n = 0; n < 8; n++) {
        job(log, file, n, r);
      }
      Files.writeString(file, "```js\nstill running\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      List<RealmLog.Request> got = log.peek("10:00:00", 0, true, List.of());
      log.batch().accept("10:00:00", 0, 1, List.of(), more -> { }).commit();
      for (int n = 0; n < 20; n++) {
        log.batch().executing(got.get(0).anchor(), 0, n).background("10:00:0" + n % 10, Events.of(List.of(
            new JournalEvent("log", "10:00:00", "x".repeat(600))), 0)).commit();
      }
      assertThat(parts(file)).isNotEmpty();
      assertThat(Files.readString(file)).contains("```js\nstill running\n```\n#### 👍app to ", "executing (19s)");
      for (Path part : parts(file)) {
        assertThat(Files.readString(part)).doesNotContain("still running");
      }
    }
  }

  @Test
  void anAgentsAppendDuringTheMoveIsKept() throws Exception {
    Path file = dir.resolve(R + ".md");
    Path twin = dir.resolve("twin").resolve(R + ".md");
    boolean[] once = {false};
    WriteFaults agent = onceAt(Point.HISTORY_WRITTEN, once,
        () -> append(file, "An agent's note, written while the history moved.\n"));
    try (RealmLog log = open(file, ABOVE, agent); RealmLog same = open(twin, Long.MAX_VALUE, WriteFaults.NONE)) {
      log.create();
      same.create();
      SplittableRandom r1 = new SplittableRandom(11);
      SplittableRandom r2 = new SplittableRandom(11);
      int n = 0;
      for (; !once[0]; n++) {
        job(log, file, n, r1);
        job(same, twin, n, r2);
      }
      append(twin, "An agent's note, written while the history moved.\n");
      assertThat(reconstructed(file)).isEqualTo(Files.readAllBytes(twin));
      // Through a descriptor opened before the next move: carried over from the version that move replaced.
      int parts = parts(file).size();
      try (FileOutputStream held = new FileOutputStream(file.toFile(), true)) {
        for (; parts(file).size() == parts; n++) {
          job(log, file, n, r1);
          job(same, twin, n, r2);
        }
        held.write("Through a held descriptor.\n".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(log.recoverOrphans()).isTrue();
      append(twin, "Through a held descriptor.\n");
      assertThat(reconstructed(file)).isEqualTo(Files.readAllBytes(twin));
    }
    assertThat(parts(file)).as("the part written again after the append, not twice")
        .hasSize(History.linkedParts(Files.readAllLines(file).stream().filter(l -> l.startsWith(History.LINK_PREFIX))
            .findFirst().orElseThrow()));
  }

  /** SYNCED comes after the log's rename, when history is moved: a crash there is one after the write. */
  @ParameterizedTest
  @EnumSource(value = Point.class, names = "SYNCED", mode = EnumSource.Mode.EXCLUDE)
  void aCrashWhileHistoryMovesLosesNothingAndDuplicatesNothing(Point point) throws Exception {
    Path file = dir.resolve(R + ".md");
    Path twin = dir.resolve("twin").resolve(R + ".md");
    int[] moves = {0};
    boolean[] moving = {false};
    WriteFaults crash = new WriteFaults() {
      @Override
      public void at(Point p) {
        if (p == Point.HISTORY_WRITTEN) {
          moves[0]++;
          moving[0] = true;
        }
        if (p == point && moving[0] && moves[0] == 2) {
          throw new WriteCrashTest.Crash(p); // during the second move, so that a part is linked already
        }
        if (p == Point.RENAMED) {
          moving[0] = false;
        }
      }
    };
    SplittableRandom r = new SplittableRandom(point.ordinal());
    int n = 0;
    boolean crashed = false;
    try (RealmLog log = open(file, ABOVE, crash); RealmLog same = open(twin, Long.MAX_VALUE, WriteFaults.NONE)) {
      log.create();
      same.create();
      for (; n < 100 && !crashed; n++) {
        Events events = Events.of(List.of(new JournalEvent("log", "10:00:00", HostileMarkdown.hostileText(r))), 0);
        try {
          log.batch().background("10:00:00", events).commit();
        } catch (WriteCrashTest.Crash c) {
          crashed = true;
          if (point != Point.RENAMED) {
            continue; // the old log: this block was never written
          }
        }
        same.batch().background("10:00:00", events).commit();
      }
    }
    assertThat(crashed).as("reached %s", point).isTrue();
    assertThat(reconstructed(file)).as("what the crash left").isEqualTo(Files.readAllBytes(twin));
    // A new broker writes on: the history moves again, and the part the crash left is not left over twice.
    try (RealmLog log = open(file, ABOVE, WriteFaults.NONE); RealmLog same = open(twin, Long.MAX_VALUE, WriteFaults.NONE)) {
      StaleTemps.delete(dir);
      log.create();
      same.create();
      for (int k = 0; k < 30; k++) {
        Events events = Events.of(List.of(new JournalEvent("log", "10:00:00", HostileMarkdown.hostileText(r))), 0);
        log.batch().background("10:00:00", events).commit();
        same.batch().background("10:00:00", events).commit();
      }
    }
    assertThat(reconstructed(file)).isEqualTo(Files.readAllBytes(twin));
    int linked = History.linkedParts(Files.readAllLines(file).stream().filter(l -> l.startsWith(History.LINK_PREFIX))
        .findFirst().orElseThrow());
    assertThat(linked).isGreaterThan(2);
    try (Stream<Path> left = Files.list(History.folderOf(file))) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted().toList()).as("every part linked, none left over")
          .isEqualTo(java.util.stream.IntStream.rangeClosed(1, linked).mapToObj(History::name).toList());
    }
  }

  @Test
  void theHistoryFolderMustBeAFolder() throws Exception {
    Path file = dir.resolve(R + ".md");
    Files.writeString(History.folderOf(file), "not a folder");
    assertThat(LogPaths.problem(file)).contains("app.history (where finished history goes)");
    // The log itself is still written; its history stays in it.
    try (RealmLog log = open(file, 1024, WriteFaults.NONE)) {
      log.create();
      for (int k = 0; k < 20; k++) {
        log.batch().background("10:00:00", Events.of(List.of(new JournalEvent("log", "10:00:00", "y".repeat(200))), 0))
            .commit();
      }
    }
    assertThat(Files.readString(History.folderOf(file))).isEqualTo("not a folder");
    assertThat(Files.readString(file)).doesNotContain(History.LINK_PREFIX);
  }

  /** What an agent does at a fault point. */
  private interface AgentStep {
    void run() throws IOException;
  }

  /** Faults that run {@code step} the first time a write reaches {@code point}, and then set {@code ran[0]}. */
  private static WriteFaults onceAt(Point point, boolean[] ran, AgentStep step) {
    return new WriteFaults() {
      @Override
      public void at(Point p) {
        if (p == point && !ran[0]) {
          ran[0] = true;
          try {
            step.run();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }

  private static void append(Path f, String text) {
    try {
      Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> parts(Path log) throws IOException {
    Path folder = History.folderOf(log);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d{4}\\.md")).sorted().toList();
    }
  }

  /** The log with its linked parts' history put back in place of its link line (and the blank line after it). */
  static byte[] reconstructed(Path log) throws IOException {
    byte[] b = Files.readAllBytes(log);
    byte[] prefix = ("\n" + History.LINK_PREFIX).getBytes(StandardCharsets.UTF_8);
    int at = indexOf(b, prefix);
    if (at < 0) {
      return b;
    }
    int lineEnd = indexOf(b, "\n".getBytes(StandardCharsets.UTF_8), at + 1);
    int linked = History.linkedParts(new String(b, at + 1, lineEnd - at - 1, StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, at + 1);
    for (int p = 1; p <= linked; p++) {
      byte[] part = Files.readAllBytes(History.folderOf(log).resolve(History.name(p)));
      int body = indexOf(part, "\n\n".getBytes(StandardCharsets.UTF_8)) + 2;
      out.write(part, body, part.length - body);
    }
    int rest = lineEnd + 2; // the link line's end and the blank line below it
    out.write(b, rest, b.length - rest);
    return out.toByteArray();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    return indexOf(hay, needle, 0);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    for (int i = from; i + needle.length <= hay.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}

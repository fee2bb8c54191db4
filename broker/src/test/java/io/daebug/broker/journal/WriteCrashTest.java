package io.daebug.broker.journal;

import static io.daebug.broker.journal.JournalPropertiesTest.L;
import static io.daebug.broker.journal.JournalPropertiesTest.NOW;
import static io.daebug.broker.journal.JournalPropertiesTest.R;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.daebug.broker.journal.WriteFaults.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash at each point of the write path (fault injection through {@link WriteFaults}), then a new broker
 * opening the log: the log holds the old content or the new one, never a mix, plus every byte an agent
 * appended after the crash. Writes are a request accepted (the region grows), a big reply (grows by
 * several pages), a queue moving up (shrinks) and a background block.
 */
class WriteCrashTest {
  @TempDir
  Path dir;

  private int files;

  /** History stays in the log (these logs are small): the write alone is under test. */
  private static final WriteOptions OPTIONS = WriteOptions.defaults();

  /** Thrown by the faults where the broker "crashes": nothing after it runs, as after a SIGKILL. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1;

    Crash(Point p) {
      super("crashed at " + p);
    }
  }

  /** Faults that crash at one point, once. */
  private static WriteFaults crashAt(Point point) {
    return new WriteFaults() {
      @Override
      public void at(Point p) {
        if (p == point) {
          throw new Crash(p);
        }
      }
    };
  }

  private enum Change { ACCEPT, BIG_REPLY, QUEUE_MOVES_UP, BACKGROUND }

  /** HISTORY_WRITTEN (a write that moves history out) is in {@link HistoryTest}. */
  @ParameterizedTest
  @EnumSource(value = Point.class, names = "HISTORY_WRITTEN", mode = EnumSource.Mode.EXCLUDE)
  void aCrashAtEveryPointLeavesTheOldOrTheNewContentAndTheAgentsAppends(Point point) throws IOException {
    Map<Change, Integer> reached = new EnumMap<>(Change.class);
    SplittableRandom r = new SplittableRandom(point.ordinal() * 7919L);
    for (int i = 0; i < 40; i++) {
      Change change = Change.values()[i % Change.values().length];
      if (crashOnce(r, point, change)) {
        reached.merge(change, 1, Integer::sum);
      }
    }
    assertThat(reached).as("writes that reached %s", point).isNotEmpty();
  }

  /** @return whether the write reached the point (a shrinking write never appends, a growing one never truncates) */
  private boolean crashOnce(SplittableRandom r, Point point, Change change) throws IOException {
    Path log = dir.resolve("log-" + ++files + ".md");
    Path twin = dir.resolve("twin-" + files + ".md");
    String history = String.join("\n", HostileMarkdown.history(r, 1 + r.nextInt(40))) + "\n";
    String start = HostileMarkdown.NEW.replace("\n\n" + JournalFormat.RULE, "\n\n" + history + "\n" + JournalFormat.RULE);
    List<String> codes = new ArrayList<>();
    StringBuilder appended = new StringBuilder();
    int queued = change == Change.QUEUE_MOVES_UP ? 11 : 1;
    for (int k = 0; k < queued; k++) {
      codes.add("'job' + " + k);
      appended.append("```js\n").append(codes.get(k)).append("\n```\n");
    }
    Files.write(log, Utf8.encode(start + appended));
    List<RealmLog.Request> requests = requests(log);
    if (change == Change.ACCEPT) {
      Files.write(log, Utf8.encode("```js\n'more'\n```\n"), StandardOpenOption.APPEND);
    }
    Files.copy(log, twin);
    byte[] old = Files.readAllBytes(log);
    // The same edit, without faults, on a twin of the file: what the new content is.
    long seedForEdit = r.nextLong();
    edit(twin, WriteFaults.NONE, requests, change, new SplittableRandom(seedForEdit));
    byte[] expectedNew = Files.readAllBytes(twin);

    boolean crashed;
    try {
      edit(log, crashAt(point), requests, change, new SplittableRandom(seedForEdit));
      crashed = false;
    } catch (Crash c) {
      crashed = true;
    }
    if (!crashed) {
      assertThat(Files.readAllBytes(log)).isEqualTo(expectedNew);
      return false;
    }
    byte[] agent = r.nextBoolean() ? new byte[0]
        : Utf8.encode("### 🗣️claude to " + R + " at 10:11:12\nafter the crash " + files + "\n```js\n1 + " + files + "\n```\n");
    Files.write(log, agent, StandardOpenOption.APPEND);

    try (DirSync sync = new DirSync(dir);
        RealmLog reopened = new RealmLog(log, R, L, 64 * 1024, sync, OPTIONS)) {
      StaleTemps.delete(dir);
      reopened.create();
    }
    byte[] now = Files.readAllBytes(log);
    byte[] oldPlus = concat(old, agent);
    byte[] newPlus = concat(expectedNew, agent);
    if (point == Point.RENAMED || point == Point.SYNCED) {
      assertSame(now, newPlus, "crash at " + point + " during " + change);
    } else {
      assertThat(now).as("crash before the rename").isEqualTo(oldPlus);
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".log-" + files + ".md.")))
          .as("temporary files removed").isEmpty();
    }
    return true;
  }

  /** Accepts the requests in the file (a write without faults) and returns them. */
  private List<RealmLog.Request> requests(Path log) throws IOException {
    try (DirSync sync = new DirSync(dir); RealmLog realmLog = new RealmLog(log, R, L, 64 * 1024, sync, OPTIONS)) {
      realmLog.create();
      List<RealmLog.Request> got = realmLog.peek(NOW, 0, false, List.of());
      realmLog.batch().accept(NOW, 0, got.size(), List.of(), more -> {}).commit();
      return got;
    }
  }

  private void edit(Path log, WriteFaults faults, List<RealmLog.Request> requests, Change change,
      SplittableRandom r) throws IOException {
    try (DirSync sync = new DirSync(dir);
        RealmLog realmLog = new RealmLog(log, R, L, 64 * 1024, sync, new WriteOptions(OPTIONS.historyAbove(), faults))) {
      realmLog.create();
      realmLog.peek(NOW, 0, false, List.of()); // learns where the live region is
      RealmLog.Request first = requests.get(0);
      switch (change) {
        case ACCEPT -> {
          List<RealmLog.Request> more = realmLog.peek(NOW, 1, false, List.of());
          realmLog.batch().accept(NOW, 1, more.size(), List.of(), x -> {}).commit();
        }
        case BIG_REPLY -> realmLog.batch().success(first.anchor(), 0, "j-1", first.agent(), NOW, Duration.ofMillis(3),
            TextNode.valueOf("x".repeat(5000 + r.nextInt(9000))), Events.of(List.of(), 0)).commit();
        case QUEUE_MOVES_UP -> {
          // queued (1 ahead) -> executing (0s), queued (10 ahead) -> queued (9 ahead): the region shrinks.
          RealmLog.Batch b = realmLog.batch();
          for (int k = 1; k < requests.size(); k++) {
            RealmLog.Request q = requests.get(k);
            if (k == 1) {
              b.executing(q.anchor(), 0, 0);
            } else {
              b.queued(q.anchor(), 0, k - 1);
            }
          }
          b.commit();
        }
        case BACKGROUND -> realmLog.batch().background(NOW,
            Events.of(List.of(new JournalEvent("log", NOW, HostileMarkdown.hostileText(r))))).commit();
      }
    }
  }

  /** Equal bytes; on failure, shows the text around the first difference rather than two whole logs. */
  static void assertSame(byte[] actual, byte[] expected, String what) {
    int at = java.util.Arrays.mismatch(actual, expected);
    if (at >= 0) {
      int from = Math.max(0, at - 200);
      assertThat(Utf8.decode(java.util.Arrays.copyOfRange(actual, from, Math.min(actual.length, at + 300))))
          .as("%s: first difference at byte %d of %d (expected %d bytes)", what, at, actual.length, expected.length)
          .isEqualTo(Utf8.decode(java.util.Arrays.copyOfRange(expected, from, Math.min(expected.length, at + 300))));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** What a reader sees between any two steps of a write: the old log or the new one. */
  @ParameterizedTest
  @EnumSource(value = Change.class)
  void aReaderSeesTheOldOrTheNewLogBetweenAnyTwoStepsOfAWrite(Change change) throws IOException {
    SplittableRandom r = new SplittableRandom(change.ordinal());
    for (int i = 0; i < 10; i++) {
      Path log = dir.resolve("seen-" + ++files + ".md");
      Path twin = dir.resolve("seen-twin-" + files + ".md");
      String history = String.join("\n", HostileMarkdown.history(r, 1 + r.nextInt(20))) + "\n";
      StringBuilder appended = new StringBuilder();
      for (int k = 0; k < 11; k++) {
        appended.append("```js\n'job' + ").append(k).append("\n```\n");
      }
      Files.write(log, Utf8.encode(HostileMarkdown.NEW.replace("\n\n" + JournalFormat.RULE,
          "\n\n" + history + "\n" + JournalFormat.RULE) + (change == Change.QUEUE_MOVES_UP ? appended : "```js\n1\n```\n")));
      List<RealmLog.Request> requests = requests(log);
      if (change == Change.ACCEPT) {
        Files.write(log, Utf8.encode("```js\n'more'\n```\n"), StandardOpenOption.APPEND);
      }
      Files.copy(log, twin);
      byte[] old = Files.readAllBytes(log);
      long seed = r.nextLong();
      edit(twin, WriteFaults.NONE, requests, change, new SplittableRandom(seed));
      byte[] expectedNew = Files.readAllBytes(twin);
      List<Point> seen = new ArrayList<>();
      WriteFaults reader = new WriteFaults() {
        @Override
        public void at(Point p) {
          try {
            byte[] now = Files.readAllBytes(log);
            seen.add(p);
            assertThat(java.util.Arrays.equals(now, old) || java.util.Arrays.equals(now, expectedNew))
                .as("at %s during %s the file is the old or the new log:%n%s", p, change, Utf8.decode(now)).isTrue();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };
      edit(log, reader, requests, change, new SplittableRandom(seed));
      assertThat(Files.readAllBytes(log)).isEqualTo(expectedNew);
      assertThat(seen).contains(Point.TEMP_WRITTEN, Point.RENAMED);
    }
  }
}

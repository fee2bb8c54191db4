package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.SpecAuditTest.EVENT_TIME;
import static io.daebug.broker.transport.ws.SpecAuditTest.FOOTER;
import static io.daebug.broker.transport.ws.SpecAuditTest.OK;
import static io.daebug.broker.transport.ws.SpecAuditTest.PROMPT;
import static io.daebug.broker.transport.ws.SpecAuditTest.RULE;
import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.bench.BigLogBench;
import io.daebug.broker.journal.Props;
import io.daebug.broker.journal.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An agent edits a realm's log while the broker writes into it (docs/journal-format.md, "Writing: the merge
 * rule"): a real broker on port 0, a scripted realm answering every job after a random short delay with
 * console events and now and then a background event ({@link AnsweringRealm}), and an agent on the test
 * thread appending requests, editing prose at the top in place, saving by truncation and by rename
 * ({@link EditingAgent}), all racing the broker's accepts, placeholders, replies and background blocks.
 *
 * <p>At the end: every line the agent wrote is in the log exactly once; every request ran once and its
 * reply, with its events, is directly under it; every background event is in the log once; one footer,
 * below everything the broker wrote, every request above it; every fence closed. The one exception is the
 * broker's text an agent's save undid: a save based on a read made before a broker write (a stale save, told
 * exactly by the broker's own {@link WriteWindows}) puts back what it read. A background event may then be
 * missing only if a stale save wrote the log without it and ended after the realm sent it; a reply only then and
 * where the broker cannot write it again (it keeps the last replies of a realm, for placeholders unique among
 * them); a request may run twice only if a stale save wrote it not yet accepted (the broker takes back a waiting
 * job's request, but cannot tell an answered one from a new request: see the merge rule). A save that met a broker write (the instant no one can
 * close) is made again by the agent, as the merge rule tells agents to; the lines it added at the end may then be in
 * the log twice only if an attempt of it, a save in place, opened the log inside a broker rename's window (it wrote into
 * the replaced version, which the broker carries over like an append). After an append that a broker rename fell
 * inside, the agent waits until the log holds its text (it reaches the log with the broker's next write).
 *
 * <p>Cases are seeded ({@link Props}): CI runs fixed seeds; {@code -Ddaebug.props.seed=random} (or a
 * number) and {@code -Ddaebug.props.tries=N} explore, {@code -Ddaebug.edits.ops=N} sets operations per
 * case. Each case prints its seed and what it did. One parameter starts from a new log, the other from a
 * 2 MB history (for write paths that depend on the log's size).
 */
class ConcurrentEditsTest {
  private static final String REALM = "edits";
  static final int HISTORY_BYTES = 2 << 20;
  private static final Pattern REPLY_HEADER = Pattern.compile(Pattern.quote(OK + REALM + " to ")
      + "(agent|claude) at 09:05:03 \\((\\d+ms|\\d+\\.\\ds)\\)");
  private static final Pattern PLACEHOLDER = Pattern.compile(Pattern.quote(OK + REALM + " to ")
      + "(agent|claude) at 09:05:03");
  private static final String EVENT_HEADER = "##### \u2611\uFE0Fconsole.log";
  /** How many replies of a realm the broker keeps to write again where a stale save put a placeholder back. */
  private static final int REPLIES_KEPT = 16;
  private static WebSocketClient client;

  @TempDir Path base;

  @BeforeAll
  static void startClient() throws Exception {
    client = new WebSocketClient();
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  @ParameterizedTest(name = "history of {0} bytes")
  @ValueSource(ints = {0, HISTORY_BYTES})
  void everyEditSurvivesAndEveryReplyLandsUnderItsRequest(int history) {
    String only = System.getProperty("daebug.edits.history");
    org.junit.jupiter.api.Assumptions.assumeTrue(only == null || only.equals(String.valueOf(history)),
        "-Ddaebug.edits.history=" + only);
    int ops = Integer.getInteger("daebug.edits.ops", history == 0 ? 40 : 15);
    Props.forAll("concurrent edits, history " + history, history == 0 ? 2 : 1, SplittableRandom::nextLong,
        seed -> run(seed, history, ops));
  }

  private void run(long seed, int history, int ops) throws Exception {
    Path root = Files.createTempDirectory(base, "case");
    Path file = root.resolve("daebug").resolve(REALM + ".md");
    if (history > 0) {
      Files.createDirectories(file.getParent());
      BigLogBench.pad(file, REALM, history);
    }
    WriteWindows windows = new WriteWindows();
    try (TestBroker broker = TestBroker.start(root, c -> c.withWrites(new WriteOptions(
            WriteOptions.DEFAULT_HISTORY_ABOVE, windows)));
        FakeRealm connection = FakeRealm.connect(client, broker.realmUri(), Map.of())) {
      connection.hello(REALM);
      await().untilAsserted(() -> assertThat(broker.log(REALM)).startsWith("# " + REALM).endsWith(FOOTER));
      EditingAgent agent = new EditingAgent(file, REALM, new SplittableRandom(seed), windows);
      try (AnsweringRealm realm = new AnsweringRealm(connection, new SplittableRandom(~seed), EVENT_TIME,
          agent::note)) {
        for (int i = 0; i < ops; i++) {
          agent.step(() -> pause(agent, realm));
        }
        await(Duration.ofSeconds(30)).untilAsserted(() -> check(broker.log(REALM), agent, realm));
        System.out.printf("concurrent edits, seed %d, history %d: %s, %d requests, %s, %d whole-file"
            + " saves of which %d stale, %d saved again after meeting a broker write, %d appends met a broker rename;"
            + " %s%n", seed, history, agent.ops, agent.requests.size(), windows.summary(), agent.saves.size(),
            agent.saves.stream().filter(EditingAgent.Save::stale).count(), agent.again, agent.appendsWaited,
            excused(broker.log(REALM), agent, realm));
      } catch (AssertionError | Exception e) {
        throw new AssertionError("seed " + seed + ", history " + history + "; log:\n" + broker.log(REALM)
            + "\ntimeline:\n" + String.join("\n", agent.timeline), e);
      }
    }
  }

  /** Waits until the realm answered everything dispatched so far (the agent stops typing for a moment). */
  private static void pause(EditingAgent agent, AnsweringRealm realm) {
    await().until(realm::idle);
  }

  private static void check(String log, EditingAgent agent, AnsweringRealm realm) {
    assertThat(realm.problems()).as("the realm's problems").isEmpty();
    List<String> lines = List.of(log.split("\n", -1));
    Map<String, Integer> count = new HashMap<>();
    lines.forEach(l -> count.merge(l, 1, Integer::sum));
    for (String l : agent.lines) {
      int copies = count.getOrDefault(l, 0);
      if (copies != 1) {
        assertThat(copies == 2 && agent.saves.stream().anyMatch(s -> s.twice().contains(l)))
            .as(copies + " copies of the agent's line " + l + " (two only where a save in place that met a broker"
                + " rename, and only added at the end, was made again)").isTrue();
      }
    }
    assertThat(lines).as("lines at the top the agent no longer has").filteredOn(l -> l.startsWith("top-"))
        .allMatch(agent.lines::contains);
    int footer = footer(lines);
    assertThat(count.getOrDefault(RULE, 0)).as("rule lines").isEqualTo(1);
    assertThat(lines.subList(footer, lines.size())).as("the broker's lines below the footer")
        .noneMatch(l -> l.startsWith("#### ") || l.startsWith("##### ") || l.startsWith("```"));
    assertFencesClosed(lines);

    for (String m : agent.requests) {
      int at = lines.indexOf("'" + m + "'");
      assertThat(at).as("request " + m + " is above the footer").isBetween(0, footer);
      AnsweringRealm.Runs runs = realm.runs().get(m);
      assertThat(runs).as("runs of " + m).isNotNull();
      if (runs.dispatchedAt().size() > 1) {
        assertThat(rerunExcused(agent, m)).as(m + " ran " + runs.dispatchedAt().size()
            + " times, and no stale save read it not yet accepted, nor did a save put it in twice").isTrue();
      }
      assertThat(runs.events()).as("answers to " + m).hasSameSizeAs(runs.dispatchedAt());
      assertThat(lines.get(at + 1)).isEqualTo("```");
      String header = lines.get(at + 2);
      if (REPLY_HEADER.matcher(header).matches()) {
        assertThat(runs.events()).as("the reply under " + m + ":\n" + String.join("\n", lines.subList(at + 2,
            Math.min(lines.size(), at + 20))) + "\nis the reply of one of its runs, with that run's events")
            .anyMatch(events -> isReply(lines, at + 3, m, events));
      } else {
        assertThat(PLACEHOLDER.matcher(header).matches() && lostReplyExcused(agent, realm, m, runs))
            .as("under " + m + ": " + header + " (no reply, and no save read the log without it after it was sent, or"
                + " the broker could have written it again)")
            .isTrue();
      }
      assertThat(count.getOrDefault("\"r-" + m + "\"", 0)).as("replies to " + m)
          .isLessThanOrEqualTo(runs.dispatchedAt().size());
    }
    for (Map.Entry<Integer, Long> b : realm.background().entrySet()) {
      long copies = lines.stream().filter(l -> l.endsWith(" b-" + b.getKey())).count();
      if (copies != 1) {
        assertThat(copies == 0 && agent.saves.stream().anyMatch(s -> s.stale() && !s.background().contains(b.getKey())
            && s.endedAt() > b.getValue())).as("copies of background event b-" + b.getKey()).isTrue();
      }
    }
    assertThat(realm.idle()).isTrue();
  }

  /** Whether the reply value and exactly {@code events} events of marker {@code m} start at line {@code from}. */
  private static boolean isReply(List<String> lines, int from, String m, int events) {
    List<String> expected = new ArrayList<>(List.of("```JSON", "\"r-" + m + "\"", "```"));
    for (int e = 1; e <= events; e++) {
      expected.addAll(List.of(EVENT_HEADER, "```Text console.log", "09:05:01 e-" + m + "-" + e, "```"));
    }
    int end = from + expected.size();
    return end <= lines.size() && lines.subList(from, end).equals(expected)
        && (end == lines.size() || !lines.get(end).equals(EVENT_HEADER));
  }

  /**
   * A stale save that read the request not yet accepted may have undone its accept (a queued job's accept can
   * come long before it runs); the broker then reads it as a new request (the merge rule). A request a save put in
   * twice (see {@link EditingAgent.Save#twice}) runs twice.
   */
  private static boolean rerunExcused(EditingAgent agent, String m) {
    return agent.saves.stream().anyMatch(s -> s.stale() && s.unaccepted().contains(m)
        || s.twice().contains("'" + m + "'"));
  }

  /**
   * A stale save that wrote the log without the reply, after the realm sent it, put the placeholder back. The
   * broker writes the reply again unless it no longer keeps it (it keeps the last {@value #REPLIES_KEPT} of a realm)
   * or the placeholder is not unique (the request ran twice, and both runs' placeholders look the same).
   */
  private static boolean lostReplyExcused(EditingAgent agent, AnsweringRealm realm, String m, AnsweringRealm.Runs runs) {
    long sentAt = runs.resultSentAt()[0];
    boolean undone = sentAt != 0 && agent.saves.stream().anyMatch(s -> s.stale() && !s.replies().contains(m)
        && s.endedAt() > sentAt);
    // An upper bound of the results sent after this one: every later first result, and every second run's.
    long later = realm.runs().values().stream().filter(r -> r.resultSentAt()[0] > sentAt).count()
        + realm.runs().values().stream().mapToLong(r -> r.dispatchedAt().size() - 1).sum();
    return undone && (runs.dispatchedAt().size() > 1 || later >= REPLIES_KEPT);
  }

  /** What the broker's text lost to stale saves amounts to in this run. */
  private static String excused(String log, EditingAgent agent, AnsweringRealm realm) {
    List<String> lines = List.of(log.split("\n", -1));
    long twice = agent.lines.stream().filter(l -> lines.indexOf(l) != lines.lastIndexOf(l)).count();
    long reruns = realm.runs().values().stream().filter(r -> r.dispatchedAt().size() > 1).count();
    long lost = agent.requests.stream().filter(m -> !log.contains("\n\"r-" + m + "\"\n")).count();
    long background = realm.background().keySet().stream().filter(b -> !log.contains(" b-" + b + "\n")).count();
    return reruns + " requests run twice, " + lost + " replies and " + background
        + " background events undone by stale saves, " + twice + " agent lines twice (a save in place into a replaced"
        + " version, made again)";
  }

  private static int footer(List<String> lines) {
    int found = -1;
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).equals(RULE) && lines.get(i + 1).equals(PROMPT)) {
        assertThat(found).as("a second footer at line " + i).isEqualTo(-1);
        found = i;
      }
    }
    assertThat(found).as("the footer").isNotNegative();
    return found;
  }

  /** The agent's and the broker's fences here are plain: every line starting with ``` opens or closes one. */
  private static void assertFencesClosed(List<String> lines) {
    boolean open = false;
    for (String l : lines) {
      if (l.startsWith("```")) {
        assertThat(open && !l.equals("```")).as("a fence opened inside a fence: " + l).isFalse();
        open = !open;
      }
    }
    assertThat(open).as("an unclosed fence at the end").isFalse();
  }
}

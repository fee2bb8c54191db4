package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.SpecAuditTest.EVENT_TIME;
import static io.daebug.broker.transport.ws.SpecAuditTest.FAIL;
import static io.daebug.broker.transport.ws.SpecAuditTest.FOOTER;
import static io.daebug.broker.transport.ws.SpecAuditTest.LOG_EVENT;
import static io.daebug.broker.transport.ws.SpecAuditTest.OK;
import static io.daebug.broker.transport.ws.SpecAuditTest.SAID;
import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.transport.ws.SpecAuditTest.Rig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for the spec promises the black-box audit ({@link SpecAuditTest}) found broken: a late
 * reply among more than 10 events, events repeated in a late reply, a BOM hiding a header or a fence, a
 * name of many leading dashes, and where a missing header is inserted.
 */
class SpecAuditRegressionTest {
  @TempDir Path base;
  private Rig rig;
  private TestBroker broker;

  @BeforeEach
  void setUp() throws Exception {
    rig = new Rig(base);
    broker = rig.start(UnaryOperator.identity());
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.shutdown();
  }

  @Test
  @DisplayName("§1 leading dashes are removed however many there are: 300 dashes + 'abc' is 'abc', not refused")
  void manyLeadingDashes() throws Exception {
    assertThat(rig.connect().hello("-".repeat(300) + "abc").name()).isEqualTo("abc");
    rig.awaitLog("abc");
  }

  @Test
  @DisplayName("§2 a log an agent created with a UTF-8 BOM is adopted: its header is kept and its fence runs")
  void adoptedLogWithBom() throws Exception {
    Files.createDirectories(broker.root().resolve("daebug"));
    String text = "\uFEFF" + SAID + "claude to bommed at 09:00:00\n```js\n1 + 1\n```\n";
    Files.writeString(broker.logFile("bommed"), text, UTF_8);
    FakeRealm realm = rig.connect();
    assertThat(realm.hello("bommed").name()).isEqualTo("bommed");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("1 + 1");
    realm.sendResult(job.id(), "2");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("bommed"))).isEqualTo(
        text + OK + "bommed to claude at " + NOW + " (Nms)\n```JSON\n2\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("§2 a log an agent created with a BOM right before a fence: the fence runs")
  void adoptedLogWithBomBeforeFence() throws Exception {
    Files.createDirectories(broker.root().resolve("daebug"));
    Files.writeString(broker.logFile("bomfence"), "\uFEFF```js\n'first line'\n```\n", UTF_8);
    FakeRealm realm = rig.connect();
    assertThat(realm.hello("bomfence").name()).isEqualTo("bomfence");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("'first line'");
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("bomfence")).contains("```JSON\n1\n```\n"));
  }

  @Test
  @DisplayName("§2.3 a late result goes below the 🚫 reply and ALL its events, also when more than 10 were cut")
  void lateReplyBelowManyEvents() throws Exception {
    FakeRealm realm = rig.connected("late11");
    broker.append("late11", "```js timeout=500ms\nnoisy()\n```\n");
    RunJob job = realm.awaitJob();
    for (int i = 1; i <= 11; i++) {
      realm.sendEvent(job.id(), "log", EVENT_TIME, "event " + i);
    }
    StringBuilder events = new StringBuilder();
    for (int i : new int[] {1, 2, 0, 4, 5, 6, 7, 8, 9, 10, 11}) {
      events.append(i == 0 ? "... (1 more background events omitted) ...\n" : LOG_EVENT + "event " + i + "\n```\n");
    }
    events.append("Omitted events: [late11.events/" + job.id() + ".md](late11.events/" + job.id() + ".md)\n");
    String failed = FAIL + "late11 to agent at " + NOW + " (500ms)\n```Error\njob timed out after 500ms\n```\n" + events;
    await().untilAsserted(() -> assertThat(broker.log("late11")).endsWith(failed + "\n" + FOOTER));

    realm.sendResult(job.id(), "42");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("late11"))).contains(" (late)\n"));
    // the late reply (without the events again, see lateReplyDoesNotRepeatEvents) follows the last event
    assertThat(Rig.normalised(broker.log("late11"))).endsWith(Rig.normalised(failed) + OK + "late11 to agent at " + NOW
        + " (Nms) (late)\n```JSON\n42\n```\n\n" + FOOTER);
  }

  @Test
  @DisplayName("§2.4 events of a timed-out job are journalled once, not again under its late reply")
  void lateReplyDoesNotRepeatEvents() throws Exception {
    FakeRealm realm = rig.connected("late3");
    broker.append("late3", "```js timeout=300ms\nnoisy()\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendEvent(job.id(), "log", EVENT_TIME, "only once");
    String failed = FAIL + "late3 to agent at " + NOW + " (300ms)\n```Error\njob timed out after 300ms\n```\n"
        + LOG_EVENT + "only once\n```\n";
    await().untilAsserted(() -> assertThat(broker.log("late3")).endsWith(failed + "\n" + FOOTER));
    realm.sendResult(job.id(), "42");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("late3"))).endsWith(Rig.normalised(failed) + OK + "late3 to agent at "
        + NOW + " (Nms) (late)\n```JSON\n42\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("docs: a missing header is inserted at the first non-blank line of the appended text, "
      + "even when that line opens a non-runnable fence")
  void insertedHeaderStartsTheAppendedText() throws Exception {
    FakeRealm realm = rig.connected("hdr");
    String before = rig.awaitLog("hdr");
    broker.append("hdr", "```text\ncontext for the request\n```\n```js\n1\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("hdr"))).isEqualTo(Rig.head(before) + "\n" + SAID
        + "agent to hdr at " + NOW + "\n```text\ncontext for the request\n```\n```js\n1\n```\n" + OK + "hdr to agent at "
        + NOW + " (Nms)\n```JSON\n1\n```\n\n" + FOOTER));
  }
}

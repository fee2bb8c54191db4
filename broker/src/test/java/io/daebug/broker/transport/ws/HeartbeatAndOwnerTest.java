package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.protocol.RunJob;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Realm heartbeats ({@code beat}) and the owner's copy of a worker's {@code cancel} (docs/protocol.md). */
class HeartbeatAndOwnerTest extends BrokerAndRealms {
  @Test
  @DisplayName("a cancel of a worker's job is copied to its owner page, naming the worker")
  void cancelOfAWorkerJobIsCopiedToItsOwner() throws Exception {
    broker = TestBroker.start(root);
    FakeRealm page = connect();
    page.hello("app");
    FakeRealm worker = connect();
    worker.sendRaw("{\"type\":\"hello\",\"name\":\"app-webworker\",\"kind\":\"worker\","
        + "\"url\":\"worker://app-webworker\",\"tab\":\"t-w1\",\"parent\":\"app\"}");
    assertThat(worker.awaitWelcome().name()).isEqualTo("app-webworker");
    await().untilAsserted(() -> assertThat(broker.log("app-webworker")).endsWith(FOOTER.replace("this page.", "this realm.")));

    broker.append("app-webworker", "```js\nwhile (true) {}\n```\n");
    RunJob job = worker.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("app-webworker")).contains("executing (0s)"));
    broker.append("app-webworker", "%%CANCEL%%\n");

    CancelJob own = worker.next(CancelJob.class);
    assertThat(own.id()).isEqualTo(job.id());
    assertThat(own.realm()).isNull();
    CancelJob copy = page.next(CancelJob.class);
    assertThat(copy.id()).isEqualTo(job.id());
    assertThat(copy.realm()).isEqualTo("app-webworker");
    assertThat(copy.reason()).isEqualTo("cancelled by a %%CANCEL%% line");
  }

  @Test
  @DisplayName("a realm that stops beating while its socket lives is listed unresponsive with its running job, and live again when it beats")
  void silentRealmIsUnresponsiveWithItsRunningJob() throws Exception {
    broker = TestBroker.start(root);
    FakeRealm page = connect();
    page.hello("app");
    page.sendRaw("{\"type\":\"beat\",\"intervalMs\":100}");
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith(FOOTER));
    broker.append("app", "```js\nwhile (true) {}\n```\n");
    RunJob job = page.awaitJob();

    await().untilAsserted(() -> assertThat(broker.registry())
        .containsPattern("\\* \\[app\\]\\(daebug/app\\.md\\) \\(.*\\) at \\d\\d:\\d\\d:\\d\\d: unresponsive \\(busy: job "
            + job.id() + " running \\d+s\\)\n"));

    // A long interval now, so the realm cannot fall silent again while the test looks.
    page.sendRaw("{\"type\":\"beat\",\"intervalMs\":60000}");
    await().untilAsserted(() -> assertThat(broker.registry()).contains(": executing\n"));
    page.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.registry()).contains(": live\n"));
  }

  @Test
  @DisplayName("a realm that never beats, or says it is hidden, is not judged by beats")
  void hiddenOrNeverBeatingRealmsStayLive() throws Exception {
    broker = TestBroker.start(root);
    FakeRealm hidden = connect();
    hidden.hello("hidden");
    hidden.sendRaw("{\"type\":\"beat\",\"intervalMs\":100,\"hidden\":true}");
    FakeRealm silent = connect();
    silent.hello("silent");
    silent.sendRaw("{\"type\":\"beat\",\"intervalMs\":100}");
    await().untilAsserted(() -> assertThat(broker.registry()).contains("(busy: no heartbeat for"));
    // The silent realm's state is published after the hidden one's last beat by more than its own
    // threshold, so the hidden realm had every chance to be marked too.
    assertThat(broker.registry()).containsPattern("\\[hidden\\].*: live\n");
  }
}

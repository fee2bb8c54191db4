package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.RunJob;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a realm's identity (its name, queue and log) can only be resumed by the tab that held it (item 1); what
 * the broker records of a realm's URL (items 3 and 9); error results cut to the result cap and connections that never
 * say hello closed (item 9).
 */
class IdentityRegressionTest extends BrokerAndRealms {

  @Test
  @DisplayName("a hello without the tab id during the grace period gets a suffix, not the realm's queued jobs")
  void noTabCannotResume() throws Exception {
    broker = TestBroker.start(root);
    FakeRealm real = connect();
    assertThat(real.hello("victim", "tab-real").name()).isEqualTo("victim");
    await().untilAsserted(() -> assertThat(broker.log("victim")).endsWith(FOOTER));
    real.close();
    await().untilAsserted(() -> assertThat(broker.registry()).contains("[victim](daebug/victim.md)")
        .contains(": disconnected"));
    broker.append("victim", "```js\nsecret()\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("victim")).contains("queued ("));

    FakeRealm thief = connect();
    assertThat(thief.hello("victim").name()).as("a hello without a tab id").isEqualTo("victim-2");
    FakeRealm otherTab = connect();
    assertThat(otherTab.hello("victim", "tab-guess").name()).as("a hello with another tab id").isEqualTo("victim-3");

    FakeRealm back = connect();
    assertThat(back.hello("victim", "tab-real").name()).as("the real tab keeps its name").isEqualTo("victim");
    RunJob job = back.awaitJob();
    assertThat(job.code()).isEqualTo("secret()");
    back.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("victim")).contains("```JSON\n1\n```\n"));
  }

  @Test
  @DisplayName("the URL a realm reports is recorded without the token and with U+2028 as %E2%80%A8")
  void recordedUrl() throws Exception {
    broker = TestBroker.start(root);
    FakeRealm page = connect();
    page.sendRaw("{\"type\":\"hello\",\"name\":\"page\",\"tab\":\"t\",\"url\":"
        + "\"http://127.0.0.1:8100/a\u2028b?x=1&token=s3cret-token-value\"}");
    assertThat(page.awaitWelcome().name()).isEqualTo("page");
    String recorded = "http://127.0.0.1:8100/a%E2%80%A8b?x=1";
    await().untilAsserted(() -> assertThat(broker.registry()).contains("[page](daebug/page.md) (" + recorded + ")"));
    FakeController controller = controller(Map.of());
    ControllerWelcome welcome = controller.hello("ci");
    assertThat(welcome.realms()).singleElement().satisfies(r -> assertThat(r.url()).isEqualTo(recorded));
    assertThat(broker.registry()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("an error result longer than --result-cap is cut in the log like a value")
  void errorIsCut() throws Exception {
    FakeRealm realm = start("cut");
    broker.append("cut", "```js\nthrow big\n```\n");
    RunJob job = realm.awaitJob();
    int cap = TestBroker.config(root).resultCap();
    realm.sendFailure(job.id(), "Error", "big", "Error: big\n" + "    at <anonymous>:1:1\n".repeat(cap / 10));
    await().untilAsserted(() -> assertThat(broker.log("cut")).containsPattern(
        "\n\\.\\.\\. \\(\\d+ more bytes omitted\\) \\.\\.\\.\n```\n"));
    assertThat(broker.log("cut").length()).isLessThan(cap * 2);
  }

  @Test
  @DisplayName("a realm or controller connection that never says hello is closed after the hello timeout")
  void helloTimeout() throws Exception {
    AtomicLong offset = new AtomicLong();
    broker = TestBroker.start(root, () -> System.nanoTime() + offset.get());
    FakeRealm silentRealm = connect();
    FakeController silentController = controller(Map.of());
    FakeRealm greeted = connect();
    greeted.hello("greeted", "tab-g");
    await().untilAsserted(() -> assertThat(broker.registry()).contains("[greeted]"));
    offset.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThat(silentRealm.awaitClosed()).isEqualTo(new FakeRealm.Closed(StatusCode.POLICY_VIOLATION,
        "no hello within 10s"));
    assertThat(silentController.awaitClosed()).isEqualTo(new FakeRealm.Closed(StatusCode.POLICY_VIOLATION,
        "no hello within 10s"));
    assertThat(greeted.isOpen()).isTrue();
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.protocol.RunJob;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A {@code %%CANCEL%%} line appended to a log cancels the running job (docs/journal-format.md). */
class CancelFromLogTest extends BrokerAndRealms {
  @Test
  @DisplayName("%%CANCEL%% cancels the running job: the realm is told, the reply says so, the line stays under it, and a late result is still written")
  void cancelsTheRunningJob() throws Exception {
    FakeRealm realm = start("app");
    broker.append("app", "```js\nwhile (true) {}\n```\n");
    RunJob job = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("executing (0s)"));
    broker.append("app", "%%CANCEL%%\n");
    assertThat(realm.next(CancelJob.class).id()).isEqualTo(job.id());
    await().untilAsserted(() -> assertThat(normalised(broker.log("app"))).endsWith("```js\nwhile (true) {}\n```\n"
        + FAIL + "app to agent at " + NOW + " (Nms)\n```Error\njob cancelled by a %%CANCEL%% line\n```\n"
        + "\n%%CANCEL%%\n\n" + FOOTER));

    realm.sendResult(job.id(), "\"finally\"");
    await().untilAsserted(() -> assertThat(normalised(broker.log("app"))).contains("job cancelled by a %%CANCEL%% line\n```\n"
        + OK + "app to agent at " + NOW + " (Nms) (late)\n```JSON\n\"finally\"\n```\n"));
    broker.append("app", "```js\n'next'\n```\n");
    realm.sendResult(realm.awaitJob().id(), "\"next\"");
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("```JSON\n\"next\"\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("a cancel and a new request in one append: the old job is cancelled, the new one runs")
  void cancelThenNewRequest() throws Exception {
    FakeRealm realm = start("app");
    broker.append("app", "```js\nslow()\n```\n");
    RunJob slow = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("executing (0s)"));
    broker.append("app", "%%CANCEL%%\n```js\nfast()\n```\n");
    assertThat(realm.next(CancelJob.class).id()).isEqualTo(slow.id());
    RunJob fast = realm.awaitJob();
    assertThat(fast.code()).isEqualTo("fast()");
    realm.sendResult(fast.id(), "1");
    await().untilAsserted(() -> {
      String log = normalised(broker.log("app"));
      assertThat(log).contains("slow()\n```\n" + FAIL + "app to agent at " + NOW + " (Nms)\n```Error\njob cancelled");
      assertThat(log).contains("fast()\n```\n" + OK + "app to agent at " + NOW + " (Nms)\n```JSON\n1\n```\n");
      assertThat(log.split("\n")).as("the line is kept once, acted on once").filteredOn("%%CANCEL%%"::equals)
          .hasSize(1);
      assertThat(log).contains("job cancelled by a %%CANCEL%% line\n```\n\n%%CANCEL%%\n\n### \uD83D\uDDE3\uFE0Fagent to app at "
          + NOW + "\n```js\nfast()\n```\n");
    });
  }

  @Test
  @DisplayName("with nothing running the line is only moved above the footer; inside a fence it is code, not a cancel")
  void nothingToCancelAndFencedCancel() throws Exception {
    FakeRealm realm = start("app");
    broker.append("app", "%%CANCEL%%\n");
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith("\n%%CANCEL%%\n\n" + FOOTER));
    broker.append("app", "```js\n`\n%%CANCEL%%\n`\n```\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("`\n%%CANCEL%%\n`");
    realm.sendResult(job.id(), "\"\\n%%CANCEL%%\\n\"");
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith("```JSON\n\"\\n%%CANCEL%%\\n\"\n```\n\n" + FOOTER));
    assertThat(realm.pending()).isZero();
  }
}

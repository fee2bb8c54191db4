package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.RunJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An agent saves a copy of the log it read before the broker accepted its requests (a stale save,
 * docs/journal-format.md "Writing: the merge rule"): the requests are back below the footer, unaccepted. Those of
 * jobs still queued or running get their placeholders back and do not run a second time; a placeholder put back
 * for a job already answered gets its reply again.
 */
class StaleSaveTest extends BrokerAndRealms {
  private static final String NOTE = "A note the agent added at the top.\n";

  @Test
  @DisplayName("a stale rename-save of a running and a queued job's requests: both keep their placeholders and run once")
  void requestsOfWaitingJobsPutBackByAStaleSaveRunOnce() throws Exception {
    FakeRealm realm = start("app");
    String fresh = broker.log("app");
    String requests = "```js\nslow()\n```\n```js\n'second'\n```\n";
    broker.append("app", requests);
    RunJob slow = realm.awaitJob();
    assertThat(slow.code()).isEqualTo("slow()");
    String accepted = "slow()\n```\n" + OK + "app to agent at " + NOW + "\nexecuting (0s)\n```js\n'second'\n```\n"
        + OK + "app to agent at " + NOW + "\nqueued (1 ahead)\n\n" + FOOTER;
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith(accepted));

    // The agent's editor still holds the log as it was before the accept, with its own two requests.
    String stale = fresh.replaceFirst("\n\n", "\n\n" + NOTE + "\n") + requests;
    Path swap = broker.logFile("app").resolveSibling(".app.md.swp");
    Files.writeString(swap, stale, StandardCharsets.UTF_8);
    Files.move(swap, broker.logFile("app"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    await().untilAsserted(() -> assertThat(broker.log("app")).contains(NOTE).endsWith(accepted));

    realm.sendResult(slow.id(), "\"slow done\"");
    RunJob second = realm.awaitJob();
    assertThat(second.code()).as("the job after slow()").isEqualTo("'second'");
    realm.sendResult(second.id(), "\"second\"");
    await().untilAsserted(() -> assertThat(normalised(broker.log("app"))).contains(NOTE).endsWith("slow()\n```\n"
        + OK + "app to agent at " + NOW + " (Nms)\n```JSON\n\"slow done\"\n```\n```js\n'second'\n```\n"
        + OK + "app to agent at " + NOW + " (Nms)\n```JSON\n\"second\"\n```\n\n" + FOOTER));
    assertThat(realm.pending()).as("jobs sent to the realm beyond the two").isZero();
  }

  @Test
  @DisplayName("a stale in-place save that puts back the placeholder of an answered job: its reply is written again")
  void aReplyUndoneByAStaleSaveIsWrittenAgain() throws Exception {
    FakeRealm realm = start("app");
    broker.append("app", "```js\n'value'\n```\n");
    RunJob job = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith("executing (0s)\n\n" + FOOTER));
    String read = broker.log("app"); // the agent's copy, with the placeholder

    realm.sendResult(job.id(), "\"value\"");
    String reply = "'value'\n```\n" + OK + "app to agent at " + NOW + " (Nms)\n```JSON\n\"value\"\n```\n\n" + FOOTER;
    await().untilAsserted(() -> assertThat(normalised(broker.log("app"))).endsWith(reply));
    String answered = broker.log("app");

    Files.writeString(broker.logFile("app"), read.replaceFirst("\n\n", "\n\n" + NOTE + "\n"), StandardCharsets.UTF_8);
    await().untilAsserted(() -> assertThat(broker.log("app")).isEqualTo(answered.replaceFirst("\n\n", "\n\n" + NOTE
        + "\n")));
  }

  @Test
  @DisplayName("the same code appended again while its first run waits is a new request and runs again")
  void theSameRequestAppendedAgainRunsAgain() throws Exception {
    FakeRealm realm = start("app");
    broker.append("app", "```js\nslow()\n```\n");
    RunJob first = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith("executing (0s)\n\n" + FOOTER));
    broker.append("app", "```js\nslow()\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith("queued (1 ahead)\n\n" + FOOTER));
    realm.sendResult(first.id(), "1");
    RunJob again = realm.awaitJob();
    assertThat(again.code()).isEqualTo("slow()");
    realm.sendResult(again.id(), "2");
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith("```JSON\n2\n```\n\n" + FOOTER));
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.RunJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Journal features that need a realm but not a browser: the result cap and the running placeholder. */
class JournalFeaturesTest extends OneBrokerRig {
  @Test
  void aResultOverTheCapIsCutInTheLogAndKeptWholeBesideIt() throws Exception {
    FakeRealm realm = rig.connect();
    realm.hello("big");
    await().untilAsserted(() -> assertThat(broker.log("big")).endsWith("page.\n\n"));
    broker.append("big", "```js\n'x'.repeat(100000)\n```\n");
    RunJob job = realm.awaitJob();
    String value = "x".repeat(100_000);
    realm.sendResult(job.id(), "\"" + value + "\"");

    String side = "big.results/" + job.id() + ".json";
    await().untilAsserted(() -> assertThat(broker.log("big")).contains("Full value: [" + side + "](" + side + ")"));
    String log = broker.log("big");
    // 64 KiB of the JSON text: the quote and 65535 x, then the exact count of what was left out.
    int kept = 64 * 1024;
    int omitted = value.length() + 2 - kept;
    assertThat(log).contains("```JSON\n\"" + "x".repeat(kept - 1) + "\n... (" + omitted
        + " more bytes omitted) ...\n```\nFull value: [" + side + "]");
    assertThat(Files.readString(root.resolve("daebug").resolve(side))).isEqualTo("\"" + value + "\"");
  }

  @Test
  void theRunningPlaceholderCountsItsSecondsEveryFiveSeconds() throws Exception {
    FakeRealm realm = rig.connect();
    realm.hello("slow");
    await().untilAsserted(() -> assertThat(broker.log("slow")).endsWith("page.\n\n"));
    broker.append("slow", "```js\nawait forever()\n```\n");
    RunJob job = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("slow")).contains("\nexecuting (0s)\n"));
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
        assertThat(broker.log("slow")).contains("\nexecuting (5s)\n").doesNotContain("executing (0s)"));
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("slow")).doesNotContain("executing (").contains("```JSON\n1\n```"));
  }
}

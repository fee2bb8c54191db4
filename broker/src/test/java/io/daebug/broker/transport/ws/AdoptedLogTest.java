package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.protocol.RunJob;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A log an agent wrote before its realm connected is adopted as it is, and its requests run once. */
class AdoptedLogTest extends OneBrokerRig {
  @Test
  void requestsInALogWrittenBeforeTheRealmConnectedRunOnceInOrder() throws Exception {
    Files.createDirectories(root.resolve("daebug"));
    String agentText = "Notes the agent wrote first.\n\n### 🗣️claude to early at 09:00:00\n```js\n1 + 1\n```\n"
        + "```js\n2 + 2\n```\n";
    Files.writeString(root.resolve("daebug/early.md"), agentText, UTF_8);

    FakeRealm realm = rig.connect();
    assertThat(realm.hello("early").name()).isEqualTo("early");
    RunJob first = realm.awaitJob();
    assertThat(first.code()).isEqualTo("1 + 1");
    realm.sendResult(first.id(), "2");
    RunJob second = realm.awaitJob();
    assertThat(second.code()).isEqualTo("2 + 2");
    realm.sendResult(second.id(), "4");
    await().untilAsserted(() -> assertThat(broker.log("early"))
        .startsWith("Notes the agent wrote first.\n\n### 🗣️claude to early at 09:00:00\n```js\n1 + 1\n```\n"
            + "#### 👍early to claude at ")
        .contains("```JSON\n2\n```\n```js\n2 + 2\n```\n#### 👍early to claude at ")
        .contains("```JSON\n4\n```\n")
        .endsWith("\n" + JournalFormat.RULE + "\n> Append your JavaScript snippet below to execute against this page.\n\n"));
    assertThat(broker.log("early").split(JournalFormat.RULE, -1)).hasSize(2);
    realm.assertExhausted();
  }
}

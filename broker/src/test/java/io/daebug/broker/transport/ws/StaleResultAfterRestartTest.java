package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.SpecAuditTest.FAIL;
import static io.daebug.broker.transport.ws.SpecAuditTest.FOOTER;
import static io.daebug.broker.transport.ws.SpecAuditTest.OK;
import static io.daebug.broker.transport.ws.SpecAuditTest.SAID;
import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.RunJob;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: job ids were {@code j-1}, {@code j-2}, ... in every broker run. A realm whose job ended while no
 * broker ran keeps the result in its outbox and sends it right after its hello to the next broker, which may
 * just have pushed its own {@code j-1} (a request appended while it was down): that stale result was journalled
 * as the new request's reply, and the real one was dropped as "a second result". Job ids now carry a tag of
 * their broker run, so a result of another run is an unknown job's, journalled as a diagnostic.
 */
class StaleResultAfterRestartTest {
  @TempDir Path root;
  private final WebSocketClient client = new WebSocketClient();
  private FakeRealm first;
  private FakeRealm again;

  @BeforeEach
  void startClient() throws Exception {
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (FakeRealm r : new FakeRealm[] {first, again}) {
      if (r != null) {
        r.abort();
      }
    }
    client.stop();
  }

  @Test
  @DisplayName("a result kept from a job of an earlier broker run is never taken for the reply to a job of this run")
  void staleResultIsNotTheReplyOfTheNewJob() throws Exception {
    RunJob old;
    try (TestBroker broker = TestBroker.start(root)) {
      first = FakeRealm.connect(client, broker.realmUri(), Map.of());
      first.hello("keeper", "tab-keeper");
      await().untilAsserted(() -> assertThat(broker.log("keeper")).endsWith(FOOTER));
      broker.append("keeper", "```js\n'old'\n```\n");
      old = first.awaitJob();
    }
    first.abort();

    try (TestBroker broker = TestBroker.start(root)) {
      broker.append("keeper", SAID + "claude to keeper at 09:00:00\n```js\n'new'\n```\n");
      again = FakeRealm.connect(client, broker.realmUri(), Map.of());
      again.sendHello("keeper", "tab-keeper");
      again.sendResult(old.id(), "\"stale\""); // what the realm's outbox flushes right after its hello
      again.awaitWelcome();
      RunJob current = again.awaitJob();
      assertThat(current.code()).isEqualTo("'new'");
      assertThat(current.id()).as("the new run's job id").isNotEqualTo(old.id());
      again.sendResult(current.id(), "\"fresh\"");
      await().untilAsserted(() -> assertThat(broker.log("keeper"))
          .contains("```js\n'new'\n```\n" + OK + "keeper to claude at " + NOW + " (")
          .contains("```JSON\n\"fresh\"\n```\n")
          .contains("a result for unknown job " + old.id() + " was ignored")
          .doesNotContain("\"stale\"")
          .doesNotContain("second result"));
      assertThat(broker.log("keeper")).containsPattern("'old'\n```\n" + FAIL + "keeper to agent at " + NOW
          + " \\(\\d+ms\\)\n```Error\nbroker shut down before the job finished\n```\n");
    }
  }
}

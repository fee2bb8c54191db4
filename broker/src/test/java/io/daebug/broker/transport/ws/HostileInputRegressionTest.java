package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.SpecAuditTest.FOOTER;
import static io.daebug.broker.transport.ws.SpecAuditTest.OK;
import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.transport.ws.SpecAuditTest.Rig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression tests for what the hostile-input audit ({@link HostileInputTest}) found broken. */
class HostileInputRegressionTest {
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
  @DisplayName("a result whose object key is a lone surrogate (valid JSON, what JSON.stringify sends for {'\\ud800': 1}) is journalled as the reply")
  void loneSurrogateInAKey() throws Exception {
    FakeRealm realm = rig.connected("surrkey");
    broker.append("surrkey", "```js\n({'\\ud800': 1})\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":true,\"value\":{\"\\ud800\":1}}");
    // observed: the frame is refused with bad-json "Broken surrogate pair in field name" and the job stays
    // pending until it times out; a lone surrogate in a string value is accepted
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("surrkey")))
        .contains(OK + "surrkey to agent at " + NOW + " (Nms)\n```").endsWith(FOOTER)
        .doesNotContain("executing ("));
    assertThat(realm.pending()).isZero();
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user trips over (issue 16): each test here failed before its fix. */
class NewUserTest {
  @TempDir
  Path base;

  private SpecAuditTest.Rig rig;
  private TestBroker broker;
  private Path root;

  @BeforeEach
  void start() throws Exception {
    rig = new SpecAuditTest.Rig(base);
    broker = rig.start(UnaryOperator.identity());
    root = broker.root();
  }

  @AfterEach
  void stop() throws Exception {
    rig.shutdown();
  }

  @Test
  void aSecondBrokerOnTheSameFolderIsRefusedWithTheRunningOnesUrlAndPid() throws Exception {
    String url = "http://127.0.0.1:" + broker.port() + "/";
    JsonNode lock = new ObjectMapper().readTree(Files.readString(root.resolve("daebug/.broker")));
    assertThat(lock.get("url").asText()).isEqualTo(url);
    assertThat(lock.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(lock.has("token")).isFalse();
    String registry = broker.registry();

    assertThatThrownBy(() -> TestBroker.start(root)).isInstanceOf(IOException.class)
        .hasMessageContaining("another Daebug broker already serves " + root)
        .hasMessageContaining(url)
        .hasMessageContaining("pid " + ProcessHandle.current().pid());

    // The refused broker touched nothing: the registry is the running broker's, which still serves.
    assertThat(broker.registry()).isEqualTo(registry).doesNotContain("SHUT DOWN");
    rig.connected("still-served");
    broker.close();
    assertThat(Files.readString(root.resolve("daebug/.broker"))).as("emptied when the broker stops").isEmpty();
    try (TestBroker next = TestBroker.start(root)) {
      assertThat(Files.readString(root.resolve("daebug/.broker"))).contains("\"url\":\"http://127.0.0.1:" + next.port() + "/\"");
    }
  }

  @Test
  void aDeletedRegistryIsWrittenAgainAtOnce() throws Exception {
    rig.connected("listed");
    Path registry = root.resolve("daebug.md");
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("listed", "live")));
    Files.delete(registry);
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("listed", "live")));
  }
}

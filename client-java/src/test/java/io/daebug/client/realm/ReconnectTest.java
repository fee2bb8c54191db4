package io.daebug.client.realm;

import static io.daebug.client.realm.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconnectTest {
  @TempDir Path root;

  @Test
  void aRestartedBrokerGetsTheRealmBackUnderTheSameNameWithItsState() throws Exception {
    try (BrokerRig rig = BrokerRig.start(root);
        JvmRealm realm = JvmRealm.start(RealmOptions.of(rig.uri()).withName("restarts")
            .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500)))) {
      realm.awaitConnected(TestAwait.AT_MOST);
      rig.request("restarts", "java", "int before = 41;");
      await().until(() -> rig.reply("restarts", "java", "int before = 41;"), r -> r != null);

      rig.restart();
      await().untilAsserted(() -> assertThat(rig.registry()).contains("* [restarts](daebug/restarts.md) (jvm://"));
      await().until(realm::isConnected);

      rig.request("restarts", "java", "before + 1");
      assertThat(await().until(() -> rig.reply("restarts", "java", "before + 1"), r -> r != null))
          .endsWith("\n```JSON\n42\n```\n");
      assertThat(realm.name()).isEqualTo("restarts");
      assertThat(Files.exists(rig.logFile("restarts-2"))).isFalse();
    }
  }

  @Test
  void awaitConnectedFailsWithTheReasonWhenNoBrokerListens() throws Exception {
    int port;
    try (BrokerRig rig = BrokerRig.start(root)) {
      port = rig.uri().getPort();
    }
    RealmOptions options = RealmOptions.of(java.net.URI.create("http://127.0.0.1:" + port + "/")).withName("lonely");
    try (JvmRealm realm = JvmRealm.start(options)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> realm.awaitConnected(Duration.ofMillis(300)))
          .isInstanceOf(io.daebug.client.BrokerUnavailableException.class)
          .hasMessage("not connected to ws://127.0.0.1:" + port + "/-daebug/realm within PT0.3S");
      assertThat(realm.isConnected()).isFalse();
      assertThat(realm.name()).isEqualTo("lonely");
    }
  }
}

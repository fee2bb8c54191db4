package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A realm on another host: the broker jar listens on {@value NetnsPair#ADDRESS_A} in one network namespace, a Node
 * realm runs in another and reaches it over a veth pair, so to the broker it is a client at
 * {@value NetnsPair#ADDRESS_B}, not on loopback. It is driven from its markdown log (the folder is shared, as a
 * network file system would share it). Without the token, or with a wrong one, the realm is refused at the upgrade
 * and never listed. Skipped where network namespaces are not allowed (not root, no iproute2).
 */
class NetnsIT {
  private static final String TOKEN = "netns-it-token-7f3a";

  @TempDir
  static Path root;

  static NetnsPair net;
  static BrokerProcess broker;
  static URI realmUri;
  static Registry registry;

  @BeforeAll
  static void start() throws IOException {
    net = NetnsPair.create();
    broker = BrokerProcess.start(net.inA(), root, "--host", NetnsPair.ADDRESS_A, "--token", TOKEN);
    URI printed = broker.awaitUri();
    assertThat(printed).hasHost(NetnsPair.ADDRESS_A).hasQuery("token=" + TOKEN);
    realmUri = URI.create("ws://" + NetnsPair.ADDRESS_A + ":" + printed.getPort());
    registry = new Registry(root);
  }

  @AfterAll
  static void stop() {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  @Test
  void aRealmInAnotherNamespaceWithTheTokenIsDrivenFromItsLog() throws IOException {
    try (NodeRealmProcess remote = NodeRealmProcess.start(net.inB(), realmUri, "remote", root, Map.of(),
        "--token", TOKEN)) {
      LogFile log = registry.awaitNode("remote", remote, "live", broker::output);
      await().untilAsserted(() -> assertThat(broker.output()).as("broker output").containsPattern(
          "realm remote connected \\(node, node://" + remote.pid() + "@\\S+\\) from /" + NetnsPair.ADDRESS_B + ":\\d+"));

      log.append("### 🗣️claude to remote at 10:11:12\n```js\n"
          + "Object.values(require('node:os').networkInterfaces()).flat()\n"
          + "  .filter(i => i.family === 'IPv4' && !i.internal).map(i => i.address)\n```\n");
      log.awaitAppended("""
          ### 🗣️claude to remote at 10:11:12
          ```js
          Object.values(require('node:os').networkInterfaces()).flat()
            .filter(i => i.family === 'IPv4' && !i.internal).map(i => i.address)
          ```
          #### 👍remote to claude at {time} ({ms})
          ```JSON
          [
            "%s"
          ]
          ```

          """.formatted(NetnsPair.ADDRESS_B));

      log.append("```js\nconsole.log('hello from', process.pid); 6 * 7\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to remote at {time}
          ```js
          console.log('hello from', process.pid); 6 * 7
          ```
          #### 👍remote to agent at {time} ({ms})
          ```JSON
          42
          ```
          ##### ☑️console.log
          ```Text console.log
          {time} hello from %d
          ```

          """.formatted(remote.pid()));
    }
  }

  @Test
  void aPythonRealmWithTheTokenRunsJobsAndOneWithoutIsRefused() throws IOException {
    long refusedBefore = refusals();
    try (PythonRealmProcess remote = PythonRealmProcess.start(net.inB(), realmUri, "remote-py", root, "--token", TOKEN);
        PythonRealmProcess refused = PythonRealmProcess.start(net.inB(), realmUri, "no-token-py", root)) {
      LogFile log = registry.awaitPython("remote-py", remote, "live", broker::output);
      log.append("```python\n6 * 7\n```\n");
      log.awaitFind("```JSON\n42\n```\n");
      await().untilAsserted(() -> {
        assertThat(refused.output()).as("python output").contains("cannot connect (refused: HTTP 401)");
        assertThat(refusals()).as("refusals logged by the broker:%n%s", broker.output()).isGreaterThan(refusedBefore);
      });
      assertThat(refused.isAlive()).as("the realm keeps retrying").isTrue();
      assertThat(registry.lists("no-token-py")).as("listed in%n%s", registry.read()).isFalse();
    }
  }

  @Test
  void withoutTheTokenTheRealmIsRefusedAndNeverListed() throws IOException {
    assertRefused("no-token");
  }

  @Test
  void withAWrongTokenTheRealmIsRefusedAndNeverListed() throws IOException {
    assertRefused("wrong-token", "--token", "not-the-token-at-all");
  }

  /** Starts a realm from namespace B with {@code args}; the broker refuses its upgrade with 401 and logs it. */
  private static void assertRefused(String name, String... args) throws IOException {
    long refusedBefore = refusals();
    try (NodeRealmProcess refused = NodeRealmProcess.start(net.inB(), realmUri, name, root, Map.of(), args)) {
      await().untilAsserted(() -> {
        assertThat(refused.output()).as("node output").contains("connection error: Unexpected server response: 401");
        assertThat(refusals()).as("refusals logged by the broker:%n%s", broker.output()).isGreaterThan(refusedBefore);
      });
      assertThat(refused.isAlive()).as("the realm keeps retrying").isTrue();
      assertThat(registry.lists(name)).as("%s listed in%n%s", name, registry.read()).isFalse();
      assertThat(root.resolve("daebug").resolve(name + ".md")).doesNotExist();
      assertThat(Files.exists(root.resolve("daebug.md"))).isTrue();
    }
  }

  /** The broker's log lines refusing a realm from namespace B for want of the token. */
  private static long refusals() {
    return broker.output().lines()
        .filter(l -> l.contains("refused realm upgrade from /" + NetnsPair.ADDRESS_B + ":") && l.endsWith("no valid token"))
        .count();
  }
}

package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker jar serving {@code https} and {@code wss} only ({@code --tls-keystore}), with a self-signed certificate
 * made by keytool during the test: a Node realm that trusts that certificate ({@code --ca FILE}, or Node's own
 * {@code NODE_EXTRA_CA_CERTS}) connects over {@code wss://} and runs jobs, as does a Python realm given
 * {@code --ca FILE}; one that does not is refused by its own TLS check and never listed; a Chromium tab
 * that ignores certificate errors loads an {@code https} page whose shim connects over {@code wss}.
 */
class TlsIT {
  private static final String PASSWORD = "changeit";

  @TempDir
  static Path root;

  /** The keystore and certificate live outside the served root. */
  @TempDir
  static Path secrets;

  static Path certificate;
  static BrokerProcess broker;
  static URI wss;
  static Registry registry;

  @BeforeAll
  static void start() throws Exception {
    Path keystore = secrets.resolve("broker.p12");
    certificate = secrets.resolve("broker.pem");
    keytool("-genkeypair", "-alias", "daebug", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "daebug", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", certificate.toString());
    broker = BrokerProcess.start(root, "--tls-keystore", keystore.toString(), "--tls-password", PASSWORD);
    URI printed = broker.awaitUri();
    assertThat(printed.getScheme()).isEqualTo("https");
    wss = URI.create("wss://127.0.0.1:" + printed.getPort());
    registry = new Registry(root);
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aNodeRealmTrustingTheCertificateWorksOverWss() throws IOException {
    try (NodeRealmProcess node = NodeRealmProcess.start(List.of(), wss, "secure-node", root, Map.of(),
        "--ca", certificate.toString())) {
      LogFile log = registry.awaitNode("secure-node", node, "live", broker::output);
      log.append("```js\n6 * 7\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to secure-node at {time}
          ```js
          6 * 7
          ```
          #### 👍secure-node to agent at {time} ({ms})
          ```JSON
          42
          ```

          """);
    }
  }

  @Test
  void nodeExtraCaCertsTrustsTheCertificateToo() throws IOException {
    try (NodeRealmProcess node = NodeRealmProcess.start(List.of(), wss, "extra-ca-node", root,
        Map.of("NODE_EXTRA_CA_CERTS", certificate.toString()))) {
      registry.awaitNode("extra-ca-node", node, "live", broker::output);
    }
  }

  @Test
  void aNodeRealmThatDoesNotTrustTheCertificateIsNeverListed() throws IOException {
    try (NodeRealmProcess node = NodeRealmProcess.start(wss, "untrusting-node", root)) {
      await().untilAsserted(() -> assertThat(node.output()).contains("connection error: self-signed certificate"));
      assertThat(node.isAlive()).as("it keeps retrying").isTrue();
      assertThat(registry.lists("untrusting-node")).as("listed in%n%s", registry.read()).isFalse();
    }
  }

  @Test
  void aPythonRealmTrustingTheCertificateWorksOverWssAndOneThatDoesNotIsNeverListed() throws IOException {
    try (PythonRealmProcess trusting = PythonRealmProcess.start(wss, "secure-py", root, "--ca", certificate.toString());
        PythonRealmProcess untrusting = PythonRealmProcess.start(wss, "untrusting-py", root)) {
      LogFile log = registry.awaitPython("secure-py", trusting, "live", broker::output);
      log.append("```python\n6 * 7\n```\n");
      log.awaitFind("```python\n6 * 7\n```\n#### 👍secure-py to agent at {time} ({ms})\n```JSON\n42\n```\n");
      await().untilAsserted(() -> assertThat(untrusting.output()).contains("CERTIFICATE_VERIFY_FAILED"));
      assertThat(untrusting.isAlive()).as("it keeps retrying").isTrue();
      assertThat(registry.lists("untrusting-py")).as("listed in%n%s", registry.read()).isFalse();
    }
  }

  @Test
  void aChromiumTabLoadsAnHttpsPageAndConnectsOverWss() throws IOException {
    Pages.write(root, "secure.html");
    String page = "https://127.0.0.1:" + wss.getPort() + "/secure.html";
    try (Chromium chromium = Chromium.launch(false, List.of("--ignore-certificate-errors"))) {
      chromium.openTab(page);
      LogFile log = registry.awaitLive(page);
      log.append("```js\n[location.protocol, isSecureContext, daebug.socket.connected]\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to %1$s at {time}
          ```js
          [location.protocol, isSecureContext, daebug.socket.connected]
          ```
          #### 👍%1$s to agent at {time} ({ms})
          ```JSON
          [
            "https:",
            true,
            true
          ]
          ```

          """.formatted(log.realm()));
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.protocol.ControllerError;
import io.daebug.broker.protocol.JobDispatched;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.RunJob;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits and security options of issue 4 on a real broker: origin allow-list, per-address and queue limits, TLS. */
class SecurityLimitsTest {
  private static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  private static WebSocketClient client;

  @TempDir Path root;
  private TestBroker broker;
  private final List<FakeRealm> realms = new ArrayList<>();
  private final List<FakeController> controllers = new ArrayList<>();

  @BeforeAll
  static void startClient() throws Exception {
    client = new WebSocketClient();
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  @AfterEach
  void tearDown() {
    controllers.forEach(FakeController::close);
    realms.forEach(FakeRealm::abort);
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @DisplayName("--allow-origin lets pages of that origin open sockets; other foreign origins stay refused")
  void originAllowList() throws Exception {
    start(c -> c.withSecurity(new BrokerConfig.Security(null, false, List.of(), List.of("http://Dev.Example:3000/"),
        null, null)));
    FakeRealm ok = FakeRealm.connect(client, broker.realmUri(), Map.of("Origin", "http://dev.example:3000"));
    realms.add(ok);
    assertThat(ok.hello("from-dev").name()).isEqualTo("from-dev");
    assertThatThrownBy(() -> FakeRealm.connect(client, broker.realmUri(), Map.of("Origin", "http://dev.example:3001")))
        .hasMessageContaining("403");
    assertThatThrownBy(() -> FakeRealm.connect(client, broker.realmUri(), Map.of("Origin", "https://dev.example:3000")))
        .hasMessageContaining("403");
  }

  @Test
  @DisplayName("a malformed --allow-origin is refused at start with a message naming it")
  void badOriginOption() {
    assertThatThrownBy(() -> new BrokerConfig.Security(null, false, List.of(), List.of("dev.example"), null, null))
        .hasMessageContaining("dev.example");
  }

  @Test
  @DisplayName("--max-realms-per-address: one too many is closed with a reason; the others keep working")
  void realmsPerAddress() throws Exception {
    start(c -> c.withLimits(new BrokerConfig.Limits(1 << 20, 64 * 1024, 2, 1000)));
    realm("one");
    FakeRealm two = realm("two");
    FakeRealm three = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(three);
    three.sendHello("three", null);
    FakeRealm.Closed closed = three.awaitClosed();
    assertThat(closed.status()).isEqualTo(StatusCode.POLICY_VIOLATION);
    assertThat(closed.reason()).contains("too many realms").contains("--max-realms-per-address");
    assertThat(broker.logFile("three")).doesNotExist();
    two.close();
    await().untilAsserted(() -> assertThat(broker.registry()).contains("two").contains("disconnected"));
    assertThat(realm("four").isOpen()).isTrue();
  }

  @Test
  @DisplayName("--max-queue: a controller's submission over the limit gets queue-full; log requests over it get a 🚫 reply")
  void queueLimit() throws Exception {
    start(c -> c.withLimits(new BrokerConfig.Limits(1 << 20, 64 * 1024, 1000, 2)));
    FakeRealm realm = realm("app");
    FakeController c = FakeController.connect(client,
        URI.create("ws://127.0.0.1:" + broker.port() + WsServer.CONTROL_PATH), Map.of());
    controllers.add(c);
    c.hello("ci");
    c.submit("a", "app", "'a'");
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    c.submit("b", "app", "'b'");
    c.next(JobQueued.class);
    c.submit("c", "app", "'c'");
    ControllerError full = c.next(ControllerError.class);
    assertThat(full.code()).isEqualTo("queue-full");
    assertThat(full.message()).contains("--max-queue");

    broker.append("app", "```js\n'd'\n```\n```js\n'e'\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("app"))
        .contains("'d'\n```\n" + FAIL + "app to agent at " + TestBroker.NOW + " (0ms)\n```Error\nqueue full: realm app"
            + " already has 2 jobs queued or running (--max-queue)\n```\n")
        .contains("'e'\n```\n" + FAIL + "app to agent at "));
    RunJob a = realm.awaitJob();
    realm.sendResult(a.id(), "1");
    RunJob b = realm.awaitJob();
    assertThat(b.code()).isEqualTo("'b'");
    realm.sendResult(b.id(), "2");
    await().untilAsserted(() -> assertThat(broker.log("app")).doesNotContain("queued (").doesNotContain("executing ("));
  }

  @Test
  @DisplayName("--tls-keystore: the broker serves wss:// (and https://) with a keystore made by keytool in the test")
  void tls() throws Exception {
    Path keystore = root.resolve("test.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "daebug", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
    start(c -> c.withSecurity(new BrokerConfig.Security(null, false, List.of(), List.of(), keystore, "changeit")));
    assertThat(broker.broker().uri().getScheme()).isEqualTo("https");

    SslContextFactory.Client trustAll = new SslContextFactory.Client(true);
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(trustAll);
    WebSocketClient wss = new WebSocketClient(new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector)));
    wss.start();
    try {
      FakeRealm secure = FakeRealm.connect(wss, URI.create("wss://127.0.0.1:" + broker.port() + WsServer.REALM_PATH),
          Map.of());
      realms.add(secure);
      assertThat(secure.hello("secure").name()).isEqualTo("secure");
      await().untilAsserted(() -> assertThat(broker.log("secure")).contains("> Append your"));
      broker.append("secure", "```js\n1 + 1\n```\n");
      RunJob job = secure.awaitJob();
      secure.sendResult(job.id(), "2");
      await().untilAsserted(() -> assertThat(broker.log("secure")).contains("```JSON\n2\n```\n"));
      assertThatThrownBy(() -> FakeRealm.connect(client, broker.realmUri(), Map.of()))
          .as("plain ws:// is not served").isNotNull();
    } finally {
      wss.stop();
    }
  }

  private void start(UnaryOperator<BrokerConfig> tweak) throws Exception {
    broker = TestBroker.start(root, tweak);
  }

  private FakeRealm realm(String name) throws Exception {
    FakeRealm r = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(r);
    r.hello(name);
    await().untilAsserted(() -> assertThat(broker.log(name)).contains("> Append your"));
    return r;
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What tests of one broker and scripted realms share: a WebSocket client for the class, a broker on a temporary
 * root (started by the test), and the realms it connected, each checked at the end to have taken every message.
 */
abstract class BrokerAndRealms {
  static final String FOOTER = "-".repeat(70) + "\n"
      + "> Append your JavaScript snippet below to execute against this page.\n\n";
  static final String OK = "#### \uD83D\uDC4D"; // #### 👍
  static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  private static WebSocketClient client;

  @TempDir Path root;
  TestBroker broker;
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
    try {
      realms.forEach(FakeRealm::assertExhausted);
    } finally {
      realms.forEach(FakeRealm::abort);
      controllers.forEach(FakeController::close);
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** A realm connected to the broker, not introduced yet. */
  FakeRealm connect() throws Exception {
    FakeRealm r = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(r);
    return r;
  }

  /** A realm connected to another broker's realm endpoint, not introduced yet. */
  FakeRealm connect(java.net.URI realmUri) throws Exception {
    FakeRealm r = FakeRealm.connect(client, realmUri, Map.of());
    realms.add(r);
    return r;
  }

  /** A realm connected with these upgrade headers (e.g. Origin), not introduced yet. */
  FakeRealm connect(Map<String, String> headers) throws Exception {
    FakeRealm r = FakeRealm.connect(client, broker.realmUri(), headers);
    realms.add(r);
    return r;
  }

  /** A controller connected to {@code /-daebug/control} with these upgrade headers, not introduced yet. */
  FakeController controller(Map<String, String> headers) throws Exception {
    FakeController c = FakeController.connect(client,
        java.net.URI.create("ws://127.0.0.1:" + broker.port() + WsServer.CONTROL_PATH), headers);
    controllers.add(c);
    return c;
  }

  /** Starts the broker and a realm named {@code name}, once its log is there. */
  FakeRealm start(String name) throws Exception {
    broker = TestBroker.start(root);
    FakeRealm r = connect();
    r.hello(name);
    await().untilAsserted(() -> assertThat(broker.log(name)).endsWith(FOOTER));
    return r;
  }

  /** The log with every {@code (Nms)} duration written as {@code (Nms)}. */
  static String normalised(String log) {
    return log.replaceAll("\\(\\d+ms\\)", "(Nms)");
  }
}

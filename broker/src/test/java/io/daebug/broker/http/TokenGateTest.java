package io.daebug.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token gate in front of the HTTP handler. Tests can only connect from loopback, which the broker
 * exempts, so this gate is built without that exemption.
 */
class TokenGateTest {
  private static final String TOKEN = "s3cret-token-123";

  @TempDir
  Path root;

  private Server server;
  private int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(root.resolve("index.html"), "<html><head></head><body>hi</body></html>");
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new DaebugHttpHandler(root, new HostOriginPolicy("127.0.0.1", List.of()),
        new TokenGate(TOKEN, false, true), () -> Map.of("status", "ok")));
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void withoutTheTokenEverythingIsRefused() throws Exception {
    HttpResponse<String> r = get("/index.html", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("token required");
    assertThat(get("/-daebug/health", null).statusCode()).isEqualTo(401);
    assertThat(get("/index.html?token=wrong-token-456", null).statusCode()).isEqualTo(401);
    assertThat(get("/index.html", TokenGate.COOKIE + "=nope").statusCode()).isEqualTo(401);
  }

  @Test
  void theTokenInTheUrlOpensThePageAndSetsACookieThatWorksAfterwards() throws Exception {
    HttpResponse<String> first = get("/index.html?token=" + TOKEN, null);
    assertThat(first.statusCode()).isEqualTo(200);
    String cookie = first.headers().firstValue("set-cookie").orElseThrow();
    assertThat(cookie).startsWith(TokenGate.COOKIE + "=" + TOKEN).contains("HttpOnly", "SameSite=Strict");
    assertThat(get("/index.html", cookie.substring(0, cookie.indexOf(';'))).statusCode()).isEqualTo(200);
  }

  @Test
  void generatedTokensAreLongAndDistinct() {
    String a = TokenGate.generate();
    assertThat(a).hasSizeGreaterThanOrEqualTo(20).matches("[A-Za-z0-9_-]+").isNotEqualTo(TokenGate.generate());
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package io.daebug.broker.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.config.BrokerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page, modules and log endpoint over real HTTP (the page in a browser: DashboardIT). */
class DashboardEndpointTest {
  private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir Path root;
  private TestBroker broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @DisplayName("/-daebug/ is the dashboard: no realm script, a strict CSP, no framing, no referrer; its modules are served")
  void page() throws Exception {
    broker = TestBroker.start(root);
    HttpResponse<String> page = get("/-daebug/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Daebug dashboard</title>").contains("/-daebug/dashboard/app.js")
        .doesNotContain("page.js");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
        .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(get("/-daebug", Map.of()).headers().firstValue("Location")).hasValue("/-daebug/");
    for (String module : List.of("app.js", "model.js", "view.js", "style.css")) {
      HttpResponse<String> m = get("/-daebug/dashboard/" + module, Map.of());
      assertThat(m.statusCode()).as(module).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith(module.endsWith(".js") ? "text/javascript"
          : "text/css");
    }
    assertThat(get("/-daebug/dashboard/missing.js", Map.of()).statusCode()).isEqualTo(404);
    assertThat(get("/-daebug/dashboard/..%2Fpom.xml", Map.of()).statusCode()).isEqualTo(400); // Jetty: ambiguous
    assertThat(get("/-daebug/dashboard/.hidden", Map.of()).statusCode()).isEqualTo(404);
    assertThat(rawStatus("/-daebug/", "rebound.example")).isEqualTo(421);
  }

  @Test
  @DisplayName("/-daebug/log: the end of a log from a line start, its size; bad names, links and FIFOs refused")
  void log() throws Exception {
    broker = TestBroker.start(root);
    Path logs = Files.createDirectories(root.resolve("daebug"));
    Files.writeString(logs.resolve("app.md"), "first line\nsecond line\nthird line\n");
    HttpResponse<String> all = get("/-daebug/log?realm=app", Map.of());
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).isEqualTo("first line\nsecond line\nthird line\n");
    assertThat(all.headers().firstValue("X-Daebug-Log-Size")).hasValue("34");
    assertThat(get("/-daebug/log?realm=app&tail=15", Map.of()).body()).isEqualTo("third line\n");
    assertThat(get("/-daebug/log?realm=..%2Fpom", Map.of()).statusCode()).isEqualTo(400);
    assertThat(get("/-daebug/log", Map.of()).statusCode()).isEqualTo(400);
    assertThat(get("/-daebug/log?realm=app&tail=x", Map.of()).statusCode()).isEqualTo(400);
    assertThat(get("/-daebug/log?realm=nope", Map.of()).statusCode()).isEqualTo(404);
    Path secret = Files.writeString(Files.createTempDirectory("outside").resolve("secret.md"), "secret");
    Files.createSymbolicLink(logs.resolve("linked.md"), secret);
    assertThat(get("/-daebug/log?realm=linked", Map.of()).statusCode()).isEqualTo(404);
    Process mkfifo = new ProcessBuilder("mkfifo", logs.resolve("fifo.md").toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(get("/-daebug/log?realm=fifo", Map.of()).statusCode()).isEqualTo(404);
    assertThat(get("/-daebug/log?realm=app", Map.of("Origin", "http://evil.example")).statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("with --require-token the log needs the token as Bearer or ?token=, never the cookie")
  void logToken() throws Exception {
    broker = TestBroker.start(root, c -> c.withSecurity(new BrokerConfig.Security("s3cret-token", true, List.of(),
        List.of(), null, null)));
    Files.createDirectories(root.resolve("daebug"));
    Files.writeString(root.resolve("daebug").resolve("app.md"), "x\n");
    assertThat(get("/-daebug/log?realm=app", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/-daebug/log?realm=app", Map.of("Cookie", "daebug-token=s3cret-token")).statusCode()).isEqualTo(401);
    assertThat(get("/-daebug/log?realm=app", Map.of("Authorization", "Bearer wrong-token")).statusCode()).isEqualTo(401);
    assertThat(get("/-daebug/log?realm=app", Map.of("Authorization", "Bearer s3cret-token")).statusCode()).isEqualTo(200);
    assertThat(get("/-daebug/log?realm=app&token=s3cret-token", Map.of()).statusCode()).isEqualTo(200);
    // the page itself, on loopback, needs no token (its controller socket does)
    assertThat(get("/-daebug/", Map.of()).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.port() + path));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with a Host header of our choosing (HttpClient will not set one), over a plain socket. */
  private int rawStatus(String path, String host) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", broker.port())) {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}

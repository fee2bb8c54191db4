package io.daebug.broker.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Component test: real Jetty on 127.0.0.1 port 0, a real project folder, real HTTP clients. */
class HttpHandlerTest {

  private static final String SCRIPT = HtmlInjector.SCRIPT_TAG;
  private static final String SECRET = "TOP-SECRET-OUTSIDE-ROOT";

  @TempDir Path base;
  private Path root;
  private Server server;
  private final AtomicReference<Supplier<Object>> healthSource = new AtomicReference<>();
  private int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    root = Files.createDirectory(base.resolve("project"));
    Files.writeString(base.resolve("secret.txt"), SECRET);
    Files.createDirectories(root.resolve("daebug"));
    Files.writeString(root.resolve("daebug/x.md"), "journal " + SECRET);
    Files.createDirectories(root.resolve("daebug/x.history"));
    Files.writeString(root.resolve("daebug/x.history/0001.md"), "journal history " + SECRET);
    Files.writeString(root.resolve("daebug.md"), "# status");
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".git/config"), "[core] " + SECRET);
    Files.writeString(root.resolve(".env"), "KEY=" + SECRET);
    Files.writeString(root.resolve("a.txt"), "plain text");

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("daebug-http-test");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("status", "ok");
    health.put("realms", 2);
    server.setErrorHandler(new PlainTextErrorHandler());
    healthSource.set(() -> health);
    server.setHandler(new DaebugHttpHandler(
        root, new HostOriginPolicy("127.0.0.1", List.of()), new TokenGate(null), () -> healthSource.get().get()));
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  // ---- static files -------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
      "style.css, text/css; charset=utf-8",
      "app.js, text/javascript; charset=utf-8",
      "mod.mjs, text/javascript; charset=utf-8",
      "data.json, application/json; charset=utf-8",
      "notes.md, text/markdown; charset=utf-8",
      "readme.txt, text/plain; charset=utf-8",
      "pic.png, image/png",
      "icon.svg, image/svg+xml; charset=utf-8",
      "blob.weird-ext, application/octet-stream",
      "NOEXT, application/octet-stream"})
  void servesFilesWithTheirMimeType(String name, String type) throws Exception {
    byte[] content = ("content of " + name).getBytes(UTF_8);
    Files.write(root.resolve(name), content);

    HttpResponse<byte[]> r = get("/" + name);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(type);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(r.headers().firstValue("Last-Modified")).get().asString().endsWith(" GMT");
    assertThat(r.body()).isEqualTo(content);
  }

  @Test
  void decodesSpacesAndUnicodeInNames() throws Exception {
    Files.createDirectories(root.resolve("sub dir"));
    Files.writeString(root.resolve("sub dir/café ☕.txt"), "coffee");
    Files.writeString(root.resolve("hello world.txt"), "hi");

    assertThat(body(get("/hello%20world.txt"))).isEqualTo("hi");
    assertThat(body(get("/sub%20dir/caf%C3%A9%20%E2%98%95.txt"))).isEqualTo("coffee");
  }

  @Test
  void streamsLargeFilesIntact() throws Exception {
    byte[] big = new byte[5 * 1024 * 1024 + 7];
    new Random(42).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);

    HttpResponse<byte[]> r = get("/big.bin");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(big.length);
    assertThat(r.body()).isEqualTo(big);
  }

  @Test
  void headAnswersHeadersWithoutBody() throws Exception {
    Files.writeString(root.resolve("page.html"), "<html><head></head></html>");

    Raw txt = raw("HEAD /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(txt.status).isEqualTo(200);
    assertThat(txt.header("content-length")).isEqualTo("10");
    assertThat(txt.body).isEmpty();

    Raw html = raw("HEAD /page.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(html.status).isEqualTo(200);
    assertThat(html.header("content-length"))
        .isEqualTo(String.valueOf("<html><head></head></html>".length() + SCRIPT.length()));
    assertThat(html.body).isEmpty();
  }

  // ---- HTML injection -------------------------------------------------------------------------

  static Stream<String> markedPages() {
    return Stream.of(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>|\n<title>t</title></head><body>x</body></html>",
        "<!DOCTYPE html><HTML><HEAD>|<TITLE>upper</TITLE></HEAD></HTML>",
        "<html><head data-a=\"1\" class='x'>|</head><body><header>h</header></body></html>",
        "<html lang=\"en\">|<header>no head element</header></html>",
        "<!doctype html>|\n<p>neither html nor head</p>",
        "|<p>no tags at all</p>");
  }

  @ParameterizedTest
  @MethodSource("markedPages")
  void injectsTheClientScriptAtTheRightPlace(String marked) throws Exception {
    Files.writeString(root.resolve("page.html"), marked.replace("|", ""));

    HttpResponse<byte[]> r = get("/page.html");

    String expected = marked.replace("|", SCRIPT);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(body(r)).isEqualTo(expected);
    assertThat(r.headers().firstValueAsLong("Content-Length"))
        .hasValue(expected.getBytes(UTF_8).length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"old.htm", "LOUD.HTML", "Mixed.HtM"})
  void injectsIntoEveryHtmlExtension(String name) throws Exception {
    Files.writeString(root.resolve(name), "<html><head></head></html>");

    assertThat(body(get("/" + name))).isEqualTo("<html><head>" + SCRIPT + "</head></html>");
  }

  @Test
  void injectionKeepsNonUtf8BytesAndTheirDeclaredCharset() throws Exception {
    String page = "<html><head><meta charset=\"windows-1252\"></head><body>caf\u00e9 \u00ff</body></html>";
    Files.write(root.resolve("latin.html"), page.getBytes(ISO_8859_1));

    HttpResponse<byte[]> r = get("/latin.html");

    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html");
    assertThat(r.body()).isEqualTo(
        page.replace("<head>", "<head>" + SCRIPT).getBytes(ISO_8859_1));
  }

  @Test
  void doesNotInjectIntoNonHtmlFiles() throws Exception {
    Files.writeString(root.resolve("snippet.txt"), "<html><head></head></html>");

    assertThat(body(get("/snippet.txt"))).isEqualTo("<html><head></head></html>");
  }

  // ---- folders ------------------------------------------------------------------------------

  @Test
  void servesIndexHtmlOfAFolderWithInjection() throws Exception {
    Files.createDirectories(root.resolve("site"));
    Files.writeString(root.resolve("site/index.html"), "<html><head></head><body>site</body></html>");
    Files.createDirectories(root.resolve("old"));
    Files.writeString(root.resolve("old/index.htm"), "<p>old</p>");

    assertThat(body(get("/site/"))).isEqualTo("<html><head>" + SCRIPT + "</head><body>site</body></html>");
    assertThat(body(get("/old/"))).isEqualTo(SCRIPT + "<p>old</p>");
  }

  @Test
  void redirectsAFolderWithoutTrailingSlash() throws Exception {
    Files.createDirectories(root.resolve("my docs"));

    HttpResponse<byte[]> r = get("/my%20docs?x=1");

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/my%20docs/?x=1");
  }

  @Test
  void listsAFolderWithoutIndexHidingDotfilesAndTheJournal() throws Exception {
    Files.createDirectories(root.resolve("sub dir"));
    Files.writeString(root.resolve("x<y>&.txt"), "odd");

    HttpResponse<byte[]> r = get("/");

    String html = body(r);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(html)
        .doesNotContain(SCRIPT) // a generated listing is not a page to debug: it must not become a realm
        .doesNotContain("/-daebug/")
        .contains("<a href=\"a.txt\">a.txt</a>")
        .contains("<a href=\"daebug.md\">daebug.md</a>")
        .contains("<a href=\"sub%20dir/\">sub dir/</a>")
        .contains("<a href=\"x%3Cy%3E%26.txt\">x&lt;y&gt;&amp;.txt</a>")
        .doesNotContain(".git")
        .doesNotContain(".env")
        .doesNotContain("\"daebug/\"")
        .doesNotContain(">daebug/<")
        .doesNotContain("x<y>");
    assertThat(body(get("/sub%20dir/"))).contains("<a href=\"../\">../</a>");
  }

  // ---- broker resources ---------------------------------------------------------------------

  @Test
  void servesHealthAsJson() throws Exception {
    HttpResponse<byte[]> r = get("/-daebug/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("realms").asInt()).isEqualTo(2);
  }

  @Test
  void globListsServedFilesOnlyAsJson() throws Exception {
    Files.createDirectories(root.resolve("tests/unit"));
    Files.writeString(root.resolve("tests/a.test.js"), "");
    Files.writeString(root.resolve("tests/unit/b.test.js"), "");
    Files.writeString(root.resolve("tests/unit/b.js"), "");
    Files.writeString(root.resolve("tests/.c.test.js"), "");
    Files.createDirectories(root.resolve("tests/.hidden"));
    Files.writeString(root.resolve("tests/.hidden/d.test.js"), "");
    Files.writeString(root.resolve("daebug/e.test.js"), "");
    Files.writeString(root.resolve(".git/f.test.js"), "");
    Files.createSymbolicLink(root.resolve("tests/out.test.js"), base.resolve("secret.txt"));

    HttpResponse<byte[]> r = get("/-daebug/glob?pattern=" + java.net.URLEncoder.encode("**/*.test.js", UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode json = new ObjectMapper().readTree(r.body());
    assertThat(json.get("files").toString()).isEqualTo("[\"/tests/a.test.js\",\"/tests/unit/b.test.js\"]");
    assertThat(json.get("truncated").asBoolean()).isFalse();

    JsonNode braces = new ObjectMapper().readTree(get("/-daebug/glob?pattern=tests/%7Ba,unit/b%7D.*js").body());
    assertThat(braces.get("files").toString()).isEqualTo("[\"/tests/a.test.js\",\"/tests/unit/b.js\",\"/tests/unit/b.test.js\"]");
    JsonNode up = new ObjectMapper().readTree(get("/-daebug/glob?pattern=../*").body());
    assertThat(up.get("files").size()).isZero();
    assertThat(get("/-daebug/glob").statusCode()).isEqualTo(400);
  }

  @Test
  @org.junit.jupiter.api.DisplayName("issue 12, item 7: a costly glob is a quick 400, and other sites and ports get 403")
  void globIsBoundedAndOnlyForOurOwnPages() throws Exception {
    Path dir = root;
    for (int depth = 0; depth < 12; depth++) {
      dir = dir.resolve("node_modules");
      for (int i = 0; i < 8; i++) {
        Files.writeString(Files.createDirectories(dir.resolve("p" + i)).resolve("index.js"), "");
      }
    }
    String hostile = java.net.URLEncoder.encode("**/".repeat(26) + "x/nomatch.xyz", UTF_8);
    long started = System.nanoTime();
    HttpResponse<byte[]> r = get("/-daebug/glob?pattern=" + hostile);
    System.out.printf("glob of 26 '**/' over a 12-deep tree: %d ms, status %d%n",
        (System.nanoTime() - started) / 1_000_000, r.statusCode());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body(r)).contains("\"files\":[]");
    HttpResponse<byte[]> big = get("/-daebug/glob?pattern=" + "a".repeat(600));
    assertThat(big.statusCode()).isEqualTo(400);
    assertThat(body(big)).contains("at most 512");

    String ok = "/-daebug/glob?pattern=a.txt";
    assertThat(get(ok, "Origin", "http://127.0.0.1:" + port).statusCode()).isEqualTo(200);
    assertThat(get(ok, "Sec-Fetch-Site", "same-origin").statusCode()).isEqualTo(200);
    assertThat(get(ok, "Origin", "http://127.0.0.1:3000").statusCode()).as("another port").isEqualTo(403);
    assertThat(get(ok, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    assertThat(get(ok, "Sec-Fetch-Site", "cross-site").statusCode()).as("<img src> on a web site").isEqualTo(403);
    assertThat(get(ok, "Sec-Fetch-Site", "same-site").statusCode()).as("<img src> on another port").isEqualTo(403);
  }

  private HttpResponse<byte[]> get(String path, String header, String value) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header(header, value)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void failuresBecomeAPlainServerErrorWithoutDetails() throws Exception {
    healthSource.set(() -> {
      throw new IllegalStateException("boom " + SECRET);
    });

    HttpResponse<byte[]> r = get("/-daebug/health");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(body(r)).isEqualTo("internal server error\n");
  }

  @Test
  void servesTheClientScriptFromTheClasspath() throws Exception {
    HttpResponse<byte[]> r = get("/-daebug/page.js");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(body(r)).contains("PAGE-JS-TEST-FIXTURE");

    Raw head = raw("HEAD /-daebug/page.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(head.status).isEqualTo(200);
    assertThat(head.header("content-length")).isEqualTo(String.valueOf(r.body().length));
    assertThat(head.body).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/-daebug/missing.js", "/-daebug/.page.js", "/-daebug/sub/page.js", "/-daebug/",
      "/-daebug/p%20age.js", "/-daebug/%70age.js.map"})
  void unknownBrokerResourcesAreNotFound(String path) throws Exception {
    assertThat(rawGet(path, "127.0.0.1").status).isEqualTo(404);
  }

  // ---- refusals -----------------------------------------------------------------------------

  @Test
  void missingFileIsAPlainTextNotFound() throws Exception {
    HttpResponse<byte[]> r = get("/missing.txt");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(body(r)).isEqualTo("not found\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
  void onlyGetAndHeadAreAllowed(String method) throws Exception {
    Raw r = raw(method + " /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
        + "Connection: close\r\n\r\n");

    assertThat(r.status).isEqualTo(405);
    assertThat(r.header("allow")).isEqualTo("GET, HEAD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "evil.example:8680", "127.0.0.1.nip.io", "[::2]:80"})
  void forgedHostIsMisdirected(String host) throws Exception {
    Raw r = rawGet("/a.txt", host);

    assertThat(r.status).isEqualTo(421);
    assertThat(r.body).isEqualTo("host not allowed: " + host + "\n");
  }

  @Test
  void hostCheckAppliesToBrokerResourcesToo() throws Exception {
    assertThat(rawGet("/-daebug/health", "rebound.example").status).isEqualTo(421);
  }

  @Test
  void missingHostIsMisdirected() throws Exception {
    Raw r = raw("GET /a.txt HTTP/1.0\r\n\r\n");

    assertThat(r.status).isEqualTo(421);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "app.localhost:1234", "127.0.0.1", "[::1]:8680"})
  void loopbackHostsAreServed(String host) throws Exception {
    Raw r = rawGet("/a.txt", host);

    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).isEqualTo("plain text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%ff.txt", "/a%00.txt", "/%C3%28.txt", "/a%2.txt", "/a%zz.txt"})
  void malformedEncodingIsABadRequest(String path) throws Exception {
    Raw r = rawGet(path, "127.0.0.1");

    assertThat(r.status).isEqualTo(400);
    assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.body).startsWith("4").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/a/../../secret.txt",
      "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt",
      "/.git/config", "/.env", "/%2egit/config", "/daebug/x.md", "/DAEBUG/x.md",
      "/%64aebug/x.md", "/DaEbUg/x.md", "/daebug/", "/daebug", "/./daebug/x.md",
      "//daebug/x.md", "/.git/", "/.git", "/-daebug/%2e%2e%2fsecret.txt", "/-daebug/..%2f..%2fsecret.txt",
      "/daebug/x.history/0001.md", "/daebug/x.history/", "/DAEBUG/x.history/0001.md"})
  void neverServesOutsideTheRootOrHiddenPlaces(String path) throws Exception {
    Raw r = rawGet(path, "127.0.0.1");

    // Jetty itself rejects ambiguous URIs (dot segments, encoded separators, backslashes,
    // empty segments) with 400 before the handler runs; the handler answers the rest with 404.
    assertThat(r.status).as(path).isIn(400, 404);
    assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.body).doesNotContain(SECRET).doesNotContain("journal").doesNotContain("<");
  }

  @Test
  void journalStatusFileIsServable() throws Exception {
    assertThat(body(get("/daebug.md"))).isEqualTo("# status");
  }

  @Test
  void symlinksMayNotLeaveTheRoot() throws Exception {
    Files.createSymbolicLink(root.resolve("leak.txt"), base.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("up"), base);
    Files.createSymbolicLink(root.resolve("logs"), root.resolve("daebug"));
    Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("a.txt"));
    Files.createDirectories(root.resolve("site"));
    Files.createSymbolicLink(root.resolve("site/index.html"), base.resolve("secret.txt"));

    assertThat(get("/leak.txt").statusCode()).isEqualTo(404);
    assertThat(get("/up/secret.txt").statusCode()).isEqualTo(404);
    assertThat(get("/up/").statusCode()).isEqualTo(404);
    assertThat(get("/logs/x.md").statusCode()).isEqualTo(404);
    assertThat(body(get("/site/"))).doesNotContain(SECRET);
    assertThat(body(get("/alias.txt"))).isEqualTo("plain text");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), UTF_8);
  }

  private Raw rawGet(String rawPath, String host) throws IOException {
    return raw("GET " + rawPath + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
  }

  /** Sends hand-written HTTP (forged Host, unnormalised paths) and reads until close. */
  private Raw raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return Raw.parse(new String(in.readAllBytes(), ISO_8859_1));
    }
  }

  /** A response read from a raw socket until the server closed it. */
  private record Raw(int status, Map<String, String> headers, String body) {
    static Raw parse(String text) {
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("complete response head in: %s", text).isPositive();
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      String body = new String(text.substring(end + 4).getBytes(ISO_8859_1), UTF_8);
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    String header(String name) {
      return headers.get(name);
    }
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.protocol.ErrorMessage;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.Welcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Component tests of the realm WebSocket: a real broker on port 0 over a temporary project folder, scripted
 * {@link FakeRealm}s on real sockets, and the markdown journal read back from disk. Every wall-clock time in
 * the files is the fixed {@value TestBroker#NOW}; durations are normalised to {@code (Nms)} before comparing.
 */
class RealmSocketTest {
  private static final String RULE = "-".repeat(70);
  private static final String PROMPT = "> Append your JavaScript snippet below to execute against this page.";
  private static final String FOOTER = RULE + "\n" + PROMPT + "\n\n";
  private static final String OK = "#### \uD83D\uDC4D"; // #### 👍
  private static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  private static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  /** The realm's clock for events: 09:05:01 UTC, two seconds before the broker's fixed clock. */
  private static final long EVENT_TIME = Instant.parse("2026-11-25T09:05:01.123Z").toEpochMilli();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WebSocketClient client;

  @TempDir Path base;
  private Path root;
  private TestBroker broker;
  private final List<FakeRealm> realms = new ArrayList<>();

  @BeforeAll
  static void startClient() throws Exception {
    client = new WebSocketClient();
    client.setMaxTextMessageSize(4 << 20);
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  @AfterEach
  void tearDown() {
    try {
      for (FakeRealm r : realms) {
        r.assertExhausted();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
      realms.forEach(FakeRealm::abort);
    }
  }

  // ---- 1. hello, names, files ----

  @Test
  @DisplayName("hello gets a welcome with the sanitised name, a new log with title and footer, and a registry line")
  void helloSanitisesAndJournals() throws Exception {
    start();
    assertThat(connect().hello("MyPage-123").name()).isEqualTo("mypage-123");
    Welcome odd = connect().hello("foo@bar#baz");
    assertThat(odd.name()).isEqualTo("foo-bar-baz");
    assertThat(odd.log()).isEqualTo("daebug/foo-bar-baz.md");
    assertThat(connect().hello("--Odd Name!--").name()).isEqualTo("odd-name");

    for (String name : List.of("mypage-123", "foo-bar-baz", "odd-name")) {
      String log = awaitLog(name);
      assertThat(log).startsWith("# " + name + " Session\n\n").endsWith("\n\n" + FOOTER);
      assertThat(log.split(RULE, -1)).as("exactly one footer").hasSize(2);
      String guide = log.substring(("# " + name + " Session\n\n").length(), log.length() - ("\n\n" + FOOTER).length());
      assertThat(guide.split("\n")).as("the guide has 2 to 10 lines").hasSizeBetween(2, 10);
    }
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(
        line("odd-name", "live"), line("foo-bar-baz", "live"), line("mypage-123", "live")));
  }

  // ---- 2. refused and hostile names ----

  @Test
  @DisplayName("a name that sanitises to nothing is refused with a close reason; the broker goes on serving")
  void emptyNameIsRefused() throws Exception {
    start();
    FakeRealm bad = connect();
    bad.sendHello("@@@", null);
    FakeRealm.Closed closed = bad.awaitClosed();
    assertThat(closed.status()).isEqualTo(StatusCode.POLICY_VIOLATION);
    assertThat(closed.reason()).contains("@@@").contains("name");

    FakeRealm good = connected("still-serving");
    runJob(good, "still-serving", "1 + 1", "2");
    try (Stream<Path> files = Files.list(root.resolve("daebug"))) {
      // Dotfiles are the broker's own (its lock, replaced versions of a log kept a moment: Orphans).
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
          .containsExactly("still-serving.md");
    }
  }

  @Test
  @DisplayName("a 500-character name is cut to 64 characters")
  void longNameIsCut() throws Exception {
    start();
    String name = connect().hello("Abc".repeat(167)).name();
    assertThat(name).isEqualTo("abc".repeat(22).substring(0, 64)).hasSize(64);
    awaitLog(name);
  }

  @Test
  @DisplayName("names with path tricks never create a file outside daebug/")
  void pathTricksStayInside() throws Exception {
    start();
    Map<String, String> expected = Map.of(
        "../../etc/passwd", "etc-passwd",
        "..\\x", "x",
        "/abs/olute", "abs-olute",
        "daebug/../../escape", "daebug-escape",
        "C:\\Windows\\win.ini", "c-windows-win-ini");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Welcome w = connect().hello(e.getKey());
      assertThat(w.name()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(w.log()).isEqualTo("daebug/" + e.getValue() + ".md");
      awaitLog(e.getValue());
    }
    FakeRealm dots = connect();
    dots.sendHello("..", null);
    assertThat(dots.awaitClosed().status()).isEqualTo(StatusCode.POLICY_VIOLATION);

    await().untilAsserted(() -> {
      try (Stream<Path> all = Files.walk(base)) {
        List<Path> files = all.filter(Files::isRegularFile).toList();
        assertThat(files).allSatisfy(f -> assertThat(
            f.equals(root.resolve("daebug.md")) || f.getParent().equals(root.resolve("daebug"))).as(f.toString())
            .isTrue());
        assertThat(files).hasSize(expected.size() + 2); // the logs, daebug.md and daebug/.broker
      }
    });
  }

  // ---- 3. clashes, takeover, resume ----

  @Test
  @DisplayName("clashing live names get -2 and -3; the same tab takes over; a reconnect in the grace period resumes")
  void clashTakeoverResume() throws Exception {
    start();
    String name = "7-zen-1201-03";
    FakeRealm first = connect();
    assertThat(first.hello(name, "tab-a").name()).isEqualTo(name);
    awaitLog(name);
    FakeRealm second = connect();
    assertThat(second.hello(name, "tab-b").name()).isEqualTo(name + "-2");
    FakeRealm third = connect();
    assertThat(third.hello(name, null).name()).isEqualTo(name + "-3");

    FakeRealm reload = connect();
    assertThat(reload.hello(name, "tab-a").name()).as("same tab takes over").isEqualTo(name);
    assertThat(first.awaitClosed().status()).isEqualTo(StatusCode.NORMAL);
    runJob(reload, name, "'after takeover'", "\"after takeover\"");

    awaitLog(name + "-2");
    broker.append(name + "-2", "A note the agent wrote.\n");
    second.close();
    await().untilAsserted(() -> assertThat(registryLines()).contains(line(name + "-2", "disconnected")));
    FakeRealm back = connect();
    assertThat(back.hello(name + "-2", "tab-b").name()).as("resumed within the grace period").isEqualTo(name + "-2");
    await().untilAsserted(() -> assertThat(registryLines()).containsExactlyInAnyOrder(
        line(name, "live"), line(name + "-2", "live"), line(name + "-3", "live")));
    runJob(back, name + "-2", "'resumed'", "\"resumed\"");
    assertThat(broker.log(name + "-2")).contains("A note the agent wrote.\n");
  }

  // ---- 4. the job flow ----

  @Test
  @DisplayName("a request appended to the log runs, and the reply with job events lands under it exactly")
  void jobFlowThroughTheLog() throws Exception {
    start();
    FakeRealm realm = connected("flow");
    String before = awaitLog("flow");
    String request = SAID + "claude to flow at 10:11:12\nWhy: check the widgets.\n```js\nwidgets()\n```\n";
    broker.append("flow", request);

    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("widgets()");
    assertThat(job.language()).isEqualTo("javascript");
    assertThat(job.timeoutMs()).isEqualTo(10_000);
    await().untilAsserted(() -> assertThat(broker.log("flow")).isEqualTo(
        head(before) + "\n" + request + OK + "flow to claude at " + NOW + "\nexecuting (0s)\n\n" + FOOTER));

    realm.sendEvent(job.id(), "log", EVENT_TIME, "loaded 3 widgets");
    realm.sendEvent(job.id(), "info", EVENT_TIME, "{\"count\":3}");
    realm.sendEvent(job.id(), "error", EVENT_TIME, "boom");
    realm.sendResult(job.id(), "{\"count\":3,\"names\":[\"a\",\"b\"],\"nested\":{\"ok\":true},\"none\":null}");
    String reply = OK + "flow to claude at " + NOW + " (Nms)\n"
        + "```JSON\n{\n  \"count\": 3,\n  \"names\": [\n    \"a\",\n    \"b\"\n  ],\n  \"nested\": {\n"
        + "    \"ok\": true\n  },\n  \"none\": null\n}\n```\n"
        + "##### \u2611\uFE0Fconsole.log\n```Text console.log\n09:05:01 loaded 3 widgets\n```\n"
        + "##### \u2139\uFE0Fconsole.info\n```JSON console.info\n09:05:01 {\"count\":3}\n```\n"
        + "##### \uD83C\uDD98console.error\n```Error console.error\n09:05:01 boom\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("flow"))).isEqualTo(
        head(before) + "\n" + request + reply + "\n" + FOOTER));

    realm.sendEvent(null, "warn", EVENT_TIME, "slow frame: 48ms");
    String background = SAID + "flow background at " + NOW + "\n"
        + "##### \uD83C\uDD98console.warn\n```Text console.warn\n09:05:01 slow frame: 48ms\n```\n";
    await(Duration.ofMillis(1500)).untilAsserted(() -> assertThat(normalised(broker.log("flow"))).isEqualTo(
        head(before) + "\n" + request + reply + "\n" + background + "\n" + FOOTER));
  }

  @Test
  @DisplayName("a failed result is an Error fence under a 🚫 header")
  void failedResult() throws Exception {
    start();
    FakeRealm realm = connected("fails");
    String before = awaitLog("fails");
    String request = "```js\nx()\n```\n";
    broker.append("fails", request);
    RunJob job = realm.awaitJob();
    realm.sendFailure(job.id(), "TypeError", "x is not a function",
        "TypeError: x is not a function\n    at <anonymous>:1:1");
    await().untilAsserted(() -> assertThat(normalised(broker.log("fails"))).isEqualTo(
        head(before) + "\n" + SAID + "agent to fails at " + NOW + "\n" + request
            + FAIL + "fails to agent at " + NOW + " (Nms)\n"
            + "```Error\nTypeError: x is not a function\n    at <anonymous>:1:1\n```\n\n" + FOOTER));
  }

  // ---- 5. bad input ----

  @Test
  @DisplayName("bad frames after hello get an error message and the connection stays usable")
  void badFramesAfterHello() throws Exception {
    start();
    FakeRealm realm = connected("garbage");
    realm.sendRaw("this is not json");
    assertThat(realm.awaitError().code()).isEqualTo("bad-json");
    realm.sendRaw("{\"name\":\"no type\"}");
    assertThat(realm.awaitError().code()).isEqualTo("bad-frame");
    realm.sendRaw("[1,2,3]");
    assertThat(realm.awaitError().code()).isEqualTo("bad-frame");
    realm.sendRaw("{\"type\":\"launch-missiles\"}");
    ErrorMessage unknown = realm.awaitError();
    assertThat(unknown.code()).isEqualTo("unknown-type");
    assertThat(unknown.message()).contains("launch-missiles");
    realm.sendBinary(new byte[] {1, 2, 3});
    assertThat(realm.awaitError().code()).isEqualTo("binary");
    realm.sendHello("garbage", null);
    assertThat(realm.awaitError().code()).isEqualTo("duplicate-hello");

    assertThat(realm.isOpen()).isTrue();
    runJob(realm, "garbage", "'still here'", "\"still here\"");
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("garbage", "live")));
  }

  @Test
  @DisplayName("anything but a hello as the first frame closes the connection with a reason")
  void resultBeforeHello() throws Exception {
    start();
    FakeRealm early = connect();
    early.sendResult("j-1", "1");
    assertThat(early.awaitError().code()).isEqualTo("bad-hello");
    FakeRealm.Closed closed = early.awaitClosed();
    assertThat(closed.status()).isEqualTo(StatusCode.POLICY_VIOLATION);
    assertThat(closed.reason()).contains("hello");

    FakeRealm junk = connect();
    junk.sendRaw("GET / HTTP/1.1");
    assertThat(junk.awaitError().code()).isEqualTo("bad-hello");
    assertThat(junk.awaitClosed().reason()).contains("JSON");

    connected("after-junk");
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("after-junk", "live")));
  }

  @Test
  @DisplayName("a frame over 1 MiB closes that connection with 1009; another realm's job still completes")
  void oversizedFrame() throws Exception {
    start();
    FakeRealm worker = connected("worker");
    awaitLog("worker");
    broker.append("worker", "```js\n'big neighbour'\n```\n");
    RunJob job = worker.awaitJob();

    FakeRealm big = connected("big");
    CompletableFuture<Void> sending = big.sendRawAsync(
        "{\"type\":\"event\",\"kind\":\"log\",\"text\":\"" + "x".repeat(1 << 20) + "\"}");
    FakeRealm.Closed closed = big.awaitClosed();
    assertThat(closed.status()).isEqualTo(StatusCode.MESSAGE_TOO_LARGE);
    sending.handle((ok, err) -> null).get(5, TimeUnit.SECONDS);

    assertThat(worker.isOpen()).isTrue();
    worker.sendResult(job.id(), "\"done\"");
    await().untilAsserted(() -> assertThat(broker.log("worker")).contains("```JSON\n\"done\"\n```\n"));
    await().untilAsserted(() -> assertThat(registryLines()).contains(line("big", "disconnected")));
  }

  // ---- 6. stray results ----

  @Test
  @DisplayName("a result for an unknown job is a diagnostic, never another request's reply; a second result is ignored")
  void strayResults() throws Exception {
    start();
    FakeRealm realm = connected("stray");
    awaitLog("stray");
    broker.append("stray", "```js\nreal()\n```\n");
    RunJob job = realm.awaitJob();

    realm.sendResult("j-999999", "\"WRONG\"");
    await(Duration.ofMillis(1500)).untilAsserted(() -> assertThat(broker.log("stray"))
        .contains(SAID + "stray background at " + NOW + "\n")
        .contains("j-999999")
        .doesNotContain("WRONG")
        .contains(OK + "stray to agent at " + NOW + "\nexecuting (0s)\n"));

    realm.sendResult(job.id(), "\"RIGHT\"");
    await().untilAsserted(() -> assertThat(broker.log("stray")).contains("```JSON\n\"RIGHT\"\n```\n"));

    realm.sendResult(job.id(), "\"AGAIN\"");
    await(Duration.ofMillis(2500)).untilAsserted(() -> {
      String log = broker.log("stray");
      assertThat(log).contains("a second result for job " + job.id()).doesNotContain("AGAIN");
      assertThat(count(log, OK)).isEqualTo(1);
    });
  }

  // ---- 7. timeout and late result ----

  @Test
  @DisplayName("a per-request timeout writes a 🚫 reply; a result after it is written as a late reply")
  void timeoutThenLateResult() throws Exception {
    start();
    FakeRealm realm = connected("slow");
    String before = awaitLog("slow");
    String request = SAID + "claude to slow at 10:11:12\n```js timeout=200ms\nawait never()\n```\n";
    broker.append("slow", request);
    RunJob job = realm.awaitJob();
    assertThat(job.timeoutMs()).isEqualTo(200);

    String failed = FAIL + "slow to claude at " + NOW + " (200ms)\n```Error\njob timed out after 200ms\n```\n";
    await().untilAsserted(() -> assertThat(broker.log("slow")).isEqualTo(
        head(before) + "\n" + request + failed + "\n" + FOOTER));
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("slow", "live")));

    realm.sendResult(job.id(), "42");
    String late = OK + "slow to claude at " + NOW + " (Nms) (late)\n```JSON\n42\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("slow"))).isEqualTo(
        normalised(head(before) + "\n" + request + failed + late + "\n" + FOOTER)));
    assertThat(broker.log("slow")).as("a timeout's duration is the timeout").contains(failed);
  }

  // ---- 8. disconnect while executing ----

  enum DropAt { CLOSE_FRAME, TCP_ABORT }

  @ParameterizedTest
  @EnumSource(DropAt.class)
  @DisplayName("a realm that goes away while executing gets a 🚫 reply, is listed disconnected, then removed")
  void disconnectWhileExecuting(DropAt how) throws Exception {
    start(c -> c.withLiveness(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(500)));
    FakeRealm realm = connected("gone");
    String before = awaitLog("gone");
    String request = "```js\nlongTask()\n```\n";
    broker.append("gone", request);
    realm.awaitJob();
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("gone", "executing")));

    if (how == DropAt.CLOSE_FRAME) {
      realm.close();
    } else {
      realm.abort();
    }
    await().untilAsserted(() -> assertThat(normalised(broker.log("gone"))).isEqualTo(
        head(before) + "\n" + SAID + "agent to gone at " + NOW + "\n" + request
            + FAIL + "gone to agent at " + NOW + " (Nms)\n```Error\nrealm disconnected while executing\n```\n\n"
            + FOOTER));
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("gone", "disconnected")));
    await().untilAsserted(() -> assertThat(registryLines()).isEmpty());
  }

  // ---- 9. queueing ----

  @Test
  @DisplayName("two requests at once: the second waits queued and is sent only after the first result")
  void queueing() throws Exception {
    start();
    FakeRealm realm = connected("queue");
    String before = awaitLog("queue");
    String first = SAID + "claude to queue at 10:11:12\n```js\nfirst()\n```\n";
    String between = "Then the second one:\n";
    String second = "```js\nsecond()\n```\n";
    broker.append("queue", first + between + second);

    RunJob job1 = realm.awaitJob();
    assertThat(job1.code()).isEqualTo("first()");
    String pending = OK + "queue to claude at " + NOW + "\n";
    await().untilAsserted(() -> assertThat(broker.log("queue")).isEqualTo(
        head(before) + "\n" + first + pending + "executing (0s)\n" + between + second + pending
            + "queued (1 ahead)\n\n" + FOOTER));
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("queue", "executing")));
    TestAwait.await().during(Duration.ofMillis(300)).until(() -> realm.pending() == 0);

    realm.sendResult(job1.id(), "1");
    RunJob job2 = realm.awaitJob();
    assertThat(job2.code()).isEqualTo("second()");
    String reply1 = OK + "queue to claude at " + NOW + " (Nms)\n```JSON\n1\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("queue"))).isEqualTo(
        head(before) + "\n" + first + reply1 + between + second + pending + "executing (0s)\n\n" + FOOTER));

    realm.sendResult(job2.id(), "2");
    String reply2 = OK + "queue to claude at " + NOW + " (Nms)\n```JSON\n2\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("queue"))).isEqualTo(
        head(before) + "\n" + first + reply1 + between + second + reply2 + "\n" + FOOTER));
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("queue", "live")));
  }

  // ---- 10. Host and Origin on the upgrade ----

  @Test
  @DisplayName("the upgrade refuses a foreign Origin, another port or a forged Host and accepts the broker's own origins")
  void hostAndOrigin() throws Exception {
    start();
    String host = "127.0.0.1:" + broker.port();
    assertThat(upgradeStatus(host, null)).as("control: a plain upgrade works").isEqualTo(101);
    assertThat(upgradeStatus(host, "http://evil.example")).isEqualTo(403);
    assertThat(upgradeStatus("evil.example", null)).isBetween(400, 499);
    assertThat(upgradeStatus("evil.example:" + broker.port(), "http://evil.example")).isBetween(400, 499);

    // Issue 12, item 2: another port is another origin; the broker's own port under another of its names is not.
    assertThat(upgradeStatus(host, "http://localhost:3000")).isEqualTo(403);
    FakeRealm local = FakeRealm.connect(client, broker.realmUri(), Map.of("Origin", "http://localhost:" + broker.port()));
    realms.add(local);
    assertThat(local.hello("from-localhost").name()).isEqualTo("from-localhost");
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("from-localhost", "live")));
  }

  // ---- 11. health ----

  @Test
  @DisplayName("GET /-daebug/health answers JSON with status ok and the realms")
  void health() throws Exception {
    start();
    connected("healthy");
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + broker.port() + "/-daebug/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("ok");
    assertThat(body.path("realms")).hasSize(1);
    assertThat(body.path("realms").get(0).path("name").asText()).isEqualTo("healthy");
    assertThat(body.path("realms").get(0).path("state").asText()).isEqualTo("live");
  }

  // ---- 12. shutdown through the registry ----

  @Test
  @DisplayName("%%SHUTDOWN%% in daebug.md stops the broker; the pending job and the registry say so")
  void shutdownLine() throws Exception {
    start();
    FakeRealm realm = connected("last");
    awaitLog("last");
    broker.append("last", "```js\nforever()\n```\n```js\nnever()\n```\n");
    realm.awaitJob();
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("last", "executing")));

    Files.writeString(root.resolve("daebug.md"), broker.registry() + "%%SHUTDOWN%%\n", UTF_8);
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
      try {
        broker.broker().awaitStopped();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    stopped.get(10, TimeUnit.SECONDS);

    assertThat(broker.registry()).startsWith("# \uD83D\uDC7E Daebug remote debugging REPL: SERVER SHUT DOWN " + NOW
        + "\n> This debugging session has concluded.\n").doesNotContain("Active Sessions");
    assertThat(normalised(broker.log("last"))).contains(FAIL + "last to agent at " + NOW + " (Nms)\n```Error\n");
    assertThat(count(broker.log("last"), FAIL)).as("the running and the queued job both get a reply").isEqualTo(2);
    assertThat(count(broker.log("last"), "shut down")).isEqualTo(2);
    assertThat(broker.log("last")).doesNotContain("executing (").doesNotContain("queued (");
    assertThat(realm.awaitClosed().status()).isEqualTo(StatusCode.SHUTDOWN);
  }

  // ---- liveness ----

  @Test
  @DisplayName("a realm that stops answering pings is listed unresponsive, and live again once it answers")
  void unresponsive() throws Exception {
    start(c -> c.withLiveness(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(30)));
    FakeRealm realm = connected("sleepy");
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("sleepy", "live")));
    realm.autoPong(false);
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("sleepy", "unresponsive")));
    realm.autoPong(true);
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("sleepy", "live")));
  }

  // ---- more: queues across disconnects, identical requests, event limits ----

  @Test
  @DisplayName("a realm that reconnects in its grace period keeps its queue and can still deliver a late result")
  void resumeKeepsQueue() throws Exception {
    start();
    FakeRealm realm = connect();
    assertThat(realm.hello("keep", "tab-k").name()).isEqualTo("keep");
    String before = awaitLog("keep");
    String first = SAID + "claude to keep at 10:11:12\n```js\none()\n```\n";
    String second = "```js\ntwo()\n```\n";
    broker.append("keep", first + second);
    RunJob job1 = realm.awaitJob();
    assertThat(job1.code()).isEqualTo("one()");
    realm.close();
    String failed = FAIL + "keep to claude at " + NOW + " (Nms)\n```Error\nrealm disconnected while executing\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("keep"))).startsWith(
        head(before) + "\n" + first + failed + second + OK + "keep to claude at " + NOW + "\nqueued ("));

    FakeRealm back = connect();
    assertThat(back.hello("keep", "tab-k").name()).isEqualTo("keep");
    RunJob job2 = back.awaitJob();
    assertThat(job2.code()).isEqualTo("two()");
    back.sendResult(job2.id(), "2");
    back.sendResult(job1.id(), "\"late one\"");
    String late = OK + "keep to claude at " + NOW + " (Nms) (late)\n```JSON\n\"late one\"\n```\n";
    String reply2 = OK + "keep to claude at " + NOW + " (Nms)\n```JSON\n2\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("keep"))).isEqualTo(
        head(before) + "\n" + first + failed + late + second + reply2 + "\n" + FOOTER));
  }

  @Test
  @DisplayName("queued jobs of a realm whose grace period ends get a 🚫 reply, and the realm is removed")
  void graceEndsWithQueuedJob() throws Exception {
    start(c -> c.withLiveness(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(500)));
    FakeRealm realm = connected("brief");
    String before = awaitLog("brief");
    String first = "```js\none()\n```\n";
    String second = "```js\ntwo()\n```\n";
    broker.append("brief", first + second);
    realm.awaitJob();
    realm.abort();
    await().untilAsserted(() -> assertThat(normalised(broker.log("brief"))).isEqualTo(normalised(
        head(before) + "\n" + SAID + "agent to brief at " + NOW + "\n" + first
            + FAIL + "brief to agent at " + NOW + " (Nms)\n```Error\nrealm disconnected while executing\n```\n"
            + second
            + FAIL + "brief to agent at " + NOW + " (0ms)\n```Error\nrealm disconnected before the job could run\n```\n"
            + "\n" + FOOTER)));
    assertThat(broker.log("brief")).as("a job that never ran took no time")
        .contains(" (0ms)\n```Error\nrealm disconnected before the job could run\n");
    await().untilAsserted(() -> assertThat(registryLines()).isEmpty());
  }

  @Test
  @DisplayName("a reload that takes over fails the job its old page was running and gets the queued one")
  void takeoverWhileExecuting() throws Exception {
    start();
    FakeRealm old = connect();
    assertThat(old.hello("reloaded", "tab-r").name()).isEqualTo("reloaded");
    awaitLog("reloaded");
    broker.append("reloaded", "```js\none()\n```\n```js\ntwo()\n```\n");
    RunJob job1 = old.awaitJob();
    assertThat(job1.code()).isEqualTo("one()");

    FakeRealm fresh = connect();
    assertThat(fresh.hello("reloaded", "tab-r").name()).isEqualTo("reloaded");
    old.awaitClosed();
    RunJob job2 = fresh.awaitJob();
    assertThat(job2.code()).isEqualTo("two()");
    fresh.sendResult(job2.id(), "2");
    await().untilAsserted(() -> assertThat(normalised(broker.log("reloaded")))
        .contains("```js\none()\n```\n" + FAIL + "reloaded to agent at " + NOW
            + " (Nms)\n```Error\nrealm disconnected while executing\n```\n")
        .contains("```js\ntwo()\n```\n" + OK + "reloaded to agent at " + NOW + " (Nms)\n```JSON\n2\n```\n"));
    await().untilAsserted(() -> assertThat(registryLines()).containsExactly(line("reloaded", "live")));
  }

  @Test
  @DisplayName("identical requests each get their own reply, in order")
  void identicalRequests() throws Exception {
    start();
    FakeRealm realm = connected("same");
    String before = awaitLog("same");
    String request = "```js\ntick()\n```\n";
    broker.append("same", SAID + "claude to same at 10:11:12\n" + request + request);
    RunJob job1 = realm.awaitJob();
    realm.sendResult(job1.id(), "1");
    RunJob job2 = realm.awaitJob();
    realm.sendResult(job2.id(), "2");
    String reply = OK + "same to claude at " + NOW + " (Nms)\n```JSON\n%s\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("same"))).isEqualTo(
        head(before) + "\n" + SAID + "claude to same at 10:11:12\n" + request + reply.formatted(1)
            + request + reply.formatted(2) + "\n" + FOOTER));
  }

  @Test
  @DisplayName("late results of two identical timed-out requests go under their own fences")
  void lateResultsOfIdenticalRequests() throws Exception {
    start();
    FakeRealm realm = connected("twins");
    String before = awaitLog("twins");
    String request = "```js timeout=200ms\nslow()\n```\n";
    broker.append("twins", SAID + "claude to twins at 10:11:12\n" + request + request);
    RunJob job1 = realm.awaitJob();
    RunJob job2 = realm.awaitJob();
    String failed = FAIL + "twins to claude at " + NOW + " (200ms)\n```Error\njob timed out after 200ms\n```\n";
    await().untilAsserted(() -> assertThat(broker.log("twins")).isEqualTo(
        head(before) + "\n" + SAID + "claude to twins at 10:11:12\n" + request + failed + request + failed
            + "\n" + FOOTER));

    realm.sendResult(job2.id(), "\"second\"");
    realm.sendResult(job1.id(), "\"first\"");
    String late = OK + "twins to claude at " + NOW + " (Nms) (late)\n```JSON\n\"%s\"\n```\n";
    await().untilAsserted(() -> assertThat(normalised(broker.log("twins"))).isEqualTo(normalised(
        head(before) + "\n" + SAID + "claude to twins at 10:11:12\n" + request + failed + late.formatted("first")
            + request + failed + late.formatted("second") + "\n" + FOOTER)));
  }

  @Test
  @DisplayName("more than 10 events of a job: the first 2, an exact omission count, the last 8")
  void eventLimit() throws Exception {
    start();
    FakeRealm realm = connected("chatty");
    awaitLog("chatty");
    broker.append("chatty", "```js\nnoisy()\n```\n");
    RunJob job = realm.awaitJob();
    for (int i = 1; i <= 13; i++) {
      realm.sendEvent(job.id(), "log", EVENT_TIME, "event " + i);
    }
    realm.sendResult(job.id(), "null");
    StringBuilder events = new StringBuilder();
    for (int i : new int[] {1, 2, 0, 6, 7, 8, 9, 10, 11, 12, 13}) {
      events.append(i == 0 ? "... (3 more background events omitted) ...\n"
          : "##### \u2611\uFE0Fconsole.log\n```Text console.log\n09:05:01 event " + i + "\n```\n");
    }
    events.append("Omitted events: [chatty.events/" + job.id() + ".md](chatty.events/" + job.id() + ".md)\n");
    await().untilAsserted(() -> assertThat(normalised(broker.log("chatty"))).contains(
        "```js\nnoisy()\n```\n" + OK + "chatty to agent at " + NOW + " (Nms)\n```JSON\nnull\n```\n" + events
            + "\n" + FOOTER));
  }

  // ---- helpers ----

  private void start() throws IOException {
    start(UnaryOperator.identity());
  }

  private void start(UnaryOperator<BrokerConfig> tweak) throws IOException {
    root = Files.createDirectory(base.resolve("project"));
    broker = TestBroker.start(root, tweak);
  }

  private FakeRealm connect() throws Exception {
    FakeRealm r = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(r);
    return r;
  }

  /** A connected realm whose log exists. */
  private FakeRealm connected(String name) throws Exception {
    FakeRealm r = connect();
    assertThat(r.hello(name).name()).isEqualTo(name);
    awaitLog(name);
    return r;
  }

  /** Waits until a realm's new log is complete (title to footer) and returns it. */
  private String awaitLog(String name) {
    await().untilAsserted(() -> assertThat(broker.log(name)).startsWith("# " + name).endsWith(FOOTER));
    return broker.log(name);
  }

  /** Appends a request, answers its job and waits for the reply. */
  private void runJob(FakeRealm realm, String name, String code, String valueJson) throws IOException {
    broker.append(name, "```js\n" + code + "\n```\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo(code);
    realm.sendResult(job.id(), valueJson);
    await().untilAsserted(() -> assertThat(broker.log(name))
        .contains("```js\n" + code + "\n```\n" + OK + name + " to agent at " + NOW + " (")
        .contains("```JSON\n" + valueJson + "\n```\n"));
  }

  /** A new log without its footer and the blank line above it. */
  private static String head(String newLog) {
    assertThat(newLog).endsWith("\n\n" + FOOTER);
    return newLog.substring(0, newLog.length() - ("\n" + FOOTER).length());
  }

  /** Replaces measured durations such as {@code (17ms)} by {@code (Nms)}. */
  private static String normalised(String log) {
    return log.replaceAll("\\(\\d+ms\\)", "(Nms)");
  }

  private List<String> registryLines() {
    return broker.registry().lines().filter(l -> l.startsWith("* [")).toList();
  }

  private static String line(String name, String state) {
    return "* [" + name + "](daebug/" + name + ".md) (" + FakeRealm.URL + ") at " + NOW + ": " + state;
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Sends a raw WebSocket upgrade with these headers and returns the response status. */
  private int upgradeStatus(String hostHeader, String origin) throws IOException {
    try (Socket s = new Socket("127.0.0.1", broker.port())) {
      s.setSoTimeout(5000);
      String req = "GET " + WsServer.REALM_PATH + " HTTP/1.1\r\n"
          + "Host: " + hostHeader + "\r\n"
          + "Upgrade: websocket\r\n"
          + "Connection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n")
          + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(req.getBytes(ISO_8859_1));
      out.flush();
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(), ISO_8859_1)).readLine();
      assertThat(status).startsWith("HTTP/1.1 ");
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}

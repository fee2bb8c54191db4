package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.Welcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A black-box audit of the broker against {@code shared/spec/FORMAT.md} (and the choices written down in
 * {@code docs/journal-format.md}): one test per promise that the other component tests do not pin yet.
 * Everything goes through the files and a fake realm on a real WebSocket, as an outside tester would.
 */
class SpecAuditTest {
  static final String RULE = "-".repeat(70);
  static final String PROMPT = "> Append your JavaScript snippet below to execute against this page.";
  static final String FOOTER = RULE + "\n" + PROMPT + "\n\n";
  static final String OK = "#### \uD83D\uDC4D"; // #### 👍
  static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  static final String LOG_EVENT = "##### \u2611\uFE0Fconsole.log\n```Text console.log\n09:05:01 ";
  /** The realm's clock for events: 09:05:01 UTC, two seconds before the broker's fixed clock. */
  static final long EVENT_TIME = Instant.parse("2026-11-25T09:05:01.123Z").toEpochMilli();
  static final Duration QUIET = Duration.ofMillis(400);

  @TempDir Path base;
  private Rig rig;
  private TestBroker broker;

  @BeforeEach
  void setUp() throws Exception {
    rig = new Rig(base);
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.shutdown();
  }

  private void start() throws IOException {
    broker = rig.start(UnaryOperator.identity());
  }

  // ---- §2: the footer is always the last thing, and there is exactly one ----

  @Test
  @DisplayName("§2 the footer stays last and single after a reply, a background block, a late reply and a diagnostic")
  void footerIsLastAfterEveryKindOfWrite() throws Exception {
    start();
    FakeRealm realm = rig.connected("foot");
    rig.assertOneFooterLast("foot");

    broker.append("foot", "```js timeout=300ms\nslow()\n```\n");
    RunJob job = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("foot")).contains("executing (0s)\n\n" + FOOTER));
    rig.assertOneFooterLast("foot");
    await().untilAsserted(() -> assertThat(broker.log("foot")).contains("job timed out after 300ms"));
    rig.assertOneFooterLast("foot");

    realm.sendResult(job.id(), "\"late\"");
    await().untilAsserted(() -> assertThat(broker.log("foot")).contains(" (late)\n```JSON\n\"late\"\n```\n"));
    rig.assertOneFooterLast("foot");

    realm.sendEvent(null, "log", EVENT_TIME, "in the background");
    await().untilAsserted(() -> assertThat(broker.log("foot")).contains(SAID + "foot background at " + NOW + "\n"
        + LOG_EVENT + "in the background\n```\n\n" + FOOTER));
    rig.assertOneFooterLast("foot");

    realm.sendResult("j-424242", "1");
    await(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(broker.log("foot"))
        .contains("##### \uD83D\uDEABdaebug\n").contains("j-424242"));
    rig.assertOneFooterLast("foot");

    broker.append("foot", "```js\n'after all that'\n```\n");
    RunJob next = realm.awaitJob();
    realm.sendResult(next.id(), "\"ok\"");
    await().untilAsserted(() -> assertThat(broker.log("foot")).endsWith("```js\n'after all that'\n```\n" + OK
        + "foot to agent at " + NOW + " (" + rig.durationOf("foot", 0) + ")\n```JSON\n\"ok\"\n```\n\n" + FOOTER));
    rig.assertOneFooterLast("foot");
  }

  // ---- §2.1: fences ----

  @Test
  @DisplayName("§2.1 a request with CRLF line endings runs; its CRLF lines are kept byte for byte")
  void crlfRequest() throws Exception {
    start();
    FakeRealm realm = rig.connected("crlf");
    String request = SAID + "claude to crlf at 10:11:12\r\nWhy: windows.\r\n```js\r\nlet a = 1;\r\na + 1\r\n```\r\n";
    broker.append("crlf", request);
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("let a = 1;\na + 1");
    realm.sendResult(job.id(), "2");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("crlf"))).endsWith(
        "\n\n" + request + OK + "crlf to claude at " + NOW + " (Nms)\n```JSON\n2\n```\n\n" + FOOTER));
    rig.assertOneFooterLast("crlf");
  }

  @Test
  @DisplayName("§2.1 a ~~~js tilde fence runs and its reply lands directly below it")
  void tildeFence() throws Exception {
    start();
    FakeRealm realm = rig.connected("tilde");
    broker.append("tilde", "~~~js\n'```'.length\n~~~\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("'```'.length");
    realm.sendResult(job.id(), "3");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("tilde"))).endsWith(
        SAID + "agent to tilde at " + NOW + "\n~~~js\n'```'.length\n~~~\n" + OK + "tilde to agent at " + NOW
            + " (Nms)\n```JSON\n3\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("§2.1 a 4-backtick fence holding ``` lines runs as one request, ``` lines included")
  void longerFenceHoldsShorterOnes() throws Exception {
    start();
    FakeRealm realm = rig.connected("quad");
    String code = "const md = `\n```js\nnot a fence\n```\n`;\nmd.length";
    broker.append("quad", "````js\n" + code + "\n````\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo(code);
    realm.sendResult(job.id(), "27");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("quad"))).endsWith(
        "````js\n" + code + "\n````\n" + OK + "quad to agent at " + NOW + " (Nms)\n```JSON\n27\n```\n\n" + FOOTER));
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  @Test
  @DisplayName("§2.1 JS/js/javascript/mjs/empty run in file order, text/json fences are prose; prose stays verbatim")
  void runnableInfoStringsAndProse() throws Exception {
    start();
    FakeRealm realm = rig.connected("infos");
    String before = rig.awaitLog("infos");
    String[] codes = {"'JS'", "'js'", "'javascript'", "'mjs'", "'empty'"};
    String[] infos = {"JS", "js", "javascript", "mjs", ""};
    StringBuilder append = new StringBuilder(SAID + "claude to infos at 10:11:12\nProse *before*, kept.\n");
    for (int i = 0; i < codes.length; i++) {
      append.append("```").append(infos[i]).append('\n').append(codes[i]).append("\n```\n");
      append.append(i == 1 ? "```text\nnot code 1\n```\n```json\n{\"not\": \"code\"}\n```\n" : "")
          .append("between ").append(i).append("  \n");
    }
    append.append("Prose after, kept too.\n");
    broker.append("infos", append.toString());

    List<RunJob> jobs = new ArrayList<>();
    for (String code : codes) {
      RunJob job = realm.awaitJob();
      assertThat(job.code()).isEqualTo(code);
      jobs.add(job);
      realm.sendResult(job.id(), "\"" + code.replace("'", "") + "\"");
    }
    StringBuilder expected = new StringBuilder(SAID + "claude to infos at 10:11:12\nProse *before*, kept.\n");
    for (int i = 0; i < codes.length; i++) {
      expected.append("```").append(infos[i]).append('\n').append(codes[i]).append("\n```\n")
          .append(OK).append("infos to claude at ").append(NOW).append(" (Nms)\n```JSON\n\"")
          .append(codes[i].replace("'", "")).append("\"\n```\n");
      expected.append(i == 1 ? "```text\nnot code 1\n```\n```json\n{\"not\": \"code\"}\n```\n" : "")
          .append("between ").append(i).append("  \n");
    }
    expected.append("Prose after, kept too.\n");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("infos"))).isEqualTo(
        Rig.head(before) + "\n" + expected + "\n" + FOOTER));
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  @Test
  @DisplayName("§2.1 an unclosed fence is a draft: nothing runs until it is closed, then it runs exactly once")
  void draftRunsOnceWhenClosed() throws Exception {
    start();
    FakeRealm realm = rig.connected("draft");
    String before = rig.awaitLog("draft");
    broker.append("draft", SAID + "claude to draft at 10:11:12\n```js\nlet total = 1 +\n");
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
    assertThat(broker.log("draft")).isEqualTo(before + SAID + "claude to draft at 10:11:12\n```js\nlet total = 1 +\n");

    broker.append("draft", "  2;\ntotal\n```\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("let total = 1 +\n  2;\ntotal");
    realm.sendResult(job.id(), "3");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("draft"))).isEqualTo(Rig.head(before) + "\n"
        + SAID + "claude to draft at 10:11:12\n```js\nlet total = 1 +\n  2;\ntotal\n```\n" + OK + "draft to claude at "
        + NOW + " (Nms)\n```JSON\n3\n```\n\n" + FOOTER));
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  @Test
  @DisplayName("§2.1 a request appended while another runs shows queued (1 ahead) and gets its own reply")
  void appendWhileRunning() throws Exception {
    start();
    FakeRealm realm = rig.connected("busy");
    String before = rig.awaitLog("busy");
    String first = SAID + "ann to busy at 10:00:00\n```js\nfirst()\n```\n";
    broker.append("busy", first);
    RunJob job1 = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("busy")).contains("executing (0s)\n\n" + FOOTER));

    String second = SAID + "bob to busy at 10:00:01\n```js\nsecond()\n```\n";
    broker.append("busy", second);
    await().untilAsserted(() -> assertThat(broker.log("busy")).isEqualTo(Rig.head(before) + "\n" + first + OK
        + "busy to ann at " + NOW + "\nexecuting (0s)\n\n" + second + OK + "busy to bob at " + NOW
        + "\nqueued (1 ahead)\n\n" + FOOTER));
    TestAwait.await().during(Duration.ofMillis(200)).until(() -> realm.pending() == 0);

    realm.sendResult(job1.id(), "\"for ann\"");
    RunJob job2 = realm.awaitJob();
    assertThat(job2.code()).isEqualTo("second()");
    realm.sendResult(job2.id(), "\"for bob\"");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("busy"))).isEqualTo(Rig.head(before) + "\n"
        + first + OK + "busy to ann at " + NOW + " (Nms)\n```JSON\n\"for ann\"\n```\n\n"
        + second + OK + "busy to bob at " + NOW + " (Nms)\n```JSON\n\"for bob\"\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("§2.1 a realm of another language runs fences of its language only, and its prompt names it")
  void otherLanguageRealm() throws Exception {
    start();
    FakeRealm realm = rig.connect();
    realm.sendRaw("{\"type\":\"hello\",\"name\":\"jvm-1\",\"kind\":\"jvm\",\"url\":\"jvm://1\","
        + "\"language\":\"java\",\"protocol\":1}");
    Welcome w = realm.awaitWelcome();
    assertThat(w.name()).isEqualTo("jvm-1");
    await().untilAsserted(() -> assertThat(broker.log("jvm-1")).startsWith("# jvm-1 Session\n\n")
        .endsWith("\n\n" + RULE + "\n> Append your Java snippet below to execute against this realm.\n\n"));
    broker.append("jvm-1", "```js\nnot for java\n```\n```java\n1 + 1\n```\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("1 + 1");
    assertThat(job.language()).isEqualTo("java");
    realm.sendResult(job.id(), "2");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("jvm-1")))
        .contains("```js\nnot for java\n```\n")
        .contains("```java\n1 + 1\n```\n" + OK + "jvm-1 to agent at " + NOW + " (Nms)\n```JSON\n2\n```\n\n"
            + RULE + "\n> Append your Java snippet below to execute against this realm.\n\n"));
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  // ---- §2.3: replies ----

  @Test
  @DisplayName("§2.3 a job answered after 2 s shows seconds with one decimal, e.g. (2.1s)")
  void durationInSeconds() throws Exception {
    start();
    FakeRealm realm = rig.connected("slowish");
    broker.append("slowish", "```js\nawait pause(2100)\n```\n");
    RunJob job = realm.awaitJob();
    TestAwait.await(Duration.ofSeconds(4)).pollDelay(Duration.ofMillis(2100)).until(() -> true);
    realm.sendResult(job.id(), "null");
    await().untilAsserted(() -> assertThat(broker.log("slowish"))
        .containsPattern("\n" + Pattern.quote(OK + "slowish to agent at " + NOW + " (") + "[23]\\.\\ds\\)\n```JSON\nnull\n"));
  }

  @Test
  @DisplayName("§2.3 JSON values are pretty-printed exactly as JSON.stringify(v, null, 2)")
  void jsonPrettyPrinting() throws Exception {
    start();
    FakeRealm realm = rig.connected("pretty");
    broker.append("pretty", "```js\nvalue\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "{\"empty\":{},\"none\":[],\"deep\":{\"list\":[1,[2,[]],{\"k\":{}}]},"
        + "\"s\":\"say \\\"hi\\\"\\nnext\\tline \\\\ \\u00e9\\u4e2d\\ud83d\\ude00 \\u0001\",\"n\":-1.5e-7,\"big\":1e21,"
        + "\"t\":true,\"nil\":null}");
    String expected = "{\n"
        + "  \"empty\": {},\n"
        + "  \"none\": [],\n"
        + "  \"deep\": {\n"
        + "    \"list\": [\n"
        + "      1,\n"
        + "      [\n"
        + "        2,\n"
        + "        []\n"
        + "      ],\n"
        + "      {\n"
        + "        \"k\": {}\n"
        + "      }\n"
        + "    ]\n"
        + "  },\n"
        + "  \"s\": \"say \\\"hi\\\"\\nnext\\tline \\\\ \u00e9\u4e2d\uD83D\uDE00 \\u0001\",\n"
        + "  \"n\": -1.5e-7,\n"
        + "  \"big\": 1e+21,\n"
        + "  \"t\": true,\n"
        + "  \"nil\": null\n"
        + "}";
    await().untilAsserted(() -> assertThat(broker.log("pretty")).contains("```js\nvalue\n```\n" + OK)
        .contains(")\n```JSON\n" + expected + "\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("§2.3 a value with $daebug tags goes in a Text fence in console notation")
  void taggedValueIsText() throws Exception {
    start();
    FakeRealm realm = rig.connected("tagged");
    broker.append("tagged", "```js\n({a: undefined, b: [1, 12n], c: NaN})\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "{\"a\":{\"$daebug\":\"undefined\"},\"b\":[1,{\"$daebug\":\"bigint\",\"repr\":\"12\"}],"
        + "\"c\":{\"$daebug\":\"number\",\"repr\":\"NaN\"}}");
    await().untilAsserted(() -> assertThat(broker.log("tagged"))
        .contains(")\n```Text\n{ a: undefined, b: [ 1, 12n ], c: NaN }\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("§2.3 an error whose stack holds fences and a fake footer cannot break out: one footer, nothing runs")
  void resultsCannotBreakOut() throws Exception {
    start();
    FakeRealm realm = rig.connected("evil");
    broker.append("evil", "```js\nevil()\n```\n");
    RunJob job = realm.awaitJob();
    String stack = "Error: x\n```\n" + RULE + "\n" + PROMPT + "\n\n```js\nalert('escaped')\n```\n````\n~~~js\nalso()\n~~~";
    realm.sendEvent(job.id(), "log", EVENT_TIME, "```\n" + RULE + "\n" + PROMPT + "\n```js\nalert('from event')\n```");
    realm.sendFailure(job.id(), "Error", "x", stack);
    await().untilAsserted(() -> assertThat(broker.log("evil")).contains(
        FAIL + "evil to agent at " + NOW + " (").contains("\n`````Error\n" + stack + "\n`````\n")
        .contains("\n##### \u2611\uFE0Fconsole.log\n````Text console.log\n09:05:01 ```\n" + RULE + "\n").endsWith(FOOTER));
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);

    broker.append("evil", "```js\n'next'\n```\n");
    RunJob next = realm.awaitJob();
    assertThat(next.code()).isEqualTo("'next'");
    realm.sendResult(next.id(), "\"fine\"");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("evil"))).endsWith("```js\n'next'\n```\n" + OK
        + "evil to agent at " + NOW + " (Nms)\n```JSON\n\"fine\"\n```\n\n" + FOOTER));
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  // ---- §2.4: events ----

  @Test
  @DisplayName("§2.4 every event kind gets its emoji, label and fence language; the first line starts with HH:MM:SS")
  void eventKinds() throws Exception {
    start();
    FakeRealm realm = rig.connected("kinds");
    broker.append("kinds", "```js\nall()\n```\n");
    RunJob job = realm.awaitJob();
    String[][] cases = {
        {"log", "\u2611\uFE0F", "console.log", "Text", "plain"},
        {"info", "\u2139\uFE0F", "console.info", "Text", "info text"},
        {"warn", "\uD83C\uDD98", "console.warn", "Text", "careful"},
        {"error", "\uD83C\uDD98", "console.error", "Error", "bad"},
        {"debug", "\uD83D\uDD22", "console.debug", "Text", "dbg"},
        {"window.onerror", "\uD83D\uDEAB", "window.onerror", "Error", "ReferenceError: x is not defined\n    at a.js:1:1"},
        {"unhandledrejection", "\uD83D\uDEAB", "unhandledrejection", "Error", "Error: nope"},
        {"self.onerror", "\uD83D\uDEAB", "self.onerror", "Error", "TypeError: worker"},
        {"log", "\u2611\uFE0F", "console.log", "JSON", "{\"count\": 3, \"ok\": [true, null]}"},
        {"error", "\uD83C\uDD98", "console.error", "JSON", "[1, 2]"},
    };
    StringBuilder expected = new StringBuilder();
    for (String[] c : cases) {
      realm.sendEvent(job.id(), c[0], EVENT_TIME, c[4]);
      expected.append("##### ").append(c[1]).append(c[2]).append("\n```").append(c[3]).append(' ').append(c[2])
          .append("\n09:05:01 ").append(c[4]).append("\n```\n");
    }
    realm.sendResult(job.id(), "0");
    await().untilAsserted(() -> assertThat(broker.log("kinds")).contains(")\n```JSON\n0\n```\n" + expected + "\n" + FOOTER));
  }

  @Test
  @DisplayName("§2.4 exactly 10 events are all written; 11 and 25 keep 2, an exact count, then 8")
  void eventLimits() throws Exception {
    start();
    FakeRealm realm = rig.connected("limits");
    for (int total : new int[] {10, 11, 25}) {
      String code = "emit(" + total + ")";
      broker.append("limits", "```js\n" + code + "\n```\n");
      RunJob job = realm.awaitJob();
      for (int i = 1; i <= total; i++) {
        realm.sendEvent(job.id(), "log", EVENT_TIME, "e" + total + "." + i);
      }
      realm.sendResult(job.id(), String.valueOf(total));
      StringBuilder events = new StringBuilder();
      for (int i = 1; i <= total; i++) {
        if (total <= 10 || i <= 2 || i > total - 8) {
          events.append(LOG_EVENT).append("e").append(total).append('.').append(i).append("\n```\n");
        } else if (i == 3) {
          events.append("... (").append(total - 10).append(" more background events omitted) ...\n");
        }
      }
      String side = "limits.events/" + job.id() + ".md";
      if (total > 10) {
        events.append("Omitted events: [" + side + "](" + side + ")\n");
      }
      await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("limits"))).endsWith("```js\n" + code + "\n```\n"
          + OK + "limits to agent at " + NOW + " (Nms)\n```JSON\n" + total + "\n```\n" + events + "\n" + FOOTER));
      // the omitted ones are in the side file, whole and in order
      Path sideFile = broker.logFile("limits").resolveSibling(side);
      if (total > 10) {
        StringBuilder omitted = new StringBuilder();
        for (int i = 3; i <= total - 8; i++) {
          omitted.append(LOG_EVENT).append("e").append(total).append('.').append(i).append("\n```\n");
        }
        assertThat(Files.readString(sideFile)).endsWith("in order.\n\n" + omitted);
      } else {
        assertThat(sideFile).doesNotExist();
      }
    }
  }

  @Test
  @DisplayName("§2.4 background events: one block above the footer, at most one write per second, 2/…/8 rule")
  void backgroundBatching() throws Exception {
    start();
    FakeRealm realm = rig.connected("bg");
    String before = rig.awaitLog("bg");
    realm.sendEvent(null, "info", EVENT_TIME, "first");
    String block1 = SAID + "bg background at " + NOW + "\n##### \u2139\uFE0Fconsole.info\n```Text console.info\n"
        + "09:05:01 first\n```\n";
    await().untilAsserted(() -> assertThat(broker.log("bg")).isEqualTo(Rig.head(before) + "\n" + block1 + "\n" + FOOTER));

    for (int i = 1; i <= 25; i++) {
      realm.sendEvent(null, "log", EVENT_TIME, "burst " + i);
    }
    TestAwait.await().during(Duration.ofMillis(700)).until(() -> Rig.count(broker.log("bg"), "background at") == 1);
    StringBuilder block2 = new StringBuilder(SAID + "bg background at " + NOW + "\n");
    for (int i : new int[] {1, 2, 0, 18, 19, 20, 21, 22, 23, 24, 25}) {
      block2.append(i == 0 ? "... (15 more background events omitted) ...\n" : LOG_EVENT + "burst " + i + "\n```\n");
    }
    String side = "bg.events/background-20261125-090503.md"; // named after the broker's (fixed) clock
    block2.append("Omitted events: [" + side + "](" + side + ")\n");
    await().untilAsserted(() -> assertThat(broker.log("bg")).isEqualTo(
        Rig.head(before) + "\n" + block1 + "\n" + block2 + "\n" + FOOTER));
    String omitted = IntStream.rangeClosed(3, 17).mapToObj(i -> LOG_EVENT + "burst " + i + "\n```\n")
        .collect(Collectors.joining());
    assertThat(Files.readString(broker.logFile("bg").resolveSibling(side))).endsWith("in order.\n\n" + omitted);
  }

  // ---- §3: the registry ----

  @Test
  @DisplayName("§3 registry lines: exact format, most recently seen first, live/executing/disconnected")
  void registryOrderAndStates() throws Exception {
    start();
    FakeRealm a = rig.connected("alpha");
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(Rig.line("alpha", "live")));
    FakeRealm b = rig.connected("beta");
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(
        Rig.line("beta", "live"), Rig.line("alpha", "live")));
    broker.append("alpha", "```js\nwork()\n```\n");
    RunJob job = a.awaitJob();
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(
        Rig.line("beta", "live"), Rig.line("alpha", "executing")));
    a.close();
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(
        Rig.line("alpha", "disconnected"), Rig.line("beta", "live")));
    assertThat(broker.registry()).startsWith("# \uD83D\uDC7E Daebug remote debugging REPL started " + NOW + "\n"
        + "> Interactive debugging REPL sessions for live browser contexts\n\n").contains("\n## Active Sessions\n\n")
        .contains("\n## How to Use\n");
    assertThat(job.id()).isNotEmpty();
    b.close();
  }

  @Test
  @DisplayName("§3 the registry keeps a realm's link even when its log file was deleted")
  void linkWrittenWhenLogMissing() throws Exception {
    start();
    rig.connected("gone-file");
    Files.delete(broker.logFile("gone-file"));
    rig.connected("other");
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(
        Rig.line("other", "live"), Rig.line("gone-file", "live")));
  }

  @Test
  @DisplayName("§3 a line that merely contains %%SHUTDOWN%% does not stop the broker")
  void shutdownNeedsTheExactLine() throws Exception {
    start();
    FakeRealm realm = rig.connected("steady");
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(Rig.line("steady", "live")));
    Files.writeString(broker.root().resolve("daebug.md"), broker.registry()
        + "please %%SHUTDOWN%% later\n %%SHUTDOWN%%x\n`%%SHUTDOWN%%`\n", UTF_8);
    rig.connected("newcomer");
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(
        Rig.line("newcomer", "live"), Rig.line("steady", "live")));
    assertThat(broker.registry()).doesNotContain("SHUT DOWN").doesNotContain("please %%SHUTDOWN%%");
    broker.append("steady", "```js\n'alive'\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "\"alive\"");
    await().untilAsserted(() -> assertThat(broker.log("steady")).contains("```JSON\n\"alive\"\n```\n"));
    assertThat(realm.isOpen()).isTrue();
  }

  @Test
  @DisplayName("§3 %%SHUTDOWN%% on its own line in a CRLF daebug.md stops the broker")
  void shutdownWithCrlf() throws Exception {
    start();
    FakeRealm realm = rig.connected("crlf-stop");
    await().untilAsserted(() -> assertThat(rig.registryLines()).containsExactly(Rig.line("crlf-stop", "live")));
    Files.writeString(broker.root().resolve("daebug.md"),
        broker.registry().replace("\n", "\r\n") + "%%SHUTDOWN%%\r\nbye\r\n", UTF_8);
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
      try {
        broker.broker().awaitStopped();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    stopped.get(10, TimeUnit.SECONDS);
    assertThat(broker.registry()).startsWith("# \uD83D\uDC7E Daebug remote debugging REPL: SERVER SHUT DOWN " + NOW
        + "\n> This debugging session has concluded.\n").doesNotContain("Active Sessions").doesNotContain("* [");
    realm.awaitClosed();
  }

  // ---- §1: names ----

  @Test
  @DisplayName("§1 a -2 suffix on a 64-character name keeps it at 64 characters; -3 follows")
  void suffixOnLongNames() throws Exception {
    start();
    String name = "a".repeat(64);
    assertThat(rig.connect().hello(name).name()).isEqualTo(name);
    rig.awaitLog(name);
    Welcome second = rig.connect().hello(name.toUpperCase());
    assertThat(second.name()).isEqualTo("a".repeat(62) + "-2");
    Welcome third = rig.connect().hello(name);
    assertThat(third.name()).isEqualTo("a".repeat(62) + "-3");
    assertThat(third.log()).isEqualTo("daebug/" + third.name() + ".md");
    rig.awaitLog(third.name());
  }

  @Test
  @DisplayName("§1 sanitisation: runs of other characters become one dash, dashes themselves are kept")
  void sanitisationDetails() throws Exception {
    start();
    Map<String, String> cases = Map.of(
        "Tab Ünïcode—Name", "tab-n-code-name",
        "a  b\t\tc", "a-b-c",
        "x--y", "x--y",
        "7-zen-1201-03-webworker", "7-zen-1201-03-webworker",
        "__init__", "init");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      Welcome w = rig.connect().hello(e.getKey());
      assertThat(w.name()).as(e.getKey()).isEqualTo(e.getValue());
      rig.awaitLog(e.getValue());
    }
  }

  // ---- §4: agent edits ----

  @Test
  @DisplayName("§4 an edit of the old prose at the top while a job runs survives the reply")
  void topEditWhileRunning() throws Exception {
    start();
    FakeRealm realm = rig.connected("edit");
    broker.append("edit", "```js\nwork()\n```\n");
    RunJob job = realm.awaitJob();
    await().untilAsserted(() -> assertThat(broker.log("edit")).contains("executing (0s)"));
    String current = broker.log("edit");
    String edited = current.replace("# edit Session\n", "# edit Session\n\nNOTE: the agent's own summary.\n");
    Files.writeString(broker.logFile("edit"), edited, UTF_8);
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("edit"))
        .startsWith("# edit Session\n\nNOTE: the agent's own summary.\n").contains("```JSON\n1\n```\n\n" + FOOTER));
    rig.assertOneFooterLast("edit");
  }

  @Test
  @DisplayName("§4 deleting the footer by hand, then appending a request: it runs once and one footer comes back last")
  void footerDeletedByHand() throws Exception {
    start();
    FakeRealm realm = rig.connected("nofoot");
    String before = rig.awaitLog("nofoot");
    broker.append("nofoot", "```js\none()\n```\n");
    RunJob first = realm.awaitJob();
    realm.sendResult(first.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("nofoot")).contains("```JSON\n1\n```\n\n" + FOOTER));
    String withoutFooter = broker.log("nofoot").replace("\n" + FOOTER, "");
    Files.writeString(broker.logFile("nofoot"), withoutFooter + "\n```js\ntwo()\n```\n", UTF_8);
    RunJob second = realm.awaitJob();
    assertThat(second.code()).isEqualTo("two()");
    realm.sendResult(second.id(), "2");
    // Observed and consistent with docs/journal-format.md: a log without a footer is read as all tail (after
    // the 300 ms settle wait, as it holds replies); the fence that already has a reply never runs again; the new
    // fence inherits the agent of the last header above it (here the inserted "agent" header), so no header
    // is inserted; one footer is recreated at the end.
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("nofoot"))).isEqualTo(Rig.normalised(
        Rig.head(before) + "\n" + SAID + "agent to nofoot at " + NOW + "\n```js\none()\n```\n" + OK + "nofoot to agent at "
            + NOW + " (Nms)\n```JSON\n1\n```\n\n```js\ntwo()\n```\n" + OK
            + "nofoot to agent at " + NOW + " (Nms)\n```JSON\n2\n```\n\n" + FOOTER)));
    rig.assertOneFooterLast("nofoot");
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  @Test
  @DisplayName("§4 an editor's rename-save that appends a request is seen and runs")
  void renameSave() throws Exception {
    start();
    FakeRealm realm = rig.connected("saved");
    String before = rig.awaitLog("saved");
    Path tmp = broker.logFile("saved").resolveSibling(".saved.md.swp");
    String request = SAID + "vim to saved at 10:00:00\n```js\n'saved'\n```\n";
    Files.writeString(tmp, before + request, UTF_8);
    Files.move(tmp, broker.logFile("saved"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("'saved'");
    realm.sendResult(job.id(), "\"saved\"");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("saved"))).isEqualTo(Rig.head(before) + "\n"
        + request + OK + "saved to vim at " + NOW + " (Nms)\n```JSON\n\"saved\"\n```\n\n" + FOOTER));
  }

  @Test
  @DisplayName("§4 an editor that saves the log with a BOM: the BOM is kept and the next request runs")
  void bomAddedByAnEditor() throws Exception {
    start();
    FakeRealm realm = rig.connected("bom");
    String before = rig.awaitLog("bom");
    Files.writeString(broker.logFile("bom"), "\uFEFF" + before, UTF_8);
    broker.append("bom", "```js\n'bom'\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(Rig.normalised(broker.log("bom"))).isEqualTo("\uFEFF" + Rig.head(before)
        + "\n" + SAID + "agent to bom at " + NOW + "\n```js\n'bom'\n```\n" + OK + "bom to agent at " + NOW
        + " (Nms)\n```JSON\n1\n```\n\n" + FOOTER));
  }

  // ---- the rig shared with SpecAuditFailingTest ----

  /** A broker in a temp folder, a WebSocket client and the fake realms of one test. */
  static final class Rig {
    private final Path base;
    private final WebSocketClient client = new WebSocketClient();
    private final List<FakeRealm> realms = new ArrayList<>();
    private TestBroker broker;

    Rig(Path base) throws Exception {
      this.base = base;
      client.setMaxTextMessageSize(4 << 20);
      client.start();
    }

    TestBroker start(UnaryOperator<BrokerConfig> tweak) throws IOException {
      broker = TestBroker.start(Files.createDirectories(base.resolve("project")), tweak);
      return broker;
    }

    FakeRealm connect() throws Exception {
      FakeRealm r = FakeRealm.connect(client, broker.realmUri(), Map.of());
      realms.add(r);
      return r;
    }

    FakeRealm connected(String name) throws Exception {
      FakeRealm r = connect();
      assertThat(r.hello(name).name()).isEqualTo(name);
      awaitLog(name);
      return r;
    }

    String awaitLog(String name) {
      await().untilAsserted(() -> assertThat(broker.log(name)).startsWith("# " + name).endsWith(FOOTER));
      return broker.log(name);
    }

    /** The footer is the file's end and the only footer (a rule line followed by the prompt line). */
    void assertOneFooterLast(String name) {
      String log = broker.log(name);
      if (!log.endsWith("\n\n" + FOOTER)) {
        // A write in place in progress shows its reserved room, one line of spaces and tabs, for microseconds.
        log = log.replaceFirst("[ \t]*\n$", "");
      }
      assertThat(log).endsWith("\n\n" + FOOTER);
      assertThat(count(log, "\n" + RULE + "\n> Append your ")).as("footers in\n" + log).isEqualTo(1);
    }

    /** The {@code i}-th measured duration text of a log, such as {@code 17ms}. */
    String durationOf(String name, int i) {
      Matcher m = Pattern.compile(" at " + NOW + " \\((\\d+ms|\\d+\\.\\ds)\\)\n```JSON").matcher(broker.log(name));
      String found = null;
      for (int n = 0; n <= i && m.find(); n++) {
        found = m.group(1);
      }
      return found;
    }

    List<String> registryLines() {
      return broker.registry().lines().filter(l -> l.startsWith("* [")).toList();
    }

    static String line(String name, String state) {
      return "* [" + name + "](daebug/" + name + ".md) (" + FakeRealm.URL + ") at " + NOW + ": " + state;
    }

    static String head(String newLog) {
      assertThat(newLog).endsWith("\n\n" + FOOTER);
      return newLog.substring(0, newLog.length() - ("\n" + FOOTER).length());
    }

    static String normalised(String log) {
      return log.replaceAll("\\(\\d+ms\\)", "(Nms)");
    }

    static int count(String text, String what) {
      Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
      int n = 0;
      while (m.find()) {
        n++;
      }
      return n;
    }

    void shutdown() throws Exception {
      try {
        for (FakeRealm r : realms) {
          r.assertExhausted();
        }
      } finally {
        if (broker != null) {
          broker.close();
        }
        realms.forEach(FakeRealm::abort);
        client.stop();
      }
    }
  }
}

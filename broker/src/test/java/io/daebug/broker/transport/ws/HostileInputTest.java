package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.HostileInput.FORGE;
import static io.daebug.broker.transport.ws.HostileInput.assertNothingDispatched;
import static io.daebug.broker.transport.ws.HostileInput.q;
import static io.daebug.broker.transport.ws.HostileInput.rawGet;
import static io.daebug.broker.transport.ws.HostileInput.status;
import static io.daebug.broker.transport.ws.SpecAuditTest.EVENT_TIME;
import static io.daebug.broker.transport.ws.SpecAuditTest.FAIL;
import static io.daebug.broker.transport.ws.SpecAuditTest.FOOTER;
import static io.daebug.broker.transport.ws.SpecAuditTest.OK;
import static io.daebug.broker.transport.ws.SpecAuditTest.QUIET;
import static io.daebug.broker.transport.ws.SpecAuditTest.RULE;
import static io.daebug.broker.transport.ws.TestAwait.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.transport.ws.SpecAuditTest.Rig;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input, as an outside tester would send it: malformed and oversized frames, values that try to forge
 * journal structure, markdown an agent half-wrote, and HTTP path and header tricks. After every attack the
 * broker must still serve another realm end to end, with every log holding exactly one footer.
 */
class HostileInputTest {
  @TempDir Path base;
  private Rig rig;
  private TestBroker broker;
  private HostileInput h;

  @BeforeEach
  void setUp() throws Exception {
    rig = new Rig(base);
    broker = rig.start(UnaryOperator.identity());
    h = new HostileInput(rig, broker);
  }

  @AfterEach
  void tearDown() throws Exception {
    rig.shutdown();
  }

  // ---- frames ----

  @Test
  @DisplayName("10,000 levels of [ get a bad-json error; the connection stays open and the job can still be answered")
  void deeplyNestedJson() throws Exception {
    FakeRealm realm = rig.connected("deep");
    broker.append("deep", "```js\ndeep()\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":true,\"value\":" + "[".repeat(10_000)
        + "]".repeat(10_000) + "}");
    assertThat(realm.awaitError().code()).isEqualTo("bad-json");
    realm.sendRaw("[".repeat(10_000));
    assertThat(realm.awaitError().code()).isEqualTo("bad-json");
    assertThat(realm.isOpen()).isTrue();
    realm.sendResult(job.id(), "\"after the bomb\"");
    await().untilAsserted(() -> assertThat(broker.log("deep")).contains("```JSON\n\"after the bomb\"\n```\n\n" + FOOTER));
    h.assertStillServes();
  }

  @Test
  @DisplayName("a value nested 900 deep (under the parser's limit) is journalled without a stack overflow")
  void deepButParsableValue() throws Exception {
    FakeRealm realm = rig.connected("deep9");
    h.runWithRawResult(realm, "deep9", "deep9()", "{\"type\":\"result\",\"id\":\"$ID\",\"ok\":true,\"value\":"
        + "[".repeat(900) + "1" + "]".repeat(900) + "}");
    await().untilAsserted(() -> assertThat(broker.log("deep9")).contains(OK + "deep9 to agent").endsWith(FOOTER));
    rig.assertOneFooterLast("deep9");
    assertThat(realm.isOpen()).isTrue();
    h.assertStillServes();
  }

  @Test
  @DisplayName("1e999999 as a value is journalled briefly; a 5000-digit integer is refused clearly; nothing hangs")
  void hugeNumbers() throws Exception {
    FakeRealm realm = rig.connected("nums");
    h.runWithRawResult(realm, "nums", "big()", "{\"type\":\"result\",\"id\":\"$ID\",\"ok\":true,\"value\":1e999999}");
    await().untilAsserted(() -> assertThat(broker.log("nums")).contains(OK + "nums to agent").endsWith(FOOTER));
    assertThat(broker.log("nums").length()).isLessThan(100_000);
    rig.assertOneFooterLast("nums");

    broker.append("nums", "```js\nhuge()\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":true,\"value\":" + "9".repeat(5000) + "}");
    assertThat(realm.awaitError().code()).isIn("bad-json", "invalid");
    realm.sendResult(job.id(), "\"answered\"");
    await().untilAsserted(() -> assertThat(broker.log("nums")).contains("```JSON\n\"answered\"\n```\n\n" + FOOTER));
    h.assertStillServes();
  }

  @Test
  @DisplayName("a 900 KB string result is cut to the cap with an exact count; the log stays small")
  void nearlyOneMebibyteString() throws Exception {
    FakeRealm realm = rig.connected("bigstr");
    h.runWithRawResult(realm, "bigstr", "big()", "{\"type\":\"result\",\"id\":\"$ID\",\"ok\":true,\"value\":\""
        + "x".repeat(900_000) + "\"}");
    await().untilAsserted(() -> assertThat(broker.log("bigstr")).contains(" more bytes omitted) ...").endsWith(FOOTER));
    assertThat(Files.size(broker.logFile("bigstr"))).isLessThan(200_000);
    rig.assertOneFooterLast("bigstr");
    assertThat(realm.isOpen()).isTrue();
    h.assertStillServes();
  }

  @Test
  @DisplayName("NUL characters and control characters in values and events are journalled; nothing breaks")
  void nulCharacters() throws Exception {
    FakeRealm realm = rig.connected("nul");
    broker.append("nul", "```js\nnul()\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendEvent(job.id(), "log", EVENT_TIME, "a\u0000b\u0007c\u001b[31m");
    realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":true,\"value\":\"x\\u0000y\"}");
    await().untilAsserted(() -> assertThat(broker.log("nul")).contains("\"x\\u0000y\"").endsWith(FOOTER));
    rig.assertOneFooterLast("nul");
    h.assertStillServes();
  }

  @Test
  @DisplayName("lone surrogates in values and events (\\ud800, \\udc80..) are journalled; the log stays parseable")
  void loneSurrogates() throws Exception {
    FakeRealm realm = rig.connected("surr");
    broker.append("surr", "```js\nsurr()\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendRaw("{\"type\":\"event\",\"job\":\"" + job.id() + "\",\"kind\":\"log\",\"time\":" + EVENT_TIME
        + ",\"text\":\"a\\ud800b\\udce2\\udc80\\udca8c\\udcff\"}");
    realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":true,\"value\":[\"\\ud800\",\"\\udfff\","
        + "\"\\udc60\\udc0a\",{\"k\":\"\\udbff\"}]}");
    await().untilAsserted(() -> assertThat(new String(Files.readAllBytes(broker.logFile("surr")), ISO_8859_1))
        .contains("surr to agent at 09:05:03 (").endsWith("\n\n" + FOOTER));
    assertNothingDispatched(realm);
    broker.append("surr", "```js\n'after'\n```\n");
    RunJob next = realm.awaitJob();
    assertThat(next.code()).isEqualTo("'after'");
    realm.sendResult(next.id(), "2");
    await().untilAsserted(() -> assertThat(new String(Files.readAllBytes(broker.logFile("surr")), ISO_8859_1))
        .endsWith("```JSON\n2\n```\n\n" + FOOTER));
    assertNothingDispatched(realm);
    h.assertStillServes();
  }

  @Test
  @DisplayName("a type that is not a string, an id that is an object: clear errors, connection stays usable")
  void wrongFieldTypes() throws Exception {
    FakeRealm realm = rig.connected("types");
    broker.append("types", "```js\nt()\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendRaw("{\"type\":5}");
    assertThat(realm.awaitError().code()).isEqualTo("bad-frame");
    realm.sendRaw("{\"type\":{\"$daebug\":\"x\"}}");
    assertThat(realm.awaitError().code()).isEqualTo("bad-frame");
    realm.sendRaw("{\"type\":\"result\",\"id\":{\"a\":1},\"ok\":true,\"value\":1}");
    assertThat(realm.awaitError().code()).isEqualTo("invalid");
    realm.sendRaw("{\"type\":\"result\",\"id\":[\"" + job.id() + "\"],\"ok\":true,\"value\":1}");
    assertThat(realm.awaitError().code()).isEqualTo("invalid");
    realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":\"maybe\",\"value\":1}");
    assertThat(realm.awaitError().code()).isEqualTo("invalid");
    realm.sendRaw("{\"type\":\"event\",\"kind\":\"log\",\"time\":\"noon\",\"text\":\"x\"}");
    assertThat(realm.awaitError().code()).isEqualTo("invalid");
    realm.sendRaw("{\"type\":\"event\",\"kind\":\"log\",\"time\":1e300,\"text\":\"x\"}");
    realm.sendRaw("{\"type\":\"event\",\"kind\":\"log\",\"time\":-9223372036854775808,\"text\":\"neg\"}");
    realm.sendRaw("{\"type\":\"event\",\"job\":{},\"kind\":\"log\",\"text\":\"x\"}");
    assertThat(realm.isOpen()).isTrue();
    realm.sendResult(job.id(), "\"typed\"");
    await().untilAsserted(() -> assertThat(broker.log("types")).contains("```JSON\n\"typed\"\n```\n").endsWith(FOOTER));
    // whatever the odd times became, the frames were either refused with an error or journalled
    TestAwait.await().during(QUIET).until(() -> true);
    while (realm.pending() > 0) {
      assertThat(realm.awaitError().code()).isEqualTo("invalid");
    }
    h.assertStillServes();
    rig.assertOneFooterLast("types");
  }

  @Test
  @DisplayName("a flood of 51 bad frames: an error each, then the broker closes with 1008; others unaffected")
  void badFrameFlood() throws Exception {
    FakeRealm realm = rig.connected("flood");
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    // One past the limit (50): frames still arriving after the broker's close sit unread in its socket when the
    // connection ends, and the kernel answers them with a reset that can reach this client before the close frame
    // (so it sees 1006). A client that keeps flooding is cut off either way; this one stops at the frame that ends it.
    for (int i = 0; i < 51; i++) {
      sends.add(realm.sendRawAsync("garbage " + i));
    }
    FakeRealm.Closed closed = realm.awaitClosed();
    assertThat(closed.status()).as("%s", closed).isEqualTo(StatusCode.POLICY_VIOLATION);
    assertThat(closed.reason()).contains("too many bad frames");
    for (CompletableFuture<Void> s : sends) {
      s.handle((ok, err) -> null).get(5, TimeUnit.SECONDS);
    }
    int errors = 0;
    while (realm.pending() > 0) {
      assertThat(realm.awaitError().code()).isEqualTo("bad-json");
      errors++;
    }
    assertThat(errors).isBetween(50, 51);
    await().untilAsserted(() -> assertThat(rig.registryLines()).contains(Rig.line("flood", "disconnected")));
    h.assertStillServes();
  }

  @Test
  @DisplayName("thousands of background events at once: at most one block a second, 2/…/8 rule, exact counts")
  void eventFlood() throws Exception {
    FakeRealm realm = rig.connected("chatty");
    long started = System.nanoTime();
    int total = 3000;
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      sends.add(realm.sendRawAsync("{\"type\":\"event\",\"kind\":\"log\",\"time\":" + EVENT_TIME + ",\"text\":\"spam "
          + i + "\"}"));
    }
    for (CompletableFuture<Void> s : sends) {
      s.get(10, TimeUnit.SECONDS);
    }
    // all events accounted for: shown + omitted == total
    await(Duration.ofSeconds(10)).untilAsserted(() -> {
      String log = broker.log("chatty");
      int shown = Rig.count(log, "\n09:05:01 spam ");
      Matcher m = Pattern.compile("\\.\\.\\. \\((\\d+) more background events omitted\\) \\.\\.\\.").matcher(log);
      long omitted = 0;
      while (m.find()) {
        omitted += Long.parseLong(m.group(1));
      }
      assertThat(shown + omitted).isEqualTo(total);
      assertThat(log).containsPattern("09:05:01 spam " + total + "\n```\n(Omitted events: .*\n)?\n" + FOOTER);
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    String log = broker.log("chatty");
    int blocks = Rig.count(log, "chatty background at");
    assertThat(blocks).as("background blocks in %.1fs", seconds).isLessThanOrEqualTo((int) Math.ceil(seconds) + 1);
    for (String block : log.split("### \uD83D\uDDE3\uFE0Fchatty background at ")) {
      assertThat(Rig.count(block, "##### ")).isLessThanOrEqualTo(10);
    }
    rig.assertOneFooterLast("chatty");
    // nothing lost: every event is in the log or in the side file its block links, once and in order
    StringBuilder all = new StringBuilder();
    int omittedAt = -1;
    for (String line : log.split("\n")) {
      Matcher link = Pattern.compile("^Omitted events: \\[([^\\]]+)\\]\\(\\1\\)$").matcher(line);
      if (line.endsWith(" more background events omitted) ...")) {
        omittedAt = all.length();
      } else if (link.matches()) {
        all.insert(omittedAt, Files.readString(broker.logFile("chatty").resolveSibling(link.group(1)), UTF_8));
      } else if (line.startsWith("09:05:01 spam ")) {
        all.append(line).append('\n');
      }
    }
    Matcher spam = Pattern.compile("09:05:01 spam (\\d+)\n").matcher(all);
    int next = 1;
    while (spam.find()) {
      assertThat(Integer.parseInt(spam.group(1))).isEqualTo(next++);
    }
    assertThat(next - 1).isEqualTo(total);
    h.assertStillServes();
  }

  @Test
  @DisplayName("a result for another realm's job is never journalled as that job's reply")
  void resultForAnotherRealmsJob() throws Exception {
    FakeRealm victim = rig.connected("victim");
    FakeRealm thief = rig.connected("thief");
    broker.append("victim", "```js\nsecret()\n```\n");
    RunJob job = victim.awaitJob();
    thief.sendResult(job.id(), "\"STOLEN\"");
    thief.sendFailure(job.id(), "Error", "STOLEN2", "Error: STOLEN2");
    await(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(broker.log("thief")).contains(job.id()));
    TestAwait.await().during(QUIET).untilAsserted(() -> assertThat(broker.log("victim"))
        .doesNotContain("STOLEN").contains("executing (0s)"));
    victim.sendResult(job.id(), "\"mine\"");
    await().untilAsserted(() -> assertThat(broker.log("victim")).contains("```JSON\n\"mine\"\n```\n\n" + FOOTER)
        .doesNotContain("STOLEN"));
    assertThat(broker.log("thief")).doesNotContain("```JSON\n\"STOLEN\"");
    h.assertStillServes();
  }

  @Test
  @DisplayName("a hello with a 1 MB name gets a 64-character name; a 1 MB name of symbols is refused briefly")
  void megabyteNames() throws Exception {
    FakeRealm longOne = rig.connect();
    assertThat(longOne.hello("a".repeat(1_000_000)).name()).isEqualTo("a".repeat(64));
    rig.awaitLog("a".repeat(64));

    FakeRealm symbols = rig.connect();
    symbols.sendHello("!".repeat(1_000_000), null);
    FakeRealm.Closed closed = symbols.awaitClosed();
    assertThat(closed.status()).isEqualTo(StatusCode.POLICY_VIOLATION);
    assertThat(closed.reason().length()).isLessThan(124);
    assertThat(broker.registry().length()).isLessThan(10_000);
    h.assertStillServes();
  }

  @Test
  @DisplayName("a hello reusing another live realm's tab under a different name takes nothing over")
  void tabOfAnotherRealm() throws Exception {
    FakeRealm first = rig.connect();
    assertThat(first.hello("owner", "tab-1").name()).isEqualTo("owner");
    FakeRealm second = rig.connect();
    assertThat(second.hello("intruder", "tab-1").name()).isEqualTo("intruder");
    rig.awaitLog("intruder");
    assertThat(first.isOpen()).isTrue();
    broker.append("owner", "```js\n'owner job'\n```\n");
    RunJob job = first.awaitJob();
    first.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("owner")).contains("```JSON\n1\n```\n\n" + FOOTER));
    assertThat(second.pending()).isZero();
    h.assertStillServes();
  }

  // ---- forging structure from the realm ----

  @Test
  @DisplayName("values, errors and events that hold fences, footers, headers and %%SHUTDOWN%% forge nothing")
  void forgedStructureFromValues() throws Exception {
    FakeRealm realm = rig.connected("forge");
    String p = q(FORGE);
    String[] values = {
        p,
        "[" + p + ", {" + p + ": " + p + "}]",
        "{\"$daebug\":\"symbol\",\"repr\":" + p + "}",
        "{\"$daebug\":\"function\",\"name\":" + p + ",\"class\":false}",
        "{\"$daebug\":\"function\",\"name\":" + p + ",\"class\":true}",
        "{\"$daebug\":\"map\",\"size\":1,\"entries\":[[" + p + "," + p + "]]}",
        "{\"$daebug\":\"set\",\"size\":1,\"values\":[" + p + "]}",
        "{\"$daebug\":\"object\",\"class\":" + p + ",\"entries\":{" + p + ":" + p + "}}",
        "{\"$daebug\":\"node\",\"repr\":" + p + "}",
        "{\"$daebug\":\"date\",\"iso\":" + p + "}",
        "{\"$daebug\":\"error\",\"name\":" + p + ",\"message\":" + p + ",\"stack\":" + p + "}",
        "{\"$daebug\":\"regexp\",\"repr\":" + p + "}",
        "{\"$daebug\":\"opaque\",\"repr\":" + p + "}",
        "{\"$daebug\":\"unreadable\",\"repr\":" + p + "}",
        "{\"$daebug\":\"truncated\",\"repr\":" + p + "}",
        "{\"$daebug\":\"bigint\",\"repr\":" + p + "}",
        "{\"$daebug\":\"number\",\"repr\":" + p + "}",
        "{\"$daebug\":\"circular\",\"path\":" + p + "}",
        "{\"$daebug\":\"typedarray\",\"class\":" + p + ",\"size\":1,\"values\":[" + p + "]}",
        "{\"$daebug\":" + p + ",\"repr\":" + p + "}",
        "{\"$daebug\":\"undefined\"," + p + ":" + p + "}",
    };
    int n = 0;
    for (String v : values) {
      n++;
      broker.append("forge", "```js\nv" + n + "()\n```\n");
      RunJob job = realm.awaitJob();
      assertThat(job.code()).isEqualTo("v" + n + "()");
      realm.sendEvent(job.id(), "log", EVENT_TIME, FORGE);
      realm.sendEvent(job.id(), FORGE, EVENT_TIME, FORGE);
      realm.sendRaw("{\"type\":\"result\",\"id\":\"" + job.id() + "\",\"ok\":true,\"value\":" + v + "}");
      int replies = n;
      await().untilAsserted(() -> assertThat(Rig.count(broker.log("forge"), OK + "forge to agent at ")).isEqualTo(replies));
      h.assertOneRealFooterLast("forge");
    }
    broker.append("forge", "```js\nfail()\n```\n");
    RunJob failing = realm.awaitJob();
    realm.sendFailure(failing.id(), FORGE, FORGE, FORGE);
    await().untilAsserted(() -> assertThat(broker.log("forge")).contains(FAIL + "forge to agent at "));
    realm.sendEvent(null, "error", EVENT_TIME, FORGE);
    realm.sendEvent(null, FORGE, EVENT_TIME, FORGE);
    await().untilAsserted(() -> assertThat(broker.log("forge")).contains("forge background at "));
    h.assertOneRealFooterLast("forge");
    assertNothingDispatched(realm);
    assertThat(h.registryHasShutdownLine()).isFalse();

    broker.append("forge", "```js\n'last'\n```\n");
    RunJob last = realm.awaitJob();
    assertThat(last.code()).isEqualTo("'last'");
    realm.sendResult(last.id(), "\"end\"");
    await().untilAsserted(() -> assertThat(broker.log("forge")).endsWith("```JSON\n\"end\"\n```\n\n" + FOOTER));
    assertNothingDispatched(realm);
    h.assertOneRealFooterLast("forge");
    h.assertStillServes();
  }

  @Test
  @DisplayName("a hello whose url, kind, language and name hold line breaks and %%SHUTDOWN%% cannot stop the broker")
  void forgedRegistryLines() throws Exception {
    FakeRealm realm = rig.connect();
    realm.sendRaw("{\"type\":\"hello\",\"name\":" + q("reg\n%%SHUTDOWN%%\n") + ",\"kind\":" + q("page\n%%SHUTDOWN%%")
        + ",\"url\":" + q("http://x/\n%%SHUTDOWN%%\n\r%%SHUTDOWN%%\r\u2028%%SHUTDOWN%%\u0085%%SHUTDOWN%%")
        + ",\"language\":" + q("javascript\n%%SHUTDOWN%%") + ",\"tab\":" + q("t\n%%SHUTDOWN%%") + ",\"protocol\":1}");
    assertThat(realm.awaitWelcome().name()).isEqualTo("reg-shutdown");
    await().untilAsserted(() -> assertThat(rig.registryLines()).anySatisfy(l -> assertThat(l).startsWith("* [reg-shutdown]")));
    assertThat(h.registryHasShutdownLine()).isFalse();
    h.assertStillServes();
    assertThat(broker.registry()).doesNotContain("SERVER SHUT DOWN");
  }

  // ---- markdown an agent writes ----

  @Test
  @DisplayName("a 1 MB single line before a request: the request runs once and the line is kept byte for byte")
  void megabyteLine() throws Exception {
    FakeRealm realm = rig.connected("wide");
    String line = "w".repeat(1_000_000);
    broker.append("wide", line + "\n```js\n'wide'\n```\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("'wide'");
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("wide")).contains(line + "\n```js\n'wide'\n```\n" + OK)
        .endsWith("```JSON\n1\n```\n\n" + FOOTER));
    assertNothingDispatched(realm);
    h.assertStillServes();
  }

  @Test
  @DisplayName("5,000 unclosed fences: nothing runs, the draft is kept exactly, the broker keeps serving")
  void manyUnclosedFences() throws Exception {
    FakeRealm realm = rig.connected("drafts");
    String before = rig.awaitLog("drafts");
    String drafts = "```js\nnotYet()\n".repeat(5000);
    broker.append("drafts", drafts);
    h.assertStillServes();
    assertNothingDispatched(realm);
    assertThat(broker.log("drafts")).isEqualTo(before + drafts);
  }

  @Test
  @DisplayName("5,000 alternating tilde fences tagged text: nothing runs and nothing is changed")
  void manyProseFences() throws Exception {
    FakeRealm realm = rig.connected("prose");
    String before = rig.awaitLog("prose");
    String prose = "~~~text\nnot code\n~~~\n".repeat(5000);
    broker.append("prose", prose);
    h.assertStillServes();
    assertNothingDispatched(realm);
    assertThat(broker.log("prose")).isEqualTo(before + prose);
  }

  @Test
  @DisplayName("a fence of 1,000 backticks runs once; the reply's fences do not break it")
  void thousandBacktickFence() throws Exception {
    FakeRealm realm = rig.connected("ticks");
    String ticks = "`".repeat(1000);
    broker.append("ticks", ticks + "js\nlet s = '```';\n" + ticks + "\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("let s = '```';");
    realm.sendResult(job.id(), "\"" + "`".repeat(2000) + "\"");
    await().untilAsserted(() -> assertThat(broker.log("ticks")).contains(ticks + "js\nlet s = '```';\n" + ticks + "\n" + OK)
        .endsWith(FOOTER));
    rig.assertOneFooterLast("ticks");
    assertNothingDispatched(realm);
    h.assertStillServes();
  }

  @Test
  @DisplayName("mixed CRLF, LF and CR-only line endings: requests run once, every byte the agent wrote is kept")
  void mixedLineEndings() throws Exception {
    FakeRealm realm = rig.connected("eol");
    String text = "prose one\r\nprose two\rprose three\n```js\r\n'crlf'\r\n```\r\nafter\r\r```js\r'cr'\r```\r\n";
    broker.append("eol", text);
    RunJob first = realm.awaitJob();
    assertThat(first.code()).isEqualTo("'crlf'");
    realm.sendResult(first.id(), "1");
    RunJob second = realm.awaitJob();
    assertThat(second.code()).isEqualTo("'cr'");
    realm.sendResult(second.id(), "2");
    await().untilAsserted(() -> {
      String log = broker.log("eol");
      assertThat(log).contains("prose one\r\nprose two\rprose three\n```js\r\n'crlf'\r\n```\r\n")
          .contains("after\r\r```js\r'cr'\r```\r\n").contains("```JSON\n2\n```").endsWith(FOOTER);
    });
    rig.assertOneFooterLast("eol");
    assertNothingDispatched(realm);
    h.assertStillServes();
  }

  @Test
  @DisplayName("invalid UTF-8 bytes in the agent's text are kept byte for byte around a request that runs once")
  void invalidUtf8() throws Exception {
    FakeRealm realm = rig.connected("bytes");
    byte[] junk = {(byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
        (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, (byte) 0xE2, (byte) 0x82, '\n'};
    ByteArrayOutputStream top = new ByteArrayOutputStream();
    top.writeBytes("top ".getBytes(UTF_8));
    top.writeBytes(junk);
    byte[] original = Files.readAllBytes(broker.logFile("bytes"));
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(top.toByteArray());
    file.writeBytes(original);
    file.writeBytes("said ".getBytes(UTF_8));
    file.writeBytes(junk);
    file.writeBytes("```js\n'bytes'\n```\n".getBytes(UTF_8));
    Files.write(broker.logFile("bytes"), file.toByteArray());
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("'bytes'");
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(new String(Files.readAllBytes(broker.logFile("bytes")), ISO_8859_1))
        .endsWith("```JSON\n1\n```\n\n" + FOOTER));
    byte[] after = Files.readAllBytes(broker.logFile("bytes"));
    String latin = new String(after, ISO_8859_1);
    assertThat(latin).startsWith(new String(top.toByteArray(), ISO_8859_1));
    assertThat(latin).contains(new String(junk, ISO_8859_1) + "```js\n'bytes'\n```\n");
    assertNothingDispatched(realm);
    h.assertStillServes();
  }

  // ---- HTTP ----

  @Test
  @DisplayName("a 100 KB request path is refused with a 4xx; the broker keeps serving")
  void hugePath() throws Exception {
    String[] r = rawGet(broker.port(), "/" + "a".repeat(100_000), "127.0.0.1");
    assertThat(status(r)).isBetween(400, 499);
    h.assertStillServes();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/daebug./x.md", "/daebug%2fx.md", "/daebug%2Fx.md", "/%2e%2e/", "/daebug%2e/x.md", "/daebug%20/x.md",
      "/daebug;x/x.md", "/daebug;/x.md", "/daebug/x.md;", "/daebug/x.md;.txt", "/daebug/x.md/", "/daebug/x.md.",
      "/daebug/x.md%20", "/daebug/x.md::$DATA", "/%64%61%65%62%75%67/x.md", "/DAEBUG./x.md", "/daebug%252fx.md",
      "/daebug%5cx.md", "/daebug/./x.md", "/x/../daebug/x.md", "/-daebug/../daebug/x.md", "/daebug.md/../daebug/x.md",
      "/%2e/daebug/x.md", "/.%2e/project/daebug/x.md", "/daebug%c0%afx.md", "/daebug/%2e%2e/daebug/x.md",
      "/.env", "/.env.", "/.env;", "/.env%20", "/%2eenv", "/sub/.hidden", "/sub/%2ehidden", "/.git/config",
      "/.git./config", "/daebug/", "/daebug", "/Daebug/X.md", "/daebug/.x.md.tmp", "/daebug%00/x.md",
      "/daebug/x.md?x=1", "/daebug/x.md#frag", "/daebug/x%2emd", "/daebug/x.MD"})
  void neverServesTheJournalOrDotfiles(String path) throws Exception {
    Path root = broker.root();
    Files.createDirectories(root.resolve("daebug"));
    Files.writeString(root.resolve("daebug/x.md"), "JOURNAL-SECRET");
    Files.writeString(root.resolve("daebug/X.md"), "JOURNAL-SECRET");
    Files.writeString(root.resolve("daebug/.x.md.tmp"), "JOURNAL-SECRET");
    Files.writeString(root.resolve(".env"), "DOT-SECRET");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/.hidden"), "DOT-SECRET");
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".git/config"), "DOT-SECRET");
    String[] r = rawGet(broker.port(), path, "127.0.0.1");
    assertThat(status(r)).as(path).isBetween(300, 499);
    assertThat(r[1]).as(path).doesNotContain("JOURNAL-SECRET").doesNotContain("DOT-SECRET");
  }

  @Test
  @DisplayName("symlinks and hard links into daebug/ are never served")
  void symlinksIntoTheJournal() throws Exception {
    Path root = broker.root();
    FakeRealm realm = rig.connected("linked");
    broker.append("linked", "JOURNAL-SECRET\n");
    Files.createSymbolicLink(root.resolve("j.md"), root.resolve("daebug/linked.md"));
    Files.createSymbolicLink(root.resolve("j2.md"), Path.of("daebug/linked.md"));
    Files.createDirectories(root.resolve("deep/er"));
    Files.createSymbolicLink(root.resolve("deep/er/up"), Path.of("../../daebug"));
    Files.createSymbolicLink(root.resolve("reg.md"), root.resolve("daebug.md"));
    for (String path : new String[] {"/j.md", "/j2.md", "/deep/er/up/linked.md", "/deep/er/up/"}) {
      String[] r = rawGet(broker.port(), path, "127.0.0.1");
      assertThat(status(r)).as(path).isEqualTo(404);
      assertThat(r[1]).as(path).doesNotContain("JOURNAL-SECRET");
    }
    assertThat(realm.isOpen()).isTrue();
    h.assertStillServes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "POST", "OPTIONS", "PUT", "DELETE", "PROPFIND", "FOO"})
  void otherMethodsAreRefused(String method) throws Exception {
    Files.writeString(broker.root().resolve("a.txt"), "plain");
    String target = method.equals("CONNECT") ? "127.0.0.1:" + broker.port() : "/a.txt";
    String[] r = HostileInput.raw(broker.port(), (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "X-Echo: ECHO-ME\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello").getBytes(ISO_8859_1));
    assertThat(status(r)).as(method).isBetween(400, 499);
    assertThat(r[1]).doesNotContain("ECHO-ME");
    String[] ws = HostileInput.raw(broker.port(), (method + " /-daebug/realm HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "X-Echo: ECHO-ME\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
    assertThat(status(ws)).as(method + " realm").isBetween(400, 499);
    assertThat(ws[1]).doesNotContain("ECHO-ME");
    h.assertStillServes();
  }

  @Test
  @DisplayName("HEAD answers without a body; GET on the realm path without an upgrade is refused")
  void headAndPlainGetOnRealmPath() throws Exception {
    Files.writeString(broker.root().resolve("a.txt"), "plain");
    String[] head = HostileInput.raw(broker.port(), ("HEAD /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
        + "\r\n\r\n").getBytes(ISO_8859_1));
    assertThat(status(head)).isEqualTo(200);
    assertThat(head[1]).endsWith("\r\n\r\n");
    String[] get = rawGet(broker.port(), "/-daebug/realm", "127.0.0.1");
    assertThat(status(get)).isBetween(400, 499);
    h.assertStillServes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example.", "127.0.0.1.evil.example", "localhost.evil.example", "EVIL.example",
      "127.0.0.1:80@evil.example", "evil.example#127.0.0.1", "0.0.0.0", "[::ffff:8.8.8.8]", "",
      "127.0.0.1 evil", "127.1.evil"})
  void strangeHostsAreRefused(String host) throws Exception {
    Files.writeString(broker.root().resolve("a.txt"), "plain");
    String[] r = rawGet(broker.port(), "/a.txt", host);
    assertThat(status(r)).as(host).isBetween(400, 499);
    assertThat(r[1]).doesNotContain("\r\n\r\nplain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"LOCALHOST", "LocalHost", "127.0.0.1", "localhost"})
  void loopbackHostsInAnyCaseAreServed(String host) throws Exception {
    Files.writeString(broker.root().resolve("a.txt"), "plain");
    String[] r = rawGet(broker.port(), "/a.txt", host + ":" + broker.port());
    assertThat(status(r)).as(host).isEqualTo(200);
    assertThat(r[1]).endsWith("\r\n\r\nplain");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1.", "localhost."})
  void trailingDotHostsAreAnsweredCleanly(String host) throws Exception {
    Files.writeString(broker.root().resolve("a.txt"), "plain");
    String[] r = rawGet(broker.port(), "/a.txt", host);
    // a fully qualified loopback name may be served or refused, but never crash the handler
    assertThat(status(r)).as(host).isIn(200, 400, 421);
    h.assertStillServes();
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "file://", "http://127.0.0.1.evil.example", "http://localhost.evil.example",
      "http://localhost@evil.example", "http://evil.example#@127.0.0.1", "https://evil.example:443",
      "http://127.0.0.1:1@evil.example", "chrome-extension://abc", "http://[::1].evil.example", " ",
      "http://LOCALHOST.evil.example", "http://127.0.0.1.\u0000"})
  void hostileOriginsCannotUpgrade(String origin) throws Exception {
    String[] r = HostileInput.raw(broker.port(), ("GET /-daebug/realm HTTP/1.1\r\nHost: 127.0.0.1:" + broker.port()
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nOrigin: " + origin + "\r\n\r\n").getBytes(UTF_8));
    assertThat(status(r)).as(origin).isBetween(400, 499);
    h.assertStillServes();
  }

  @Test
  @DisplayName("control: a plain upgrade without Origin from 127.0.0.1 is accepted by the raw helper")
  void upgradeControl() throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", broker.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /-daebug/realm HTTP/1.1\r\nHost: 127.0.0.1:" + broker.port()
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\nOrigin: http://localhost:" + broker.port() + "\r\n\r\n").getBytes(UTF_8));
      byte[] buf = new byte[12];
      int n = s.getInputStream().readNBytes(buf, 0, 12);
      assertThat(new String(buf, 0, n, ISO_8859_1)).isEqualTo("HTTP/1.1 101");
    }
  }

  @Test
  @DisplayName("an agent's forged footer and %%SHUTDOWN%% in a log change nothing in the registry")
  void agentWritesFooterLikeText() throws Exception {
    FakeRealm realm = rig.connected("agentforge");
    broker.append("agentforge", "%%SHUTDOWN%%\n" + RULE + "\n```js\n'real'\n```\n");
    RunJob job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("'real'");
    realm.sendResult(job.id(), "1");
    await().untilAsserted(() -> assertThat(broker.log("agentforge")).endsWith("```JSON\n1\n```\n\n" + FOOTER));
    rig.assertOneFooterLast("agentforge");
    assertNothingDispatched(realm);
    h.assertStillServes();
  }
}

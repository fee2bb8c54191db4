package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static io.daebug.broker.transport.ws.TestBroker.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.protocol.ControllerError;
import io.daebug.broker.protocol.ControllerEvent;
import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.JobDispatched;
import io.daebug.broker.protocol.JobOutcome;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.RealmInfo;
import io.daebug.broker.protocol.RealmList;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.ToController;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.daebug.broker.config.BrokerConfig;

/**
 * Component tests of the controller endpoint: a real broker on port 0, scripted {@link FakeController}s and
 * {@link FakeRealm}s on real sockets, the journal read back from disk.
 */
class ControllerEndpointTest {
  private static final String RULE = "-".repeat(70);
  private static final String FOOTER = RULE + "\n"
      + "> Append your JavaScript snippet below to execute against this page.\n\n";
  private static final String OK = "#### \uD83D\uDC4D"; // #### 👍
  private static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  private static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  private static final long EVENT_TIME = Instant.parse("2026-11-25T09:05:01.123Z").toEpochMilli();

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
    try {
      realms.forEach(FakeRealm::assertExhausted);
      controllers.forEach(FakeController::assertExhausted);
    } finally {
      controllers.forEach(FakeController::close);
      realms.forEach(FakeRealm::abort);
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  @DisplayName("a submitted job is queued, dispatched, answered with its value, and journalled like an agent's request")
  void submitRunsAndJournals() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci-script");

    c.submit("c-1", "app", "console.log('hi'); 1 + 1");
    JobQueued queued = c.next(JobQueued.class);
    assertThat(queued.ref()).isEqualTo("c-1");
    assertThat(queued.realm()).isEqualTo("app");
    assertThat(queued.ahead()).isZero();
    JobDispatched dispatched = c.next(JobDispatched.class);
    assertThat(dispatched.job()).isEqualTo(queued.job());
    RunJob job = realm.awaitJob();
    assertThat(job.id()).isEqualTo(queued.job());
    assertThat(job.code()).isEqualTo("console.log('hi'); 1 + 1");

    realm.sendEvent(job.id(), "log", EVENT_TIME, "hi");
    ControllerEvent event = c.next(ControllerEvent.class);
    assertThat(event.job()).isEqualTo(job.id());
    assertThat(event.text()).isEqualTo("hi");
    assertThat(event.time()).isEqualTo(EVENT_TIME);
    realm.sendResult(job.id(), "2");
    JobOutcome result = c.next(JobOutcome.class);
    assertThat(result.outcome()).isEqualTo("ok");
    assertThat(result.value().asInt()).isEqualTo(2);
    assertThat(result.error()).isNull();
    assertThat(result.late()).isNull();
    assertThat(result.durationMs()).isGreaterThanOrEqualTo(0);

    // Acknowledged means written: the reply is on disk the moment the result message arrives.
    assertThat(normalised(broker.log("app"))).endsWith("\n\n"
        + SAID + "ci-script to app at " + NOW + "\n"
        + "```JS\nconsole.log('hi'); 1 + 1\n```\n"
        + OK + "app to ci-script at " + NOW + " (Nms)\n"
        + "```JSON\n2\n```\n"
        + "##### \u2611\uFE0Fconsole.log\n```Text console.log\n09:05:01 hi\n```\n"
        + "\n" + FOOTER);
  }

  @Test
  @DisplayName("requests from the log and from a controller share one queue, in order, each reply under its own request")
  void logAndControllerShareTheQueue() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci");
    broker.append("app", "```js\n'from the log'\n```\n");
    RunJob first = realm.awaitJob();
    c.submit("c-1", "app", "'from the controller'", 4000);
    assertThat(c.next(JobQueued.class).ahead()).isEqualTo(1);
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("```JS timeout=4000ms\n'from the controller'\n```\n"
        + OK + "app to ci at " + NOW + "\nqueued (1 ahead)\n"));
    realm.sendResult(first.id(), "\"log\"");
    RunJob second = realm.awaitJob();
    assertThat(second.timeoutMs()).isEqualTo(4000);
    c.next(JobDispatched.class);
    realm.sendResult(second.id(), "\"controller\"");
    assertThat(c.next(JobOutcome.class).value().asText()).isEqualTo("controller");

    String log = normalised(broker.log("app"));
    assertThat(log).contains("```js\n'from the log'\n```\n" + OK + "app to agent at " + NOW + " (Nms)\n```JSON\n\"log\"\n```\n");
    assertThat(log).contains("'from the controller'\n```\n" + OK + "app to ci at " + NOW + " (Nms)\n```JSON\n\"controller\"\n```\n");
    assertThat(log.indexOf("'from the log'")).isLessThan(log.indexOf("'from the controller'"));
    assertThat(log).endsWith("```\n\n" + FOOTER);
  }

  @Test
  @DisplayName("code full of fences is journalled in a longer fence and its reply still finds it")
  void codeWithFencesIsFencedSafely() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci");
    String code = "`a ``` b`\n```\n" + RULE + "\n> Append your JavaScript snippet below to execute against this page.";
    c.submit("c-1", "app", code);
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "1");
    assertThat(c.next(JobOutcome.class).outcome()).isEqualTo("ok");
    String log = normalised(broker.log("app"));
    assertThat(log).contains("````JS\n" + code + "\n````\n" + OK + "app to ci at " + NOW + " (Nms)\n```JSON\n1\n```\n");
    assertThat(log.split("(?m)^" + RULE + "$", -1)).as("the code's rule is inside a fence").hasSize(3);
    assertThat(log).endsWith("```\n\n" + FOOTER);
  }

  @Test
  @DisplayName("unknown realm, wrong language, a reused ref and a malformed submit get errors naming the ref")
  void refusedSubmissions() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci");

    c.submit("c-1", "nope", "1");
    ControllerError unknown = c.next(ControllerError.class);
    assertThat(unknown.ref()).isEqualTo("c-1");
    assertThat(unknown.code()).isEqualTo("unknown-realm");
    assertThat(unknown.message()).contains("nope").contains("app");

    c.send(FakeController.message("submit").put("ref", "c-2").put("realm", "app").put("code", "1")
        .put("language", "python"));
    ControllerError language = c.next(ControllerError.class);
    assertThat(language.code()).isEqualTo("wrong-language");
    assertThat(language.ref()).isEqualTo("c-2");

    c.send(FakeController.message("submit").put("ref", "c-3").put("realm", "app"));
    ControllerError invalid = c.next(ControllerError.class);
    assertThat(invalid.ref()).isEqualTo("c-3");
    assertThat(invalid.message()).contains("code");

    c.submit("c-4", "app", "1");
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    c.submit("c-4", "app", "2");
    ControllerError reused = c.next(ControllerError.class);
    assertThat(reused.code()).isEqualTo("bad-request");
    realm.sendResult(realm.awaitJob().id(), "1");
    c.next(JobOutcome.class);

    c.sendRaw("not json");
    assertThat(c.next(ControllerError.class).code()).isEqualTo("bad-json");
    c.send(FakeController.message("launch"));
    assertThat(c.next(ControllerError.class).code()).isEqualTo("unknown-type");
    c.send(FakeController.message("cancel").put("job", "j-999"));
    assertThat(c.next(ControllerError.class).code()).isEqualTo("unknown-job");
    c.send(FakeController.message("hello").put("name", "again"));
    assertThat(c.next(ControllerError.class).code()).isEqualTo("duplicate-hello");
    assertThat(broker.log("app")).doesNotContain("nope").doesNotContain("python");
  }

  @Test
  @DisplayName("a frame before hello is refused; hello then works")
  void helloFirst() throws Exception {
    start(UnaryOperator.identity());
    FakeController c = FakeController.connect(client, controlUri(""), Map.of());
    controllers.add(c);
    c.send(FakeController.message("list"));
    assertThat(c.next(ControllerError.class).code()).isEqualTo("not-greeted");
    assertThat(c.hello("late").name()).isEqualTo("late");
  }

  @Test
  @DisplayName("a timeout ends the job with outcome timeout; the result that comes later is journalled and sent as late")
  void timeoutThenLate() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci");
    c.submit("c-1", "app", "slow()", 100);
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    RunJob job = realm.awaitJob();
    JobOutcome timedOut = c.next(JobOutcome.class);
    assertThat(timedOut.outcome()).isEqualTo("timeout");
    assertThat(timedOut.error().message()).isEqualTo("job timed out after 100ms");
    assertThat(broker.log("app")).contains(FAIL + "app to ci at " + NOW + " (100ms)\n```Error\njob timed out after 100ms\n```\n");

    realm.sendResult(job.id(), "\"done\"");
    JobOutcome late = c.next(JobOutcome.class);
    assertThat(late.late()).isTrue();
    assertThat(late.value().asText()).isEqualTo("done");
    assertThat(normalised(broker.log("app"))).contains(OK + "app to ci at " + NOW + " (Nms) (late)\n```JSON\n\"done\"\n```\n");
  }

  @Test
  @DisplayName("cancel: a running job gets a cancel sent to its realm, a queued one leaves the queue; both end now")
  void cancelRunningAndQueued() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci");
    c.submit("run", "app", "spin()");
    JobQueued running = c.next(JobQueued.class);
    c.next(JobDispatched.class);
    c.submit("wait", "app", "after()");
    JobQueued waiting = c.next(JobQueued.class);
    RunJob job = realm.awaitJob();

    c.send(FakeController.message("cancel").put("ref", "wait"));
    JobOutcome queuedCancel = c.next(JobOutcome.class);
    assertThat(queuedCancel.job()).isEqualTo(waiting.job());
    assertThat(queuedCancel.outcome()).isEqualTo("cancelled");
    assertThat(queuedCancel.error().message()).isEqualTo("job cancelled by ci before it ran");

    c.send(FakeController.message("cancel").put("job", running.job()));
    assertThat(realm.next(CancelJob.class).id()).isEqualTo(job.id());
    JobOutcome runningCancel = c.next(JobOutcome.class);
    assertThat(runningCancel.outcome()).isEqualTo("cancelled");
    assertThat(runningCancel.error().message()).isEqualTo("job cancelled by ci");

    String log = normalised(broker.log("app"));
    assertThat(log).contains("spin()\n```\n" + FAIL + "app to ci at " + NOW + " (Nms)\n```Error\njob cancelled by ci\n```\n");
    assertThat(log).contains("after()\n```\n" + FAIL + "app to ci at " + NOW + " (Nms)\n```Error\njob cancelled by ci before it ran\n```\n");
    assertThat(log).doesNotContain("executing (").doesNotContain("queued (");

    c.send(FakeController.message("cancel").put("job", running.job()));
    assertThat(c.next(ControllerError.class).code()).isEqualTo("unknown-job");
    c.submit("next", "app", "3");
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    RunJob third = realm.awaitJob();
    realm.sendResult(third.id(), "3");
    assertThat(c.next(JobOutcome.class).value().asInt()).isEqualTo(3);
  }

  @Test
  @DisplayName("watchers get every event of a realm, background and job; unwatch stops them; the submitter always gets its own")
  void watchAndUnwatch() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController submitter = controller("ci");
    FakeController watcher = controller("watcher");
    FakeController bystander = controller("bystander");
    watcher.send(FakeController.message("watch").put("realm", "*"));
    watcher.send(FakeController.message("list"));
    assertThat(watcher.next(RealmList.class).realms()).extracting(RealmInfo::name).containsExactly("app");

    realm.sendEvent(null, "warn", EVENT_TIME, "background");
    ControllerEvent bg = watcher.next(ControllerEvent.class);
    assertThat(bg.job()).isNull();
    assertThat(bg.kind()).isEqualTo("warn");
    assertThat(bg.realm()).isEqualTo("app");

    submitter.submit("c-1", "app", "1");
    submitter.next(JobQueued.class);
    submitter.next(JobDispatched.class);
    RunJob job = realm.awaitJob();
    realm.sendEvent(job.id(), "log", EVENT_TIME, "during");
    assertThat(submitter.next(ControllerEvent.class).text()).isEqualTo("during");
    assertThat(watcher.next(ControllerEvent.class).job()).isEqualTo(job.id());
    realm.sendResult(job.id(), "1");
    submitter.next(JobOutcome.class);

    watcher.send(FakeController.message("unwatch").put("realm", "*"));
    watcher.send(FakeController.message("list"));
    watcher.next(RealmList.class);
    realm.sendEvent(null, "log", EVENT_TIME, "unwatched");
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("unwatched"));
    watcher.assertExhausted();
    bystander.assertExhausted();
  }

  @Test
  @DisplayName("controllers see realms come, change state and go")
  void realmUpdates() throws Exception {
    start(c -> c.withLiveness(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(300)));
    FakeController c = controller("ci");
    FakeRealm realm = realm("app");
    assertThat(c.nextUpdate("app", "live").realm().log()).isEqualTo("daebug/app.md");
    c.submit("c-1", "app", "1");
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    c.nextUpdate("app", "executing");
    realm.awaitJob();
    realm.abort();
    JobOutcome gone = c.next(JobOutcome.class);
    assertThat(gone.outcome()).isEqualTo("disconnected");
    c.nextUpdate("app", "disconnected");
    c.nextUpdate("app", "gone");
    realms.remove(realm);
    List<ToController> rest = new ArrayList<>(c.drain().stream().map(ToController.class::cast).toList());
    rest.removeIf(m -> m instanceof io.daebug.broker.protocol.RealmUpdate);
    assertThat(rest).isEmpty();
  }

  @Test
  @DisplayName("a job submitted while its realm is away waits in the queue and runs when it returns")
  void submitDuringGrace() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    realm.abort();
    FakeController c = controller("ci");
    await().untilAsserted(() -> assertThat(broker.registry()).contains("disconnected"));
    c.submit("c-1", "app", "'back'");
    assertThat(c.next(JobQueued.class).ahead()).isZero();
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("'back'\n```\n" + OK + "app to ci at " + NOW
        + "\nqueued (0 ahead): realm disconnected at " + NOW));
    FakeRealm again = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(again);
    again.hello("app", "tab-app");
    c.next(JobDispatched.class);
    again.sendResult(again.awaitJob().id(), "\"back\"");
    assertThat(c.next(JobOutcome.class).value().asText()).isEqualTo("back");
    realms.remove(realm);
  }

  @Test
  @DisplayName("with --require-token, a controller without the token is refused at the upgrade; with it (query or Bearer) it is in")
  void tokenRequired() throws Exception {
    start(c -> c.withToken("s3cret-token").withRequireToken(true));
    assertThatThrownBy(() -> FakeController.connect(client, controlUri(""), Map.of()))
        .hasMessageContaining("401");
    assertThatThrownBy(() -> FakeController.connect(client, controlUri("?token=wrong-token"), Map.of()))
        .hasMessageContaining("401");
    FakeController byQuery = FakeController.connect(client, controlUri("?token=s3cret-token"), Map.of());
    controllers.add(byQuery);
    assertThat(byQuery.hello("q").name()).isEqualTo("q");
    FakeController byHeader = FakeController.connect(client, controlUri(""),
        Map.of("Authorization", "Bearer s3cret-token"));
    controllers.add(byHeader);
    assertThat(byHeader.hello("h").name()).isEqualTo("h");
    // Issue 12, item 2: the page's token cookie is not a controller's credential (any page of the host sends it).
    assertThatThrownBy(() -> FakeController.connect(client, controlUri(""),
        Map.of("Cookie", "daebug-token=s3cret-token", "Origin", "http://127.0.0.1:" + broker.port())))
        .hasMessageContaining("401");
  }

  @Test
  @DisplayName("without --require-token a loopback controller needs no token; a foreign Origin or Host is refused")
  void loopbackAndOrigin() throws Exception {
    start(c -> c.withToken("s3cret-token"));
    FakeController open = FakeController.connect(client, controlUri(""), Map.of());
    controllers.add(open);
    open.hello("local");
    assertThatThrownBy(() -> FakeController.connect(client, controlUri(""), Map.of("Origin", "http://evil.example")))
        .hasMessageContaining("403");
    assertThatThrownBy(() -> FakeController.connect(client, controlUri(""), Map.of("Host", "evil.example")))
        .hasMessageContaining("421");
    // Issue 12, item 2: another port of this machine is another origin (a dev server's page).
    assertThatThrownBy(() -> FakeController.connect(client, controlUri(""), Map.of("Origin", "http://127.0.0.1:3000")))
        .hasMessageContaining("403");
    FakeController own = FakeController.connect(client, controlUri(""),
        Map.of("Origin", "http://localhost:" + broker.port()));
    controllers.add(own);
    own.hello("own-page");
  }

  @Test
  @DisplayName("a controller that goes away mid-job leaves the job running; its reply is still journalled")
  void controllerLeavesJobStays() throws Exception {
    start(UnaryOperator.identity());
    FakeRealm realm = realm("app");
    FakeController c = controller("ci");
    c.submit("c-1", "app", "'kept'");
    c.next(JobQueued.class);
    c.next(JobDispatched.class);
    c.close();
    controllers.remove(c);
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "\"kept\"");
    await().untilAsserted(() -> assertThat(normalised(broker.log("app")))
        .contains("'kept'\n```\n" + OK + "app to ci at " + NOW + " (Nms)\n```JSON\n\"kept\"\n```\n"));
  }

  @Test
  @DisplayName("the echo endpoint sends every text frame straight back")
  void echo() throws Exception {
    start(UnaryOperator.identity());
    java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + broker.port() + WsServer.ECHO_PATH), new java.net.http.WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
            got.add(data.toString());
            w.request(1);
            return null;
          }
        }).get(5, java.util.concurrent.TimeUnit.SECONDS);
    try {
      ws.sendText("{\"n\":1}", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(got.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("{\"n\":1}");
    } finally {
      ws.abort();
    }
  }

  // ---- helpers ----

  private void start(UnaryOperator<BrokerConfig> tweak) throws Exception {
    broker = TestBroker.start(root, tweak);
  }

  private URI controlUri(String query) {
    return URI.create("ws://127.0.0.1:" + broker.port() + WsServer.CONTROL_PATH + query);
  }

  private FakeRealm realm(String name) throws Exception {
    FakeRealm r = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(r);
    r.hello(name, "tab-" + name);
    await().untilAsserted(() -> assertThat(broker.log(name)).endsWith(FOOTER));
    return r;
  }

  private FakeController controller(String name) throws Exception {
    FakeController c = FakeController.connect(client, controlUri(""), Map.of());
    controllers.add(c);
    ControllerWelcome welcome = c.hello(name);
    assertThat(welcome.name()).isEqualTo(name);
    return c;
  }

  private static String normalised(String log) {
    return log.replaceAll("\\(\\d+ms\\)", "(Nms)");
  }
}

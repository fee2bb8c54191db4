package io.daebug.client;

import static io.daebug.client.testing.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.client.testing.FakeRealm;
import io.daebug.client.testing.RealBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real broker on port 0, with scripted realms on real sockets, and the journal
 * read back from {@code daebug/<realm>.md}.
 */
class BrokerClientTest {
  private static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  private static final String OK = "#### \uD83D\uDC4D"; // #### 👍
  private static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  private static final long T = Instant.parse("2026-11-25T09:05:01.123Z").toEpochMilli();

  @TempDir Path root;
  private RealBroker broker;
  private final List<FakeRealm> realms = new ArrayList<>();
  private final List<DaebugClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    try {
      realms.forEach(FakeRealm::assertExhausted);
    } finally {
      clients.forEach(DaebugClient::close);
      realms.forEach(FakeRealm::close);
      if (broker != null) {
        broker.close();
      }
    }
  }

  private FakeRealm realm(String name) {
    FakeRealm r = FakeRealm.connect(broker.port(), name);
    realms.add(r);
    return r;
  }

  private DaebugClient client(ClientOptions options) {
    DaebugClient c = Daebug.connect(options);
    clients.add(c);
    return c;
  }

  private DaebugClient client() {
    return client(ClientOptions.of(broker.uri()).withClientName("ci-java").withConnectTimeout(Duration.ofSeconds(3)));
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the future did not fail: " + e, e);
    }
    throw new AssertionError("the future completed normally");
  }

  @Test
  @DisplayName("submit: the value, timings and the job's events come back; the job is journalled like an agent's request")
  void submitReturnsTheValueAndIsJournalled() throws Exception {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient c = client();
    RealmInfo info = c.awaitRealm("app", Duration.ofSeconds(5));
    assertThat(info.kind()).isEqualTo("page");
    assertThat(info.log()).isEqualTo("daebug/app.md");
    assertThat(c.brokerVersion()).isNotEmpty();

    CompletableFuture<JobResult> f = c.submit(JobRequest.of("app", "console.log('hi'); 1 + 1"));
    JsonNode job = app.awaitJob();
    assertThat(job.path("code").asText()).isEqualTo("console.log('hi'); 1 + 1");
    String id = job.path("id").asText();
    app.event(id, "log", T, "hi");
    app.result(id, "2");
    JobResult r = f.get(5, TimeUnit.SECONDS);
    assertThat(r.jobId()).isEqualTo(id);
    assertThat(r.realm()).isEqualTo("app");
    assertThat(r.asInt()).isEqualTo(2);
    assertThat(r.display()).isEqualTo("2");
    assertThat(r.events()).containsExactly(new RealmEvent("app", id, "log", Instant.ofEpochMilli(T), "hi"));
    assertThat(r.duration()).isPositive();

    // acknowledged means written: the reply is on disk when the result arrives
    assertThat(broker.normalisedLog("app")).contains("\n" + SAID + "ci-java to app at HH:MM:SS\n"
        + "```JS\nconsole.log('hi'); 1 + 1\n```\n"
        + OK + "app to ci-java at HH:MM:SS (Nms)\n```JSON\n2\n```\n"
        + "##### \u2611\uFE0Fconsole.log\n```Text console.log\nHH:MM:SS hi\n```\n");
  }

  @Test
  @DisplayName("special values: undefined, NaN and a Map arrive as $daebug trees with typed views")
  void specialValues() throws Exception {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient c = client();
    CompletableFuture<JobResult> undefined = c.submit(JobRequest.of("app", "void 0"));
    app.result(app.awaitJob().path("id").asText(), "{\"$daebug\":\"undefined\"}");
    assertThat(undefined.get(5, TimeUnit.SECONDS).isUndefined()).isTrue();
    CompletableFuture<JobResult> map = c.submit(JobRequest.of("app", "new Map([['a', NaN]])"));
    app.result(app.awaitJob().path("id").asText(),
        "{\"$daebug\":\"map\",\"size\":1,\"entries\":[[\"a\",{\"$daebug\":\"number\",\"repr\":\"NaN\"}]]}");
    JobResult r = map.get(5, TimeUnit.SECONDS);
    assertThat(r.special()).hasValueSatisfying(s -> assertThat(s.kind()).isEqualTo("map"));
    assertThat(r.display()).isEqualTo("Map(1) { 'a' => NaN }");
    assertThat(broker.log("app")).contains("```Text\nMap(1) { 'a' => NaN }\n```");
  }

  @Test
  @DisplayName("a job that throws fails with JobFailedException carrying name, message and stack; run throws it")
  void errorOutcome() {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient c = client();
    CompletableFuture<JobResult> running = CompletableFuture.supplyAsync(
        () -> c.run(JobRequest.of("app", "x()"), Duration.ofSeconds(5)));
    String id = app.awaitJob().path("id").asText();
    app.failure(id, "TypeError", "x is not a function", "TypeError: x is not a function\n    at <anonymous>:1:1");
    JobFailedException e = (JobFailedException) failure(running);
    assertThat(e.result().outcome()).isEqualTo(JobOutcome.ERROR);
    assertThat(e.error()).isEqualTo(new JobError("TypeError", "x is not a function",
        "TypeError: x is not a function\n    at <anonymous>:1:1"));
    assertThat(broker.normalisedLog("app")).contains(FAIL + "app to ci-java at HH:MM:SS (Nms)\n"
        + "```Error\nTypeError: x is not a function\n    at <anonymous>:1:1\n```\n");
  }

  @Test
  @DisplayName("watch: background and job events of a realm reach the listener; the submitter's result has its own")
  void eventsAndWatches() throws Exception {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient submitter = client();
    DaebugClient watcher = client(ClientOptions.of(broker.uri()).withClientName("watcher"));
    List<RealmEvent> seen = new CopyOnWriteArrayList<>();
    Subscription watch = watcher.watch("app", seen::add);
    watcher.refreshRealms().get(5, TimeUnit.SECONDS); // the watch is in place once the broker answered after it

    app.event(null, "warn", T, "background");
    CompletableFuture<JobResult> f = submitter.submit(JobRequest.of("app", "work()"));
    String id = app.awaitJob().path("id").asText();
    app.event(id, "error", T, "during");
    app.result(id, "null");
    JobResult r = f.get(5, TimeUnit.SECONDS);
    assertThat(r.isNull()).isTrue();
    assertThat(r.events()).extracting(RealmEvent::text).containsExactly("during");
    await().untilAsserted(() -> assertThat(seen).extracting(RealmEvent::text).containsExactly("background", "during"));
    assertThat(seen.get(0).job()).isNull();
    assertThat(seen.get(1).job()).isEqualTo(id);

    watch.close();
    watcher.refreshRealms().get(5, TimeUnit.SECONDS);
    app.event(null, "log", T, "unwatched");
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("unwatched"));
    assertThat(seen).hasSize(2);
  }

  @Test
  @DisplayName("cancel: a queued job by cancelling its future, a running one by job id; the realm is told; both journalled")
  void cancelQueuedAndRunning() throws Exception {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient c = client();
    CompletableFuture<JobResult> running = c.submit(JobRequest.of("app", "spin()"));
    String runningId = app.awaitJob().path("id").asText();
    CompletableFuture<JobResult> queued = c.submit(JobRequest.of("app", "after()"));
    await().untilAsserted(() -> assertThat(broker.log("app")).contains("after()"));

    assertThat(queued.cancel(true)).isTrue();
    assertThatThrownBy(queued::join).isInstanceOf(CancellationException.class);
    await().untilAsserted(() -> assertThat(broker.normalisedLog("app")).contains("after()\n```\n" + FAIL
        + "app to ci-java at HH:MM:SS (Nms)\n```Error\njob cancelled by ci-java before it ran\n```\n"));

    assertThat(c.cancel(runningId)).isTrue();
    assertThat(app.next("cancel").path("id").asText()).isEqualTo(runningId);
    JobCancelledException e = (JobCancelledException) failure(running);
    assertThat(e.result().jobId()).isEqualTo(runningId);
    assertThat(e.result().error().message()).isEqualTo("job cancelled by ci-java");
    assertThat(broker.normalisedLog("app")).contains("spin()\n```\n" + FAIL
        + "app to ci-java at HH:MM:SS (Nms)\n```Error\njob cancelled by ci-java\n```\n");
  }

  @Test
  @DisplayName("timeout: the broker's timeout gives JobTimeoutException with the result; run's own wait cancels the job")
  void timeouts() {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient c = client();
    CompletableFuture<JobResult> f = c.submit(JobRequest.of("app", "slow()").withTimeout(Duration.ofMillis(100)));
    assertThat(app.awaitJob().path("timeoutMs").asLong()).isEqualTo(100);
    JobTimeoutException byBroker = (JobTimeoutException) failure(f);
    assertThat(byBroker.result()).hasValueSatisfying(r -> {
      assertThat(r.outcome()).isEqualTo(JobOutcome.TIMEOUT);
      assertThat(r.error().message()).isEqualTo("job timed out after 100ms");
    });

    assertThatThrownBy(() -> c.run(JobRequest.of("app", "slower()"), Duration.ofMillis(200)))
        .isInstanceOf(JobTimeoutException.class).hasMessageContaining("the job was cancelled")
        .satisfies(e -> assertThat(((JobTimeoutException) e).result()).isEmpty());
    String id = app.awaitJob().path("id").asText();
    assertThat(app.next("cancel").path("id").asText()).isEqualTo(id);
    await().untilAsserted(() -> assertThat(broker.normalisedLog("app")).contains("slower()\n```\n" + FAIL
        + "app to ci-java at HH:MM:SS (Nms)\n```Error\njob cancelled by ci-java\n```\n"));
  }

  @Test
  @DisplayName("an unknown realm fails with RealmNotFoundException listing the realms; a wrong language is rejected")
  void unknownRealmAndWrongLanguage() {
    broker = RealBroker.start(root);
    realm("app");
    DaebugClient c = client();
    assertThatThrownBy(() -> c.run("nope", "1")).isInstanceOf(RealmNotFoundException.class)
        .hasMessageContaining("nope").hasMessageContaining("app");
    assertThatThrownBy(() -> c.run(JobRequest.of("app", "1").withLanguage("python"), Duration.ofSeconds(5)))
        .isInstanceOf(RequestRejectedException.class)
        .satisfies(e -> assertThat(((RequestRejectedException) e).code()).isEqualTo("wrong-language"));
    assertThatThrownBy(() -> c.awaitRealm("nope", Duration.ofMillis(100))).isInstanceOf(RealmNotFoundException.class)
        .hasMessageContaining("app (live)");
    assertThat(broker.log("app")).doesNotContain("python");
  }

  @Test
  @DisplayName("with --require-token: refused without the token (401, at once); accepted with it in the URL or as an option")
  void tokenRequired() {
    broker = RealBroker.start(root, cfg -> cfg.withToken("s3cret-token").withRequireToken(true));
    assertThat(broker.uri().getQuery()).isEqualTo("token=s3cret-token");
    ClientOptions noToken = ClientOptions.of(broker.plainUri()).withConnectTimeout(Duration.ofSeconds(3));
    assertThatThrownBy(() -> client(noToken)).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("401").hasMessageContaining("token missing or wrong");
    assertThatThrownBy(() -> client(noToken.withToken("wrong-token"))).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("401");
    assertThat(client(ClientOptions.of(broker.uri())).isConnected()).isTrue();
    assertThat(client(noToken.withToken("s3cret-token")).isConnected()).isTrue();
  }

  @Test
  @DisplayName("no broker: a refused connection fails at once with BrokerUnavailableException naming the URL")
  void noBroker() {
    broker = RealBroker.start(root);
    ClientOptions options = ClientOptions.of(broker.plainUri()).withConnectTimeout(Duration.ofMinutes(5));
    broker.close();
    broker = null;
    // With a connect timeout longer than the test's own timeout, only failing at once can pass.
    assertThatThrownBy(() -> client(options)).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageStartingWith("no broker at " + options.controlUri() + ": the connection was refused")
        .hasMessageNotContaining("null")
        .hasStackTraceContaining("java.net.ConnectException");
  }

  @Test
  @DisplayName("broker restart: jobs in flight fail, the client reconnects, re-watches, refreshes realms and carries on")
  void brokerRestart() throws Exception {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    List<ConnectionEvent> connection = new CopyOnWriteArrayList<>();
    List<String> realmChanges = new CopyOnWriteArrayList<>();
    DaebugClient c = Daebug.connect(ClientOptions.of(broker.uri()).withClientName("ci-java")
        .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)), connection::add);
    clients.add(c);
    c.addRealmListener(new RealmListener() {
      @Override
      public void realmChanged(RealmInfo r) {
        realmChanges.add(r.name() + " " + r.state());
      }

      @Override
      public void realmGone(String name) {
        realmChanges.add(name + " gone");
      }
    });
    List<RealmEvent> seen = new CopyOnWriteArrayList<>();
    c.watch("*", seen::add);
    CompletableFuture<JobResult> inFlight = c.submit(JobRequest.of("app", "spin()"));
    app.awaitJob();

    broker.close();
    // the broker ends the job itself when it shuts down cleanly; a killed broker would drop the connection
    assertThat(failure(inFlight)).satisfiesAnyOf(
        e -> assertThat(e).isInstanceOf(BrokerUnavailableException.class),
        e -> assertThat(((JobFailedException) e).result().outcome()).isEqualTo(JobOutcome.FAILED));
    await().untilAsserted(() -> assertThat(connection).containsExactly(ConnectionEvent.CONNECTED,
        ConnectionEvent.DISCONNECTED));
    assertThat(c.isConnected()).isFalse();
    realms.remove(app);
    app.close();

    // a job submitted while the broker is down waits for the reconnect
    broker = broker.restart();
    await().untilAsserted(() -> assertThat(connection).containsExactly(ConnectionEvent.CONNECTED,
        ConnectionEvent.DISCONNECTED, ConnectionEvent.RECONNECTED));
    await().untilAsserted(() -> assertThat(realmChanges).contains("app gone"));
    FakeRealm back = realm("app");
    assertThat(c.awaitRealm("app", Duration.ofSeconds(5)).state()).isEqualTo("live");
    CompletableFuture<JobResult> after = c.submit(JobRequest.of("app", "'again'"));
    String id = back.awaitJob().path("id").asText();
    back.event(id, "log", T, "watched again");
    back.result(id, "\"again\"");
    assertThat(after.get(5, TimeUnit.SECONDS).asText()).isEqualTo("again");
    await().untilAsserted(() -> assertThat(seen).extracting(RealmEvent::text).contains("watched again"));
  }

  @Test
  @DisplayName("a job submitted while the broker is down is sent to it when it is back")
  void submitWhileDown() {
    broker = RealBroker.start(root);
    DaebugClient c = client(ClientOptions.of(broker.uri()).withClientName("ci-java")
        .withConnectTimeout(Duration.ofSeconds(5)).withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
    broker.close();
    await().until(() -> !c.isConnected());
    CompletableFuture<JobResult> waiting = c.submit(JobRequest.of("app", "'queued while down'"));
    broker = broker.restart();
    // the restarted broker knows no realm yet: its answer proves the held job reached it
    assertThat(failure(waiting)).isInstanceOf(RealmNotFoundException.class).hasMessageContaining("no realm is connected");
  }

  @Test
  @DisplayName("close fails pending jobs; the broker still runs and journals them")
  void closeFailsPendingJobs() {
    broker = RealBroker.start(root);
    FakeRealm app = realm("app");
    DaebugClient c = client();
    CompletableFuture<JobResult> pending = c.submit(JobRequest.of("app", "'kept'"));
    String id = app.awaitJob().path("id").asText();
    c.close();
    assertThat(failure(pending)).isInstanceOf(BrokerUnavailableException.class);
    app.result(id, "\"kept\"");
    await().untilAsserted(() -> assertThat(broker.normalisedLog("app"))
        .contains("'kept'\n```\n" + OK + "app to ci-java at HH:MM:SS (Nms)\n```JSON\n\"kept\"\n```\n"));
  }
}

package io.daebug.client.internal;

import static io.daebug.client.testing.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.ClientOptions;
import io.daebug.client.ConnectionEvent;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobCancelledException;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobOutcome;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.JobTimeoutException;
import io.daebug.client.RealmEvent;
import io.daebug.client.RealmInfo;
import io.daebug.client.RealmListener;
import io.daebug.client.RealmNotFoundException;
import io.daebug.client.RequestRejectedException;
import io.daebug.client.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's protocol logic against a scripted broker ({@link ScriptedTransport}): message order,
 * outcomes, cancel, reconnect, close. No sockets; the real broker is exercised in
 * {@code io.daebug.client.BrokerClientTest}.
 */
class ClientStateMachineTest {
  private static final String REALM = "{\"name\":\"tab\",\"kind\":\"page\",\"url\":\"http://127.0.0.1:1/\","
      + "\"language\":\"javascript\",\"state\":\"live\",\"log\":\"daebug/tab.md\"}";

  private final ScriptedTransport transport = new ScriptedTransport();
  private final List<ConnectionEvent> connectionEvents = new CopyOnWriteArrayList<>();
  private ClientOptions options = ClientOptions.of("http://127.0.0.1:8680/?token=t0ken-abc").withClientName("unit")
      .withConnectTimeout(Duration.ofSeconds(2)).withReconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
  private DaebugClient client;
  private ScriptedTransport.Conn conn;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (conn != null) {
      conn.assertExhausted();
    }
  }

  /** Connects: accepts the first attempt and welcomes the client with the given realms. */
  private void connect(String... realms) throws Exception {
    CompletableFuture<DaebugClient> connecting = CompletableFuture.supplyAsync(
        () -> DefaultDaebugClient.connect(options, transport, connectionEvents::add, RandomGenerator.getDefault()));
    ScriptedTransport.Attempt attempt = transport.nextAttempt();
    assertThat(attempt.uri.toString()).isEqualTo("ws://127.0.0.1:8680/-daebug/control");
    assertThat(attempt.headers).containsEntry("Authorization", "Bearer t0ken-abc");
    conn = attempt.accept();
    JsonNode hello = conn.welcome(realms);
    assertThat(hello.path("name").asText()).isEqualTo("unit");
    assertThat(hello.path("protocol").asInt()).isEqualTo(1);
    client = connecting.get(5, TimeUnit.SECONDS);
  }

  /** Reconnects after a drop: the next attempt is accepted and welcomed. */
  private void reconnect(String... realms) {
    conn = transport.nextAttempt().accept();
    conn.welcome(realms);
  }

  private static String result(String ref, String job, String outcome, String rest) {
    return "{\"type\":\"result\",\"ref\":\"" + ref + "\",\"job\":\"" + job + "\",\"realm\":\"tab\",\"outcome\":\""
        + outcome + "\"" + rest + ",\"durationMs\":3.5,\"queuedMs\":0.25}";
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("future did not fail: " + e, e);
    }
    throw new AssertionError("future completed normally");
  }

  @Test
  void connectsAndListsTheWelcomedRealms() throws Exception {
    connect(REALM);
    assertThat(client.isConnected()).isTrue();
    assertThat(client.name()).isEqualTo("unit");
    assertThat(client.brokerVersion()).isEqualTo("0.1.0");
    assertThat(client.realms()).containsExactly(
        new RealmInfo("tab", "page", "http://127.0.0.1:1/", "javascript", "live", "daebug/tab.md"));
    assertThat(connectionEvents).containsExactly(ConnectionEvent.CONNECTED);
  }

  @Test
  void okResultCompletesTheFutureWithValueTimingsAndTheJobsEvents() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> f = client.submit(JobRequest.of("tab", "console.log('hi'); 1+1")
        .withTimeout(Duration.ofSeconds(3)));
    JsonNode submit = conn.next("submit");
    String ref = submit.path("ref").asText();
    assertThat(submit.path("realm").asText()).isEqualTo("tab");
    assertThat(submit.path("code").asText()).isEqualTo("console.log('hi'); 1+1");
    assertThat(submit.path("timeoutMs").asLong()).isEqualTo(3000);
    assertThat(submit.has("language")).isFalse();
    conn.push("{\"type\":\"queued\",\"ref\":\"" + ref + "\",\"job\":\"j-7\",\"realm\":\"tab\",\"ahead\":0}");
    conn.push("{\"type\":\"dispatched\",\"ref\":\"" + ref + "\",\"job\":\"j-7\",\"realm\":\"tab\",\"queuedMs\":0.25}");
    conn.push("{\"type\":\"event\",\"realm\":\"tab\",\"job\":\"j-7\",\"kind\":\"log\",\"time\":1764065472123,\"text\":\"hi\"}");
    conn.push("{\"type\":\"event\",\"realm\":\"tab\",\"job\":\"j-other\",\"kind\":\"log\",\"time\":1,\"text\":\"not ours\"}");
    conn.push(result(ref, "j-7", "ok", ",\"value\":2"));
    JobResult r = f.get(5, TimeUnit.SECONDS);
    assertThat(r.jobId()).isEqualTo("j-7");
    assertThat(r.realm()).isEqualTo("tab");
    assertThat(r.outcome()).isEqualTo(JobOutcome.OK);
    assertThat(r.asInt()).isEqualTo(2);
    assertThat(r.duration()).isEqualTo(Duration.ofNanos(3_500_000));
    assertThat(r.queued()).isEqualTo(Duration.ofNanos(250_000));
    assertThat(r.events()).containsExactly(
        new RealmEvent("tab", "j-7", "log", Instant.ofEpochMilli(1764065472123L), "hi"));
  }

  @Test
  void clientDefaultTimeoutAndLanguageAreSent() throws Exception {
    options = options.withJobTimeout(Duration.ofMillis(1500));
    connect(REALM);
    client.submit(JobRequest.js("tab", "1"));
    JsonNode submit = conn.next("submit");
    assertThat(submit.path("timeoutMs").asLong()).isEqualTo(1500);
    assertThat(submit.path("language").asText()).isEqualTo("javascript");
  }

  @Test
  void eachOutcomeHasItsException() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> error = client.submit(JobRequest.of("tab", "x()"));
    CompletableFuture<JobResult> timeout = client.submit(JobRequest.of("tab", "for(;;);"));
    CompletableFuture<JobResult> cancelled = client.submit(JobRequest.of("tab", "wait()"));
    CompletableFuture<JobResult> gone = client.submit(JobRequest.of("tab", "1"));
    CompletableFuture<JobResult> unknownRealm = client.submit(JobRequest.of("nope", "1"));
    CompletableFuture<JobResult> wrongLanguage = client.submit(JobRequest.of("tab", "1").withLanguage("java"));
    String[] refs = new String[6];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = conn.next("submit").path("ref").asText();
    }
    assertThat(refs).doesNotHaveDuplicates();
    conn.push(result(refs[0], "j-1", "error",
        ",\"error\":{\"name\":\"TypeError\",\"message\":\"x is not a function\",\"stack\":\"TypeError: x is not a function\"}"));
    conn.push(result(refs[1], "j-2", "timeout", ",\"error\":{\"name\":\"Timeout\",\"message\":\"job timed out after 5000ms\"}"));
    conn.push(result(refs[2], "j-3", "cancelled", ",\"error\":{\"name\":\"Cancelled\",\"message\":\"job cancelled by ci\"}"));
    conn.push(result(refs[3], "j-4", "disconnected",
        ",\"error\":{\"name\":\"Disconnected\",\"message\":\"realm disconnected while executing\"}"));
    conn.push("{\"type\":\"error\",\"ref\":\"" + refs[4] + "\",\"code\":\"unknown-realm\",\"message\":\"no realm named 'nope'\"}");
    conn.push("{\"type\":\"error\",\"ref\":\"" + refs[5] + "\",\"code\":\"wrong-language\",\"message\":\"tab runs javascript\"}");

    JobFailedException e = (JobFailedException) failure(error);
    assertThat(e.result().outcome()).isEqualTo(JobOutcome.ERROR);
    assertThat(e.error().name()).isEqualTo("TypeError");
    assertThat(e.error().message()).isEqualTo("x is not a function");
    assertThat(e).hasMessageContaining("x is not a function");
    JobTimeoutException t = (JobTimeoutException) failure(timeout);
    assertThat(t.result()).hasValueSatisfying(r -> assertThat(r.outcome()).isEqualTo(JobOutcome.TIMEOUT));
    JobCancelledException c = (JobCancelledException) failure(cancelled);
    assertThat(c.result().error().message()).isEqualTo("job cancelled by ci");
    assertThat(((JobFailedException) failure(gone)).result().outcome()).isEqualTo(JobOutcome.DISCONNECTED);
    assertThat(failure(unknownRealm)).isInstanceOf(RealmNotFoundException.class).hasMessageContaining("nope");
    RequestRejectedException w = (RequestRejectedException) failure(wrongLanguage);
    assertThat(w.code()).isEqualTo("wrong-language");
  }

  @Test
  void runReturnsTheValueAndThrowsTheFailureItself() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> running = CompletableFuture.supplyAsync(() -> client.run("tab", "1+1"));
    String ref = conn.next("submit").path("ref").asText();
    conn.push(result(ref, "j-1", "ok", ",\"value\":2"));
    assertThat(running.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(2);

    CompletableFuture<JobResult> failing = CompletableFuture.supplyAsync(
        () -> client.run(JobRequest.of("tab", "x()"), Duration.ofSeconds(5)));
    ref = conn.next("submit").path("ref").asText();
    conn.push(result(ref, "j-2", "error", ",\"error\":{\"name\":\"TypeError\",\"message\":\"boom\"}"));
    assertThat(failure(failing)).isInstanceOf(JobFailedException.class).hasMessageContaining("boom");
  }

  @Test
  void whenRunsWaitElapsesTheJobIsCancelledAtTheBroker() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> running = CompletableFuture.supplyAsync(
        () -> client.run(JobRequest.of("tab", "for(;;);"), Duration.ofMillis(100)));
    String ref = conn.next("submit").path("ref").asText();
    JobTimeoutException e = (JobTimeoutException) failure(running);
    assertThat(e.result()).isEmpty();
    assertThat(e).hasMessageContaining("within PT0.1S");
    JsonNode cancel = conn.next("cancel");
    assertThat(cancel.path("ref").asText()).isEqualTo(ref);
    // the broker's cancelled result for it arrives later and changes nothing
    conn.push(result(ref, "j-1", "cancelled", ",\"error\":{\"name\":\"Cancelled\",\"message\":\"cancelled\"}"));
  }

  @Test
  void cancellingTheFutureCancelsTheJob() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> f = client.submit(JobRequest.of("tab", "wait()"));
    String ref = conn.next("submit").path("ref").asText();
    assertThat(f.cancel(true)).isTrue();
    assertThat(conn.next("cancel").path("ref").asText()).isEqualTo(ref);
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
    // a dependent stage cancelled does not reach the broker
    CompletableFuture<JobResult> g = client.submit(JobRequest.of("tab", "1"));
    String ref2 = conn.next("submit").path("ref").asText();
    g.thenApply(JobResult::asInt).cancel(true);
    conn.push(result(ref2, "j-2", "ok", ",\"value\":1"));
    assertThat(g.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(1);
  }

  @Test
  void cancelByJobIdSendsItAndTheSubmitterSeesCancelled() throws Exception {
    connect(REALM);
    assertThat(client.cancel("j-99")).isTrue();
    assertThat(conn.next("cancel").path("job").asText()).isEqualTo("j-99");
    // the broker's unknown-job answer is only logged
    conn.push("{\"type\":\"error\",\"code\":\"unknown-job\",\"message\":\"no queued or running job j-99\"}");
    conn.push("{\"type\":\"error\",\"ref\":\"c-77\",\"code\":\"unknown-job\",\"message\":\"no such ref\"}");
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void watchesAreCountedPerRealmAndResentAfterAReconnect() throws Exception {
    connect(REALM);
    List<RealmEvent> all = new CopyOnWriteArrayList<>();
    List<RealmEvent> tab = new CopyOnWriteArrayList<>();
    Subscription a = client.watch("*", all::add);
    assertThat(conn.next("watch").path("realm").asText()).isEqualTo("*");
    Subscription b = client.watch("tab", tab::add);
    assertThat(conn.next("watch").path("realm").asText()).isEqualTo("tab");
    Subscription b2 = client.watch("tab", e -> {});
    conn.push("{\"type\":\"event\",\"realm\":\"tab\",\"kind\":\"warn\",\"time\":5,\"text\":\"slow\"}");
    conn.push("{\"type\":\"event\",\"realm\":\"other\",\"kind\":\"error\",\"time\":6,\"text\":\"bad\"}");
    await().untilAsserted(() -> assertThat(all).hasSize(2));
    assertThat(tab).containsExactly(new RealmEvent("tab", null, "warn", Instant.ofEpochMilli(5), "slow"));
    b.close();
    b.close();
    b2.close();
    assertThat(conn.next("unwatch").path("realm").asText()).isEqualTo("tab");

    conn.drop();
    reconnect(REALM);
    assertThat(conn.next("watch").path("realm").asText()).isEqualTo("*");
    a.close();
    assertThat(conn.next("unwatch").path("realm").asText()).isEqualTo("*");
  }

  @Test
  void realmListenersHearChangesAndAwaitRealmWaitsForAConnectedRealm() throws Exception {
    connect();
    List<String> heard = new CopyOnWriteArrayList<>();
    client.addRealmListener(new RealmListener() {
      @Override
      public void realmChanged(RealmInfo r) {
        heard.add(r.name() + " " + r.state());
      }

      @Override
      public void realmGone(String name) {
        heard.add(name + " gone");
      }
    });
    CompletableFuture<RealmInfo> awaiting = CompletableFuture.supplyAsync(
        () -> client.awaitRealm("tab", Duration.ofSeconds(5)));
    conn.push("{\"type\":\"realm\",\"realm\":" + REALM.replace("live", "disconnected") + "}");
    conn.push("{\"type\":\"realm\",\"realm\":" + REALM + "}");
    assertThat(awaiting.get(5, TimeUnit.SECONDS).state()).isEqualTo("live");
    conn.push("{\"type\":\"realm\",\"realm\":" + REALM + "}");
    conn.push("{\"type\":\"realm\",\"realm\":" + REALM.replace("live", "gone") + "}");
    await().untilAsserted(() -> assertThat(heard).containsExactly("tab disconnected", "tab live", "tab gone"));
    assertThat(client.realms()).isEmpty();
    assertThatThrownBy(() -> client.awaitRealm("tab", Duration.ofMillis(50))).isInstanceOf(RealmNotFoundException.class)
        .hasMessageContaining("no connected realm named 'tab'").hasMessageContaining("realms: none");
  }

  @Test
  void refreshRealmsAsksTheBroker() throws Exception {
    connect();
    CompletableFuture<List<RealmInfo>> list = client.refreshRealms();
    conn.next("list");
    conn.push("{\"type\":\"realms\",\"realms\":[" + REALM + "]}");
    assertThat(list.get(5, TimeUnit.SECONDS)).extracting(RealmInfo::name).containsExactly("tab");
  }

  @Test
  void aLostConnectionFailsJobsInFlightThenReconnectsAndCarriesOn() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> inFlight = client.submit(JobRequest.of("tab", "wait()"));
    conn.next("submit");
    conn.drop();
    assertThat(failure(inFlight)).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("lost while the job was in flight");
    await().untilAsserted(() -> assertThat(connectionEvents).contains(ConnectionEvent.DISCONNECTED));
    // a first reconnect attempt fails; the next one succeeds, with a new realm list
    transport.nextAttempt().fail();
    reconnect();
    await().untilAsserted(() -> assertThat(connectionEvents)
        .containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.DISCONNECTED, ConnectionEvent.RECONNECTED));
    assertThat(client.realms()).isEmpty();
    CompletableFuture<JobResult> after = client.submit(JobRequest.of("tab", "1"));
    String ref = conn.next("submit").path("ref").asText();
    conn.push(result(ref, "j-9", "ok", ",\"value\":1"));
    assertThat(after.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(1);
  }

  @Test
  void aSubmissionWhileDisconnectedWaitsForTheReconnect() throws Exception {
    connect(REALM);
    conn.closeFromBroker(1001, "broker shutting down");
    await().until(() -> !client.isConnected());
    CompletableFuture<JobResult> waiting = client.submit(JobRequest.of("tab", "1"));
    ScriptedTransport.Attempt next = transport.nextAttempt();
    assertThat(waiting).isNotDone();
    conn = next.accept();
    conn.welcome(REALM);
    String ref = conn.next("submit").path("ref").asText();
    conn.push(result(ref, "j-1", "ok", ",\"value\":\"back\""));
    assertThat(waiting.get(5, TimeUnit.SECONDS).asText()).isEqualTo("back");
  }

  @Test
  void aSubmissionWhileDisconnectedFailsAfterTheConnectTimeout() throws Exception {
    options = options.withConnectTimeout(Duration.ofMillis(300));
    connect(REALM);
    conn.drop();
    await().until(() -> !client.isConnected());
    CompletableFuture<JobResult> waiting = client.submit(JobRequest.of("tab", "1"));
    assertThat(failure(waiting)).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("no connection to the broker").hasMessageContaining("within PT0.3S");
    conn = null; // attempts keep coming, none accepted
  }

  @Test
  void withoutReconnectALostConnectionIsFinal() throws Exception {
    options = options.withReconnect(false);
    connect(REALM);
    conn.drop();
    await().untilAsserted(() -> assertThat(connectionEvents).containsExactly(ConnectionEvent.CONNECTED,
        ConnectionEvent.DISCONNECTED));
    assertThat(failure(client.submit(JobRequest.of("tab", "1")))).isInstanceOf(BrokerUnavailableException.class);
    assertThat(client.cancel("j-1")).isFalse();
    assertThat(transport.pendingAttempts()).isZero();
  }

  @Test
  void aRefusedTokenFailsConnectAtOnce() {
    CompletableFuture<DaebugClient> connecting = CompletableFuture.supplyAsync(
        () -> DefaultDaebugClient.connect(options, transport, null, RandomGenerator.getDefault()));
    transport.nextAttempt().refuse(401);
    assertThat(failure(connecting)).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("HTTP 401").hasMessageContaining("token missing or wrong");
    assertThat(transport.pendingAttempts()).isZero();
  }

  @Test
  void anUnreachableBrokerIsRetriedUntilTheConnectTimeout() {
    options = options.withConnectTimeout(Duration.ofMillis(300));
    CompletableFuture<DaebugClient> connecting = CompletableFuture.supplyAsync(
        () -> DefaultDaebugClient.connect(options, transport, null, RandomGenerator.getDefault()));
    transport.nextAttempt().fail();
    transport.nextAttempt().fail(); // retried after a backoff; later attempts are left hanging
    assertThat(failure(connecting)).isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("no connection to the broker").hasMessageContaining("within PT0.3S");
  }

  @Test
  void aBrokerThatNeverWelcomesTimesTheAttemptOut() {
    options = options.withConnectTimeout(Duration.ofMillis(200)).withReconnect(false);
    CompletableFuture<DaebugClient> connecting = CompletableFuture.supplyAsync(
        () -> DefaultDaebugClient.connect(options, transport, null, RandomGenerator.getDefault()));
    ScriptedTransport.Conn silent = transport.nextAttempt().accept();
    silent.next("hello");
    assertThat(failure(connecting)).isInstanceOf(BrokerUnavailableException.class);
    // the attempt's timer aborts the socket, or connect() gives up first and closes it
    await().until(() -> silent.aborted || silent.closedByClient);
  }

  @Test
  void closeFailsPendingWorkFiresClosedAndIsIdempotent() throws Exception {
    connect(REALM);
    CompletableFuture<JobResult> pending = client.submit(JobRequest.of("tab", "wait()"));
    conn.next("submit");
    client.close();
    client.close();
    assertThat(failure(pending)).isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("closed");
    assertThat(connectionEvents).containsExactly(ConnectionEvent.CONNECTED, ConnectionEvent.CLOSED);
    assertThat(conn.closedByClient).isTrue();
    assertThat(client.isConnected()).isFalse();
    assertThatThrownBy(() -> client.submit(JobRequest.of("tab", "1"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void blockingCallsFromTheClientThreadAreRefusedAndCloseFromACallbackWorks() throws Exception {
    connect(REALM);
    CompletableFuture<Throwable> refused = new CompletableFuture<>();
    client.addRealmListener(new RealmListener() {
      @Override
      public void realmChanged(RealmInfo r) {
        try {
          client.run("tab", "1");
          refused.complete(null);
        } catch (IllegalStateException e) {
          refused.complete(e);
        }
        client.close();
      }
    });
    conn.push("{\"type\":\"realm\",\"realm\":" + REALM.replace("live", "executing") + "}");
    assertThat(refused.get(5, TimeUnit.SECONDS)).hasMessageContaining("own thread");
    await().untilAsserted(() -> assertThat(connectionEvents).contains(ConnectionEvent.CLOSED));
  }

  @Test
  void aThrowingListenerDoesNotStopTheClient() throws Exception {
    connect(REALM);
    client.watch("tab", e -> {
      throw new IllegalStateException("listener bug");
    });
    conn.next("watch");
    List<RealmEvent> second = new CopyOnWriteArrayList<>();
    client.watch("tab", second::add);
    conn.push("{\"type\":\"event\",\"realm\":\"tab\",\"kind\":\"log\",\"time\":1,\"text\":\"a\"}");
    await().untilAsserted(() -> assertThat(second).hasSize(1));
  }

  @Test
  void garbageAndUnknownMessagesAreIgnored() throws Exception {
    connect(REALM);
    conn.push("not json");
    conn.push("{\"type\":\"telemetry\"}");
    conn.push("{\"type\":\"queued\",\"ahead\":\"x\"}");
    conn.push("{\"type\":\"result\",\"ref\":\"c-999\",\"job\":\"j-1\",\"outcome\":\"ok\",\"value\":1}");
    CompletableFuture<JobResult> f = client.submit(JobRequest.of("tab", "1"));
    String ref = conn.next("submit").path("ref").asText();
    conn.push(result(ref, "j-2", "ok", ",\"value\":1,\"late\":true"));
    conn.push(result(ref, "j-2", "ok", ",\"value\":{\"$daebug\":\"undefined\"}"));
    assertThat(f.get(5, TimeUnit.SECONDS).isUndefined()).isTrue();
  }
}

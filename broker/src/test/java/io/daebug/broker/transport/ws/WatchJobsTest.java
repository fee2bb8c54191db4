package io.daebug.broker.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.ControllerEvent;
import io.daebug.broker.protocol.JobDispatched;
import io.daebug.broker.protocol.JobOutcome;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.JobRequested;
import io.daebug.broker.protocol.RealmList;
import io.daebug.broker.protocol.RunJob;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code watch} with {@code jobs}: a controller (the dashboard) sees every job of a realm as it is requested,
 * dispatched and answered, whoever asked for it, and each message about its own jobs once.
 */
class WatchJobsTest extends BrokerAndRealms {
  private static WebSocketClient wsClient;
  private final List<FakeController> controllers = new ArrayList<>();

  @BeforeAll
  static void startWsClient() throws Exception {
    wsClient = new WebSocketClient();
    wsClient.start();
  }

  @AfterAll
  static void stopWsClient() throws Exception {
    wsClient.stop();
  }

  @AfterEach
  void closeControllers() {
    try {
      controllers.forEach(FakeController::assertExhausted);
    } finally {
      controllers.forEach(FakeController::close);
    }
  }

  @Test
  @DisplayName("a job watcher sees an agent's request from the log and another controller's job, without their refs")
  void seesEveryonesJobs() throws Exception {
    FakeRealm realm = start("app");
    FakeController watcher = controller("dashboard");
    watcher.send(FakeController.message("watch").put("realm", "*").put("jobs", true));
    FakeController other = controller("ci");

    broker.append("app", "```js\nconsole.log('hi'); 1 + 1\n```\n");
    JobRequested fromLog = watcher.next(JobRequested.class);
    assertThat(fromLog.realm()).isEqualTo("app");
    assertThat(fromLog.agent()).isEqualTo("agent");
    assertThat(fromLog.code()).isEqualTo("console.log('hi'); 1 + 1");
    assertThat(fromLog.language()).isEqualTo("javascript");
    assertThat(fromLog.ref()).isNull();
    assertThat(watcher.next(JobDispatched.class).job()).isEqualTo(fromLog.job());
    RunJob job = realm.awaitJob();
    realm.sendEvent(job.id(), "log", 1_764_065_472_123L, "hi");
    assertThat(watcher.next(ControllerEvent.class).text()).isEqualTo("hi");
    realm.sendResult(job.id(), "2");
    JobOutcome answered = watcher.next(JobOutcome.class);
    assertThat(answered.job()).isEqualTo(fromLog.job());
    assertThat(answered.outcome()).isEqualTo("ok");
    assertThat(answered.value().asInt()).isEqualTo(2);
    assertThat(answered.ref()).isNull();

    other.submit("secret-ref", "app", "x()");
    other.next(JobQueued.class);
    JobRequested fromOther = watcher.next(JobRequested.class);
    assertThat(fromOther.agent()).isEqualTo("ci");
    assertThat(fromOther.ref()).as("another controller's ref is its own").isNull();
    other.next(JobDispatched.class);
    watcher.next(JobDispatched.class);
    realm.sendFailure(realm.awaitJob().id(), "ReferenceError", "x is not defined", "ReferenceError: x is not defined\n  at x");
    other.next(JobOutcome.class);
    JobOutcome failed = watcher.next(JobOutcome.class);
    assertThat(failed.outcome()).isEqualTo("error");
    assertThat(failed.error().stack()).contains("at x");
  }

  @Test
  @DisplayName("a watcher's own job: request, dispatched and result once each, with its ref; events-only watchers get no jobs")
  void ownJobsOnceAndEventsOnlyWatchers() throws Exception {
    FakeRealm realm = start("app");
    FakeController watcher = controller("dashboard");
    watcher.send(FakeController.message("watch").put("realm", "app").put("jobs", true));
    FakeController eventsOnly = controller("tail");
    eventsOnly.send(FakeController.message("watch").put("realm", "app"));

    watcher.submit("mine", "app", "1");
    assertThat(watcher.next(JobQueued.class).ref()).isEqualTo("mine");
    assertThat(watcher.next(JobRequested.class).ref()).isEqualTo("mine");
    assertThat(watcher.next(JobDispatched.class).ref()).isEqualTo("mine");
    realm.sendResult(realm.awaitJob().id(), "1");
    assertThat(watcher.next(JobOutcome.class).ref()).isEqualTo("mine");

    watcher.send(FakeController.message("unwatch").put("realm", "app"));
    watcher.send(FakeController.message("list"));
    watcher.next(RealmList.class); // the broker handles a controller's frames in order: the unwatch is done
    broker.append("app", "```js\n2\n```\n");
    realm.sendResult(realm.awaitJob().id(), "2");
    // The reply is written before controllers are told: once it is in the log, nothing more is on its way.
    TestAwait.await().untilAsserted(() -> assertThat(broker.log("app")).contains("```JSON\n2\n```"));
    // (assertExhausted after each test: neither controller got anything about it)
  }

  private FakeController controller(String name) throws Exception {
    FakeController c = FakeController.connect(wsClient,
        URI.create("ws://127.0.0.1:" + broker.port() + WsServer.CONTROL_PATH), Map.of());
    controllers.add(c);
    c.hello(name);
    return c;
  }
}

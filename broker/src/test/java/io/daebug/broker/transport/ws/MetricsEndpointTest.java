package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.metrics.PrometheusText;
import io.daebug.broker.protocol.ControllerEvent;
import io.daebug.broker.protocol.JobDispatched;
import io.daebug.broker.protocol.JobOutcome;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.RunJob;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /-daebug/metrics} and {@code /-daebug/health} of a real broker: the counters move as jobs end, realm
 * gauges follow connections, and every scrape is valid Prometheus text ({@link PrometheusText}, strict).
 */
class MetricsEndpointTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static WebSocketClient client;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;
  private TestBroker broker;
  private final List<FakeRealm> realms = new ArrayList<>();
  private FakeController controller;

  @BeforeAll
  static void startClient() throws Exception {
    client = new WebSocketClient();
    client.start();
  }

  @AfterAll
  static void stopClient() throws Exception {
    client.stop();
  }

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(root);
  }

  @AfterEach
  void tearDown() {
    try {
      realms.forEach(FakeRealm::assertExhausted);
      if (controller != null) {
        controller.assertExhausted();
      }
    } finally {
      if (controller != null) {
        controller.close();
      }
      realms.forEach(FakeRealm::abort);
      broker.close();
    }
  }

  @Test
  @DisplayName("jobs by outcome, durations, queue times, log writes and events move after jobs; the text parses")
  void countersMoveAfterJobs() throws Exception {
    PrometheusText before = scrape();
    for (String outcome : List.of("ok", "error", "timeout", "cancelled", "disconnected", "failed")) {
      assertThat(before.value("daebug_jobs_total", "outcome", outcome)).as(outcome).isZero();
    }
    assertThat(before.type("daebug_job_duration_seconds")).isEqualTo("histogram");
    assertThat(before.value("daebug_job_duration_seconds_count")).isZero();
    assertThat(before.value("daebug_broker_info", "version", "0.1.0")).isEqualTo(1);

    FakeRealm realm = realm("app");
    controller = FakeController.connect(client, URI.create("ws://127.0.0.1:" + broker.port() + WsServer.CONTROL_PATH),
        Map.of());
    controller.hello("ci");

    // ok, with 12 console lines: the log shows the first 2 and the last 8, and counts the 2 between
    RunJob ok = submit("c-1", "1 + 1", 10_000, realm);
    for (int i = 0; i < 12; i++) {
      realm.sendEvent(ok.id(), "log", System.currentTimeMillis(), "line " + i);
    }
    for (int i = 0; i < 12; i++) {
      assertThat(controller.next(ControllerEvent.class).text()).isEqualTo("line " + i);
    }
    realm.sendResult(ok.id(), "2");
    assertThat(outcome()).isEqualTo("ok");
    // error
    RunJob failing = submit("c-2", "x()", 10_000, realm);
    realm.sendFailure(failing.id(), "ReferenceError", "x is not defined", "ReferenceError: x is not defined");
    assertThat(outcome()).isEqualTo("error");
    // timeout, then its result after all: a late reply
    RunJob slow = submit("c-3", "spin()", 200, realm);
    assertThat(outcome()).isEqualTo("timeout");
    realm.sendResult(slow.id(), "3");
    assertThat(controller.next(JobOutcome.class).late()).isTrue();
    // a request appended to the log, the way agents work
    broker.append("app", "```js\n'from the log'\n```\n");
    realm.sendResult(realm.awaitJob().id(), "\"log\"");

    await(WAIT).untilAsserted(() -> {
      PrometheusText t = scrape();
      assertThat(t.value("daebug_jobs_total", "outcome", "ok")).isEqualTo(2);
      assertThat(t.value("daebug_jobs_total", "outcome", "error")).isEqualTo(1);
      assertThat(t.value("daebug_jobs_total", "outcome", "timeout")).isEqualTo(1);
      assertThat(t.value("daebug_jobs_total", "outcome", "cancelled")).isZero();
      assertThat(t.value("daebug_jobs_late_total")).isEqualTo(1);
      assertThat(t.value("daebug_job_duration_seconds_count")).isEqualTo(4);
      assertThat(t.value("daebug_job_duration_seconds_sum")).isGreaterThanOrEqualTo(0.2); // the timeout's 200 ms
      assertThat(t.value("daebug_job_queue_seconds_count")).isEqualTo(4);
      // at least a write per reply (group commit may put a placeholder and an earlier reply in one write)
      assertThat(t.value("daebug_journal_write_seconds_count")).isGreaterThanOrEqualTo(5);
      // every frame, file event and timer above ran as core tasks, each one timed
      assertThat(t.value("daebug_core_task_seconds_count")).isGreaterThanOrEqualTo(20);
      assertThat(t.value("daebug_core_task_seconds_bucket", "le", "+Inf"))
          .isEqualTo(t.value("daebug_core_task_seconds_count"));
      assertThat(t.value("daebug_events_total")).isEqualTo(12);
      assertThat(t.value("daebug_events_omitted_total")).isEqualTo(2);
      assertThat(t.value("daebug_realms", "kind", "page", "state", "live")).isEqualTo(1);
    });
    assertThat(broker.log("app")).contains("... (2 more background events omitted) ...");

    assertThat(scrape().value("daebug_jobs_late_total")).isEqualTo(1);
  }

  @Test
  @DisplayName("realm gauges follow connections: a disconnected realm moves from live to disconnected")
  void realmGauges() throws Exception {
    FakeRealm a = realm("a");
    realm("b");
    await(WAIT).untilAsserted(() -> assertThat(scrape().value("daebug_realms", "kind", "page", "state", "live"))
        .isEqualTo(2));
    a.close();
    await(WAIT).untilAsserted(() -> {
      PrometheusText t = scrape();
      assertThat(t.value("daebug_realms", "kind", "page", "state", "live")).isEqualTo(1);
      assertThat(t.value("daebug_realms", "kind", "page", "state", "disconnected")).isEqualTo(1);
    });
  }

  @Test
  @DisplayName("Jetty's connections and thread pool are measured")
  void jettyMeters() throws Exception {
    realm("app");
    PrometheusText t = scrape();
    assertThat(t.find("jetty_threads_current")).isNotEmpty();
    assertThat(t.find("jetty_threads_busy")).isNotEmpty();
    // the realm's socket at least, and the bytes of its hello and welcome
    assertThat(t.value("jetty_connections_current_connections", "connector_name", "http")).isGreaterThanOrEqualTo(1);
    assertThat(t.value("jetty_connections_bytes_in_bytes_sum")).isPositive();
    assertThat(t.value("jetty_connections_bytes_out_bytes_sum")).isPositive();
    assertThat(t.find("jvm_memory_used_bytes")).isNotEmpty();
  }

  @Test
  @DisplayName("/-daebug/health reports uptime, version and jobs by outcome next to the realms")
  void health() throws Exception {
    FakeRealm realm = realm("app");
    broker.append("app", "```js\n1\n```\n");
    realm.sendResult(realm.awaitJob().id(), "1");
    await(WAIT).untilAsserted(() -> {
      JsonNode h = JSON.readTree(get("/-daebug/health", Map.of()).body());
      assertThat(h.path("status").asText()).isEqualTo("ok");
      assertThat(h.path("version").asText()).isEqualTo("0.1.0");
      assertThat(h.path("uptimeSeconds").asDouble()).isGreaterThanOrEqualTo(0);
      assertThat(h.path("startedAt").asText()).isNotEmpty();
      assertThat(h.path("jobs").path("total").asLong()).isEqualTo(1);
      assertThat(h.path("jobs").path("ok").asLong()).isEqualTo(1);
      assertThat(h.path("jobs").path("timeout").asLong()).isZero();
      assertThat(h.path("realms").get(0).path("name").asText()).isEqualTo("app");
    });
  }

  @Test
  @DisplayName("a page of another origin cannot read the metrics; a wrong Host is refused as everywhere")
  void sameRulesAsTheOtherEndpoints() throws Exception {
    assertThat(get("/-daebug/metrics", Map.of("Origin", "http://evil.example")).statusCode()).isEqualTo(403);
    assertThat(get("/-daebug/metrics", Map.of("Origin", "http://127.0.0.1:" + broker.port())).statusCode())
        .isEqualTo(200);
    HttpResponse<String> r = get("/-daebug/metrics", Map.of());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
  }

  private RunJob submit(String ref, String code, long timeoutMs, FakeRealm realm) {
    controller.submit(ref, "app", code, timeoutMs);
    controller.next(JobQueued.class);
    controller.next(JobDispatched.class);
    return realm.awaitJob();
  }

  private String outcome() {
    return controller.next(JobOutcome.class).outcome();
  }

  private FakeRealm realm(String name) throws Exception {
    FakeRealm r = FakeRealm.connect(client, broker.realmUri(), Map.of());
    realms.add(r);
    r.hello(name);
    await(WAIT).untilAsserted(() -> assertThat(broker.log(name)).contains("Append your JavaScript"));
    return r;
  }

  private PrometheusText scrape() throws Exception {
    HttpResponse<String> r = get("/-daebug/metrics", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    return PrometheusText.parse(r.body());
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.port() + path));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package io.daebug.client.realm.internal;

import static io.daebug.client.realm.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.client.realm.RealmOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The realm protocol without a socket: the test plays the broker through {@link RecordingLink}. One
 * realm for the class (a JShell takes seconds to start); every test uses job ids and names of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealmCoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final RealmOptions OPTIONS = RealmOptions.of(URI.create("http://127.0.0.1:9/")).withName("core-test");

  private RecordingLink link;
  private RealmCore core;

  @BeforeAll
  void start() {
    link = new RecordingLink();
    core = RealmCore.start(OPTIONS, handler -> link);
    core.onFrame("{\"type\":\"welcome\",\"name\":\"core-test-2\",\"log\":\"daebug/core-test-2.md\"}");
  }

  @AfterAll
  void stop() {
    core.close();
  }

  static String job(String id, String code, long timeoutMs) {
    return JSON.createObjectNode().put("type", "job").put("id", id).put("code", code).put("language", "java")
        .put("timeoutMs", timeoutMs).toString();
  }

  static String cancel(String id, String reason) {
    return JSON.createObjectNode().put("type", "cancel").put("id", id).put("reason", reason).toString();
  }

  private JsonNode awaitResult(String id) {
    return await().until(() -> link.result(id), r -> r != null);
  }

  @Test
  void helloAndWelcome() {
    assertThat(core.hello()).contains("\"kind\":\"jvm\"", "\"language\":\"java\"", "\"url\":\"jvm://"
        + ProcessHandle.current().pid() + "@", "\"name\":\"core-test-2\"", "\"protocol\":1");
    assertThat(JSON.valueToTree(core.hello()).asText()).contains("\"tab\":\"");
    assertThat(core.name()).isEqualTo("core-test-2");
    assertThat(core.logFile()).isEqualTo("daebug/core-test-2.md");
    assertThat(core.isConnected()).isTrue();
  }

  @Test
  void consoleLinesAreEventsOfTheJobSentBeforeItsResult() {
    core.onFrame(job("c-1", "System.out.println(\"one\");\nSystem.err.print(\"two\");\n3", 30_000));
    JsonNode result = awaitResult("c-1");
    assertThat(result.path("ok").asBoolean()).isTrue();
    assertThat(result.path("value").asInt()).isEqualTo(3);
    assertThat(result.path("durationMs").isNumber()).isTrue();
    List<String> frames = link.about("c-1").stream()
        .map(f -> f.path("type").asText() + " " + f.path("kind").asText("") + " " + f.path("text").asText(""))
        .collect(Collectors.toList());
    assertThat(frames).containsExactly("event log one", "event error two", "result  ");
    assertThat(link.about("c-1").get(0).path("time").asLong())
        .isBetween(System.currentTimeMillis() - 120_000, System.currentTimeMillis());
  }

  @Test
  void cancellingARunningJobStopsItAndTheRealmCarriesOn() {
    core.onFrame(job("x-1", "int spins = 0;\nwhile (true) { if (spins++ == 0) System.out.println(\"spinning\"); }",
        60_000));
    await().until(() -> link.about("x-1").stream().anyMatch(f -> f.path("text").asText().equals("spinning")));
    core.onFrame(cancel("x-1", "cancelled by ci-script"));
    JsonNode result = awaitResult("x-1");
    assertThat(result.path("ok").asBoolean()).isFalse();
    assertThat(result.path("error").path("name").asText()).isEqualTo("Cancelled");
    assertThat(result.path("error").path("message").asText())
        .isEqualTo("job stopped by the realm: cancelled by ci-script");
    core.onFrame(job("x-2", "spins > 0", 30_000));
    assertThat(awaitResult("x-2").path("value").asBoolean()).as("state survives a stop").isTrue();
  }

  @Test
  void cancelBeforeTheCodeStartsStillStopsIt() {
    core.onFrame(job("y-1", "while (true) {}", 60_000));
    core.onFrame(cancel("y-1", null));
    JsonNode result = awaitResult("y-1");
    assertThat(result.path("error").path("name").asText()).isEqualTo("Cancelled");
    assertThat(result.path("error").path("message").asText())
        .isEqualTo("job stopped by the realm: cancelled by the broker");
    core.onFrame(job("y-2", "\"alive\"", 30_000));
    assertThat(awaitResult("y-2").path("value").asText()).isEqualTo("alive");
  }

  @Test
  void aTimeoutStopsARunawayLoop() {
    core.onFrame(job("t-1", "System.out.println(\"looping\"); while (true) {}", 1_000));
    JsonNode result = awaitResult("t-1");
    assertThat(result.path("error").path("name").asText()).isEqualTo("Timeout");
    assertThat(result.path("error").path("message").asText())
        .isEqualTo("job stopped by the realm after 1000ms (its timeout)");
    core.onFrame(job("t-2", "6 * 7", 30_000));
    assertThat(awaitResult("t-2").path("value").asInt()).isEqualTo(42);
  }

  @Test
  void anUnknownCancelIsIgnoredAndAQueuedJobIsAnsweredWithoutRunning() {
    core.onFrame(cancel("nobody", "no such job"));
    core.onFrame(job("q-1", "System.out.println(\"first\"); Thread.sleep(60_000); 1", 60_000));
    await().until(() -> link.about("q-1").size() == 1);
    core.onFrame(job("q-2", "System.setProperty(\"daebug.test.q2\", \"ran\"); 2", 60_000));
    core.onFrame(cancel("q-2", "not needed"));
    assertThat(awaitResult("q-2").path("error").path("name").asText()).isEqualTo("Cancelled");
    core.onFrame(cancel("q-1", "done waiting"));
    assertThat(awaitResult("q-1").path("error").path("name").asText()).isEqualTo("Cancelled");
    assertThat(System.getProperty("daebug.test.q2")).isNull();
  }

  @Test
  @io.daebug.client.testing.ExpectsUncaughtExceptions
  void uncaughtExceptionsOfAJobsThreadsAreErrorEventsOfTheJob() {
    core.onFrame(job("u-1", "Thread t = new Thread(() -> { throw new IllegalStateException(\"bg\"); },"
        + " \"worker-u1\");\n"
        + "t.start(); t.join(); 1", 30_000));
    awaitResult("u-1");
    JsonNode event = link.about("u-1").get(0);
    assertThat(event.path("kind").asText()).isEqualTo("error");
    assertThat(event.path("text").asText())
        .startsWith("Exception in thread \"worker-u1\" java.lang.IllegalStateException: bg\n\tat ");
  }

  @Test
  @io.daebug.client.testing.ExpectsUncaughtExceptions
  void uncaughtExceptionsOfOtherThreadsAreBackgroundErrorEvents() throws InterruptedException {
    Thread t = new Thread(() -> {
      throw new IllegalArgumentException("outside any job");
    }, "app-thread");
    t.start();
    t.join();
    JsonNode event = await().until(() -> link.background().stream()
        .filter(f -> f.path("text").asText().contains("outside any job")).findFirst().orElse(null), e -> e != null);
    assertThat(event.path("kind").asText()).isEqualTo("error");
    assertThat(event.path("text").asText())
        .startsWith("Exception in thread \"app-thread\" java.lang.IllegalArgumentException: outside any job");
  }

  @Test
  void aJobOfAnotherLanguageIsRefused() {
    core.onFrame(JSON.createObjectNode().put("type", "job").put("id", "l-1").put("code", "1")
        .put("language", "javascript").toString());
    assertThat(awaitResult("l-1").path("error").path("message").asText())
        .isEqualTo("this realm runs java, not javascript");
  }

  /** Its own realm, sending background output. */
  @Test
  void outputOutsideJobsPassesThroughAndIsSentOnlyWhenAsked() {
    java.io.PrintStream out = System.out;
    java.io.PrintStream err = System.err;
    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
    RecordingLink ownLink = new RecordingLink();
    try (RealmCore own = RealmCore.start(OPTIONS.withName("chatty").withBackgroundOutput(true), h -> ownLink)) {
      assertThat(own.name()).isEqualTo("chatty");
      assertThat(System.out).isNotSameAs(out);
      System.out.println("app says hi");
      System.err.print("app complains\r\n");
      await().untilAsserted(() -> assertThat(ownLink.background())
          .extracting(e -> e.path("kind").asText() + " " + e.path("text").asText())
          .contains("log app says hi", "error app complains"));
    }
    assertThat(System.out).as("closing puts the streams back").isSameAs(out);
    assertThat(System.err).isSameAs(err);
    assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(handler);
    assertThat(link.background()).as("the class's realm sends no background output")
        .noneMatch(e -> e.path("text").asText().contains("app says hi"));
  }

  /** Its own realm: the stuck JShell is replaced. */
  @Test
  void aJobThatIgnoresTheStopIsAnsweredAndAFreshJShellTakesOver() throws Exception {
    RecordingLink ownLink = new RecordingLink();
    try (RealmCore own = RealmCore.start(OPTIONS.withName("stuck"), handler -> ownLink)) {
      own.onFrame("{\"type\":\"welcome\",\"name\":\"stuck\"}");
      own.bind("greeting", "hello");
      own.onFrame(job("s-1", "int before = 1;", 30_000));
      own.onFrame(job("s-2", "{\n  var server = new java.net.ServerSocket(0);\n"
          + "  System.getProperties().put(\"daebug.test.stuck\", server);\n"
          + "  System.getProperties().put(\"daebug.test.stuck.thread\", Thread.currentThread());\n"
          + "  System.out.println(\"accepting\");\n  server.accept();\n}", 60_000));
      await().until(() -> ownLink.about("s-2").stream().anyMatch(f -> f.path("text").asText().equals("accepting")));
      // Cancelled only once its thread blocks in accept's native call, where a stop does not reach: a stop that
      // came between the println and that call (a busy machine can pause the thread there) would stop it.
      Thread stuck = (Thread) System.getProperties().get("daebug.test.stuck.thread");
      await().until(() -> {
        StackTraceElement[] stack = stuck.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod()
            && List.of("accept", "poll").contains(stack[0].getMethodName()); // sun.nio.ch.Net's
      });
      own.onFrame(cancel("s-2", "stuck test"));
      JsonNode result = await().until(() -> ownLink.result("s-2"), r -> r != null);
      assertThat(result.path("error").path("name").asText()).isEqualTo("Cancelled");
      assertThat(result.path("error").path("message").asText()).startsWith(
          "job stopped by the realm: stuck test. The snippet did not stop within 3000ms");
      assertThat(ownLink.background()).anySatisfy(e -> assertThat(e.path("text").asText())
          .startsWith("daebug: job s-2 ignored the stop."));
      own.onFrame(job("s-3", "greeting + \" again\"", 30_000));
      assertThat(await().until(() -> ownLink.result("s-3"), r -> r != null).path("value").asText())
          .as("bindings are declared again in the fresh JShell").isEqualTo("hello again");
      own.onFrame(job("s-4", "before", 30_000));
      assertThat(await().until(() -> ownLink.result("s-4"), r -> r != null).path("error").path("name").asText())
          .as("the old state is gone").isEqualTo("CompilationError");
    } finally {
      System.getProperties().remove("daebug.test.stuck.thread");
      Object server = System.getProperties().remove("daebug.test.stuck");
      if (server != null) {
        ((ServerSocket) server).close();
      }
    }
  }
}

package io.daebug.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {
  private final MessageCodec codec = new MessageCodec();

  private static final Map<Class<?>, String> FIXTURES = Map.ofEntries(
      Map.entry(Hello.class, "hello.json"),
      Map.entry(Result.class, "result.json"),
      Map.entry(RealmEvent.class, "event.json"),
      Map.entry(Welcome.class, "welcome.json"),
      Map.entry(RunJob.class, "job.json"),
      Map.entry(ErrorMessage.class, "error.json"),
      Map.entry(CancelJob.class, "cancel.json"),
      Map.entry(Beat.class, "beat.json"),
      Map.entry(Status.class, "status.json"),
      Map.entry(Title.class, "title.json"),
      Map.entry(ControllerHello.class, "control/hello.json"),
      Map.entry(Submit.class, "control/submit.json"),
      Map.entry(Cancel.class, "control/cancel.json"),
      Map.entry(Watch.class, "control/watch.json"),
      Map.entry(Unwatch.class, "control/unwatch.json"),
      Map.entry(ListRealms.class, "control/list.json"),
      Map.entry(ControllerWelcome.class, "control/welcome.json"),
      Map.entry(RealmList.class, "control/realms.json"),
      Map.entry(RealmUpdate.class, "control/realm.json"),
      Map.entry(JobQueued.class, "control/queued.json"),
      Map.entry(JobRequested.class, "control/request.json"),
      Map.entry(JobDispatched.class, "control/dispatched.json"),
      Map.entry(ControllerEvent.class, "control/event.json"),
      Map.entry(JobOutcome.class, "control/result.json"),
      Map.entry(ControllerError.class, "control/error.json"));

  @Test
  void everyPermittedSubtypeHasAFixtureThatRoundTrips() throws Exception {
    for (Class<?> sealed : new Class<?>[] {FromRealm.class, ToRealm.class, FromController.class,
        ToController.class}) {
      for (Class<?> type : sealed.getPermittedSubclasses()) {
        String name = FIXTURES.get(type);
        assertThat(name).as("fixture for %s", type.getSimpleName()).isNotNull();
        String json = fixture(name);
        Object decoded = decode(sealed, json);
        assertThat(decoded).isInstanceOf(type);
        JsonNode expected = codec.mapper().readTree(json);
        JsonNode actual = codec.mapper().readTree(codec.encode(decoded));
        assertThat(actual).as("round trip of %s", name).isEqualTo(expected);
      }
    }
  }

  @Test
  void errorResultFixtureKeepsNameMessageAndStack() throws Exception {
    Result r = (Result) codec.decodeFromRealm(fixture("result-error.json"));
    assertThat(r.ok()).isFalse();
    assertThat(r.error().name()).isEqualTo("TypeError");
    assertThat(r.error().display()).startsWith("TypeError: x is not a function\n    at");
  }

  @Test
  void aPythonTracebackIsShownAsPythonPrintsIt() {
    String tb = "Traceback (most recent call last):\n  File \"<job j-1>\", line 1, in <module>\n"
        + "ZeroDivisionError: division by zero";
    assertThat(new ErrorInfo("ZeroDivisionError", "division by zero", tb).display()).isEqualTo(tb);
    assertThat(new ErrorInfo("SyntaxError", "invalid syntax (line 1, column 4)", "  File \"<job j-1>\", line 1")
        .display()).isEqualTo("SyntaxError: invalid syntax (line 1, column 4)\n  File \"<job j-1>\", line 1");
  }

  @Test
  void floatsKeepTheDigitsThePeerSent() throws Exception {
    Result r = (Result) codec.decodeFromRealm(fixture("result.json"));
    assertThat(r.value().get("a").get(1).decimalValue().toString()).isEqualTo("0.1");
    assertThat(r.value().get("a").get(2).decimalValue()).isEqualByComparingTo("1e21");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "nope", "[1,2]", "{\"type\":3}", "{}", "{\"type\":\"hello\"} x",
      "{\"type\":\"launch\"}", "{\"type\":\"hello\"}", "{\"type\":\"result\",\"ok\":true}",
      "{\"type\":\"event\",\"text\":\"no kind\"}", "{\"type\":\"result\",\"id\":[1],\"ok\":true}"})
  void badFramesAreRefusedWithAReason(String frame) {
    assertThatThrownBy(() -> codec.decodeFromRealm(frame))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }

  @Test
  void unknownTypeIsNamedInTheError() {
    assertThatThrownBy(() -> codec.decodeFromRealm("{\"type\":\"launch\"}"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("launch")
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo("unknown-type"));
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    FromRealm m = codec.decodeFromRealm("{\"type\":\"event\",\"kind\":\"log\",\"text\":\"hi\",\"extra\":1}");
    assertThat(m).isEqualTo(new RealmEvent(null, "log", null, "hi"));
  }

  private Object decode(Class<?> sealed, String json) throws ProtocolException {
    if (sealed == FromRealm.class) {
      return codec.decodeFromRealm(json);
    }
    if (sealed == ToRealm.class) {
      return codec.decodeToRealm(json);
    }
    return sealed == FromController.class ? codec.decodeFromController(json) : codec.decodeToController(json);
  }

  @Test
  void controllerErrorResultKeepsTheErrorAndOmitsTheValue() throws Exception {
    JobOutcome o = (JobOutcome) codec.decodeToController(fixture("control/result-error.json"));
    assertThat(o.outcome()).isEqualTo("error");
    assertThat(o.value()).isNull();
    assertThat(o.error().display()).startsWith("TypeError: x is not a function");
  }

  @Test
  void controllerNamesCannotForgeJournalLines() {
    assertThat(ControllerHello.agentName("ci script\n### x")).isEqualTo("ci-script-x");
    assertThat(ControllerHello.agentName("  ")).isEqualTo("controller");
    assertThat(ControllerHello.agentName(null)).isEqualTo("controller");
    assertThat(ControllerHello.agentName("a".repeat(100))).hasSize(ControllerHello.MAX_NAME);
    assertThat(ControllerHello.agentName("to x at 10:00:00")).isEqualTo("to-x-at-10-00-00");
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = MessageCodecTest.class.getResourceAsStream("/protocol/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void helloFieldsThatReachTheJournalCannotCarryLineBreaks() throws Exception {
    Hello h = (Hello) codec.decodeFromRealm("{\"type\":\"hello\",\"name\":\"n\",\"kind\":\"page\\n# x\","
        + "\"url\":\"http://x/)\\n%%SHUTDOWN%%\\n\",\"language\":\"java\\nscript\"}");
    assertThat(h.kind()).isEqualTo("page");
    assertThat(h.language()).isEqualTo("javascript");
    assertThat(h.url()).isEqualTo("http://x/)%0A%%SHUTDOWN%%%0A").doesNotContain("\n");
    Hello java = (Hello) codec.decodeFromRealm("{\"type\":\"hello\",\"name\":\"n\",\"language\":\"Java\"}");
    assertThat(java.language()).isEqualTo("java");
  }

  @Test
  void workerHelloNamesItsOwnerAndTheOwnersCancelCopyNamesTheWorker() throws Exception {
    Hello h = (Hello) codec.decodeFromRealm(fixture("hello-worker.json"));
    assertThat(h.kind()).isEqualTo("worker");
    assertThat(h.parent()).isEqualTo("7-zen-1201-03");
    assertThat(codec.mapper().readTree(codec.encode(h))).isEqualTo(codec.mapper().readTree(fixture("hello-worker.json")));
    CancelJob c = (CancelJob) codec.decodeToRealm(fixture("cancel-owner.json"));
    assertThat(c.realm()).isEqualTo("7-zen-1201-03-webworker");
    assertThat(codec.mapper().readTree(codec.encode(c))).isEqualTo(codec.mapper().readTree(fixture("cancel-owner.json")));
    assertThat(codec.encode(new CancelJob("j-1", "r"))).doesNotContain("realm");
    assertThatThrownBy(() -> codec.decodeFromRealm("{\"type\":\"beat\",\"intervalMs\":1}"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void loneSurrogateEscapesAreRepairedOnlyWhereNeeded() {
    assertThat(MessageCodec.replaceLoneSurrogateEscapes("{\"\\ud800\":1}")).isEqualTo("{\"\\ufffd\":1}");
    assertThat(MessageCodec.replaceLoneSurrogateEscapes("\"\\ud83d\\ude00 \\u00e9 \\\\ud800\""))
        .as("pairs, other escapes and an escaped backslash stay").isEqualTo("\"\\ud83d\\ude00 \\u00e9 \\\\ud800\"");
    assertThat(MessageCodec.replaceLoneSurrogateEscapes("\"\\udc00x\"")).isEqualTo("\"\\ufffdx\"");
  }
}

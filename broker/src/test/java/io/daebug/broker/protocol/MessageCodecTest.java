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

  private static final Map<Class<?>, String> FIXTURES = Map.of(
      Hello.class, "hello.json",
      Result.class, "result.json",
      RealmEvent.class, "event.json",
      Welcome.class, "welcome.json",
      RunJob.class, "job.json",
      ErrorMessage.class, "error.json");

  @Test
  void everyPermittedSubtypeHasAFixtureThatRoundTrips() throws Exception {
    for (Class<?> sealed : new Class<?>[] {FromRealm.class, ToRealm.class}) {
      for (Class<?> type : sealed.getPermittedSubclasses()) {
        String name = FIXTURES.get(type);
        assertThat(name).as("fixture for %s", type.getSimpleName()).isNotNull();
        String json = fixture(name);
        Object decoded = sealed == FromRealm.class ? codec.decodeFromRealm(json) : codec.decodeToRealm(json);
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
  void loneSurrogateEscapesAreRepairedOnlyWhereNeeded() {
    assertThat(MessageCodec.replaceLoneSurrogateEscapes("{\"\\ud800\":1}")).isEqualTo("{\"\\ufffd\":1}");
    assertThat(MessageCodec.replaceLoneSurrogateEscapes("\"\\ud83d\\ude00 \\u00e9 \\\\ud800\""))
        .as("pairs, other escapes and an escaped backslash stay").isEqualTo("\"\\ud83d\\ude00 \\u00e9 \\\\ud800\"");
    assertThat(MessageCodec.replaceLoneSurrogateEscapes("\"\\udc00x\"")).isEqualTo("\"\\ufffdx\"");
  }
}

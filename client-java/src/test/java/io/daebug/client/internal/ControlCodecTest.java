package io.daebug.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The codec against the golden fixtures the broker's own codec tests use
 * ({@code broker/src/test/resources/protocol/control/}), so the two ends cannot drift apart.
 */
class ControlCodecTest {
  private static final Path FIXTURES = Path.of("..", "broker", "src", "test", "resources", "protocol", "control");

  private final ControlCodec codec = new ControlCodec();

  private static String fixture(String name) throws IOException {
    return Files.readString(FIXTURES.resolve(name + ".json"), StandardCharsets.UTF_8).strip();
  }

  private FromBroker decode(String frame) throws ControlCodec.BadFrameException {
    return codec.decode(frame).orElseThrow();
  }

  @Test
  void everyBrokerFixtureDecodesToItsRecord() throws Exception {
    Map<String, Class<? extends FromBroker>> expected = Map.of(
        "welcome", FromBroker.Welcome.class,
        "realms", FromBroker.Realms.class,
        "realm", FromBroker.RealmChanged.class,
        "queued", FromBroker.Queued.class,
        "dispatched", FromBroker.Dispatched.class,
        "event", FromBroker.Event.class,
        "result", FromBroker.Result.class,
        "result-error", FromBroker.Result.class,
        "error", FromBroker.Error.class);
    for (Map.Entry<String, Class<? extends FromBroker>> e : expected.entrySet()) {
      assertThat(decode(fixture(e.getKey()))).as(e.getKey()).isInstanceOf(e.getValue());
    }
    // every permitted subtype has a fixture
    assertThat(List.<Class<?>>copyOf(expected.values())).containsAll(List.of(permits(FromBroker.class)));
  }

  @Test
  void fixturesDecodeFieldByField() throws Exception {
    FromBroker.Welcome w = (FromBroker.Welcome) decode(fixture("welcome"));
    assertThat(w.name()).isEqualTo("ci-script");
    assertThat(w.broker()).isEqualTo("0.1.0");
    assertThat(w.realms()).containsExactly(new FromBroker.Realm("7-zen-1201-03", "page", "http://127.0.0.1:8680/",
        "javascript", "live", "daebug/7-zen-1201-03.md", "Daebug demo", "10:11:12", null));

    FromBroker.Result ok = (FromBroker.Result) decode(fixture("result"));
    assertThat(ok.ref()).isEqualTo("c-1");
    assertThat(ok.job()).isEqualTo("j-12");
    assertThat(ok.outcome()).isEqualTo("ok");
    assertThat(ok.value().textValue()).isEqualTo("Daebug demo");
    assertThat(ok.durationMs()).isEqualTo(3.2);
    assertThat(ok.queuedMs()).isEqualTo(0.4);
    assertThat(ok.late()).isNull();

    FromBroker.Result failed = (FromBroker.Result) decode(fixture("result-error"));
    assertThat(failed.error()).isEqualTo(new FromBroker.ErrorInfo("TypeError", "x is not a function",
        "TypeError: x is not a function\n    at <anonymous>:1:1"));
    assertThat(failed.value()).isNull();

    assertThat(decode(fixture("event"))).isEqualTo(
        new FromBroker.Event("7-zen-1201-03", "j-12", "log", 1764065472123L, "loaded 3 widgets"));
    assertThat(decode(fixture("error"))).isEqualTo(new FromBroker.Error("c-1", "unknown-realm",
        "no realm named 'x'; live realms: 7-zen-1201-03"));
    assertThat(decode(fixture("queued"))).isEqualTo(new FromBroker.Queued("c-1", "j-12", "7-zen-1201-03", 0));
    assertThat(((FromBroker.RealmChanged) decode(fixture("realm"))).realm().state()).isEqualTo("gone");
  }

  @Test
  void everyClientMessageEncodesLikeItsFixture() throws Exception {
    Map<String, ToBroker> messages = Map.of(
        "hello", new ToBroker.Hello("ci-script", 1),
        "submit", new ToBroker.Submit("c-1", "7-zen-1201-03", "document.title", null, 5000L),
        "cancel", ToBroker.Cancel.byJob("j-12"),
        "watch", new ToBroker.Watch("*", true),
        "unwatch", new ToBroker.Unwatch("7-zen-1201-03"),
        "list", new ToBroker.ListRealms());
    for (Map.Entry<String, ToBroker> e : messages.entrySet()) {
      JsonNode expected = codec.mapper().readTree(fixture(e.getKey()));
      assertThat(codec.mapper().readTree(codec.encode(e.getValue()))).as(e.getKey()).isEqualTo(expected);
    }
    assertThat(messages.values().stream().<Class<?>>map(Object::getClass).distinct().toList())
        .containsExactlyInAnyOrder(permits(ToBroker.class));
  }

  @Test
  void typeComesFirstAndNullsAreLeftOut() {
    assertThat(codec.encode(ToBroker.Cancel.byRef("c-9"))).isEqualTo("{\"type\":\"cancel\",\"ref\":\"c-9\"}");
    assertThat(codec.encode(new ToBroker.Submit("c-1", "r", "1+1", "javascript", null)))
        .isEqualTo("{\"type\":\"submit\",\"ref\":\"c-1\",\"realm\":\"r\",\"code\":\"1+1\",\"language\":\"javascript\"}");
  }

  @Test
  void unknownTypesAndFieldsAreIgnored() throws Exception {
    assertThat(codec.decode("{\"type\":\"telemetry\",\"x\":1}")).isEmpty();
    FromBroker.Queued q = (FromBroker.Queued) decode(
        "{\"type\":\"queued\",\"ref\":\"c-1\",\"job\":\"j-1\",\"realm\":\"r\",\"ahead\":3,\"priority\":\"high\"}");
    assertThat(q.ahead()).isEqualTo(3);
  }

  @Test
  void valuesKeepTheirExactDigitsAndJsonNull() throws Exception {
    FromBroker.Result r = (FromBroker.Result) decode(
        "{\"type\":\"result\",\"ref\":\"c-1\",\"job\":\"j-1\",\"outcome\":\"ok\",\"value\":{\"a\":0.1000,\"b\":12345678901234567890}}");
    assertThat(r.value().get("a").decimalValue().toPlainString()).isEqualTo("0.1000");
    assertThat(r.value().get("b").bigIntegerValue().toString()).isEqualTo("12345678901234567890");
    FromBroker.Result nul = (FromBroker.Result) decode(
        "{\"type\":\"result\",\"ref\":\"c-1\",\"job\":\"j-1\",\"outcome\":\"ok\",\"value\":null}");
    assertThat(nul.value()).isNotNull();
    assertThat(nul.value().isNull()).isTrue();
  }

  @Test
  void framesThatAreNotMessagesAreRefused() {
    assertThatThrownBy(() -> codec.decode("not json")).isInstanceOf(ControlCodec.BadFrameException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> codec.decode("[1,2]")).isInstanceOf(ControlCodec.BadFrameException.class);
    assertThatThrownBy(() -> codec.decode("{\"kind\":\"welcome\"}")).isInstanceOf(ControlCodec.BadFrameException.class);
    assertThatThrownBy(() -> codec.decode("{\"type\":\"queued\",\"ahead\":\"many\"}"))
        .isInstanceOf(ControlCodec.BadFrameException.class).hasMessageContaining("bad queued frame");
  }

  private static Class<?>[] permits(Class<?> sealed) {
    return sealed.getPermittedSubclasses();
  }
}

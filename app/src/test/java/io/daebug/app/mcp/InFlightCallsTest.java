package io.daebug.app.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final InFlightCalls calls = new InFlightCalls();

  private static String toolCall(Object id, String meta) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"run\","
        + "\"arguments\":{\"realm\":\"a\",\"code\":\"1\"}" + (meta == null ? "" : ",\"_meta\":" + meta) + "}}";
  }

  private static String cancelled(Object id, String reason) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + id
        + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}}";
  }

  private String keyOf(String session, String message) throws IOException {
    JsonNode tapped = JSON.readTree(calls.inbound(session, message));
    return tapped.path("params").path("_meta").path(InFlightCalls.META_KEY).asText(null);
  }

  @Test
  void aToolCallCarriesItsKeyToItsHandlerAndOtherMessagesPassUntouched() throws IOException {
    assertThat(keyOf("s1", toolCall("\"abc-0\"", null))).isEqualTo("s1#\"abc-0\"");
    assertThat(keyOf("s1", toolCall(7, "{\"progressToken\":3}"))).isEqualTo("s1#7");
    assertThat(JSON.readTree(calls.inbound("s1", toolCall(7, "{\"progressToken\":3}"))).at("/params/_meta/progressToken")
        .asInt()).isEqualTo(3);
    // A client cannot choose another call's key: whatever it put there is replaced.
    assertThat(keyOf("s1", toolCall(8, "{\"io.daebug/call\":\"s2#1\"}"))).isEqualTo("s1#8");
    String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
    assertThat(calls.inbound("s1", list)).isSameAs(list);
    assertThat(calls.inbound("s1", "{not json tools/call")).isEqualTo("{not json tools/call");
  }

  @Test
  void aCancellationWithdrawsItsOwnCallOnceAndIsNotPassedOn() throws IOException {
    AtomicInteger withdrawn = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    InFlightCalls.Call call = calls.open(keyOf("s1", toolCall(5, null)), withdrawn::incrementAndGet);
    InFlightCalls.Call numberSeven = calls.open(keyOf("s1", toolCall(7, null)), other::incrementAndGet);
    InFlightCalls.Call otherSession = calls.open(keyOf("s2", toolCall(5, null)), other::incrementAndGet);
    assertThat(call.withdrawn()).isNull();

    assertThat(calls.inbound("s1", cancelled(5, "user pressed Esc"))).isNull();
    assertThat(calls.inbound("s1", cancelled(5, "again"))).isNull();
    assertThat(calls.inbound("s1", cancelled("\"7\"", null))).isNull(); // the string "7" is not the number 7

    assertThat(withdrawn).hasValue(1);
    assertThat(call.withdrawn()).isEqualTo("user pressed Esc");
    assertThat(other).hasValue(0);
    assertThat(numberSeven.withdrawn()).isNull();
    assertThat(otherSession.withdrawn()).isNull();
    call.close();
    numberSeven.close();
    otherSession.close();
    assertThat(calls.openCalls()).isZero();
  }

  @Test
  void aCancellationThatOvertakesItsCallWithdrawsItWhenItOpens() throws IOException {
    String key = keyOf("s1", toolCall(9, null));
    assertThat(calls.inbound("s1", cancelled(9, null))).isNull();
    AtomicInteger withdrawn = new AtomicInteger();
    try (InFlightCalls.Call call = calls.open(key, withdrawn::incrementAndGet)) {
      assertThat(withdrawn).hasValue(1);
      assertThat(call.withdrawn()).isEqualTo("no reason given");
    }
    assertThat(calls.openCalls()).isZero();
  }

  @Test
  void aCallWithoutAKeyCannotBeCancelled() {
    AtomicInteger withdrawn = new AtomicInteger();
    try (InFlightCalls.Call call = calls.open(null, withdrawn::incrementAndGet)) {
      assertThat(calls.inbound("s1", cancelled("null", null))).isNull();
      assertThat(call.withdrawn()).isNull();
    }
    assertThat(withdrawn).hasValue(0);
  }

  @Test
  void theStdioInputHandsOnEachTappedLineAndDropsCancellations() throws IOException {
    String in = toolCall(1, null) + "\n" + cancelled(1, "x") + "\n{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}";
    String out = read(new TappedInput(new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
        line -> calls.inbound("stdio", line), 1 << 20));
    String[] lines = out.split("\n", -1);
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines[0]).at("/params/_meta/io.daebug~1call").asText()).isEqualTo("stdio#1");
    assertThat(lines[1]).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}");
  }

  @Test
  void aLineOverTheLimitIsHandedOnUntouched() throws IOException {
    String big = toolCall(2, null).replace("\"1\"", "\"" + "9".repeat(5000) + "\"");
    String in = big + "\n" + toolCall(3, null) + "\n";
    String out = read(new TappedInput(new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)),
        line -> calls.inbound("stdio", line), 1000));
    String[] lines = out.split("\n", -1);
    assertThat(lines[0]).isEqualTo(big);
    assertThat(lines[1]).contains("stdio#3");
    assertThat(lines[2]).isEmpty();
  }

  private static String read(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[7]; // small reads cross line boundaries
    int n;
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    while ((n = in.read(buf)) >= 0) {
      all.write(buf, 0, n);
    }
    sb.append(all.toString(StandardCharsets.UTF_8));
    return sb.toString();
  }
}

package io.daebug.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed accessors, special values and display text of results (docs/protocol.md "Values"). */
class JobResultTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static JobResult ok(String valueJson) {
    try {
      JsonNode value = valueJson == null ? null : JSON.readTree(valueJson);
      return new JobResult("j-1", "r", JobOutcome.OK, value, null, Duration.ofMillis(3), Duration.ZERO, List.of());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void plainJsonIsShownAsJsonStringifyWithTwoSpaces() {
    assertThat(ok("\"Daebug demo\"").display()).isEqualTo("\"Daebug demo\"");
    assertThat(ok("{\"a\":[1,2.5,{}],\"b\":null,\"c\":[]}").display())
        .isEqualTo("{\n  \"a\": [\n    1,\n    2.5,\n    {}\n  ],\n  \"b\": null,\n  \"c\": []\n}");
    assertThat(ok("\"line\\nbreak \\\"q\\\"\"").display()).isEqualTo("\"line\\nbreak \\\"q\\\"\"");
    assertThat(ok("1e21").display()).isEqualTo("1e+21");
  }

  @Test
  void specialsAreShownInConsoleNotation() {
    assertThat(ok("{\"$daebug\":\"undefined\"}").display()).isEqualTo("undefined");
    assertThat(ok("{\"$daebug\":\"number\",\"repr\":\"-Infinity\"}").display()).isEqualTo("-Infinity");
    assertThat(ok("{\"$daebug\":\"bigint\",\"repr\":\"12\"}").display()).isEqualTo("12n");
    assertThat(ok("{\"$daebug\":\"function\",\"name\":\"foo\",\"class\":false}").display()).isEqualTo("[Function: foo]");
    assertThat(ok("{\"$daebug\":\"function\",\"name\":\"\",\"class\":false}").display())
        .isEqualTo("[Function (anonymous)]");
    assertThat(ok("{\"$daebug\":\"map\",\"size\":1,\"entries\":[[\"a\",{\"$daebug\":\"set\",\"size\":1,\"values\":[1]}]]}")
        .display()).isEqualTo("Map(1) { 'a' => Set(1) { 1 } }");
    assertThat(ok("{\"a\":{\"$daebug\":\"circular\",\"path\":\"~\"},\"b-c\":[{\"$daebug\":\"hole\"},2]}").display())
        .isEqualTo("{ a: [Circular ~], 'b-c': [ <1 empty item>, 2 ] }");
    assertThat(ok("{\"$daebug\":\"object\",\"class\":\"Point\",\"entries\":{\"x\":1,\"y\":2}}").display())
        .isEqualTo("Point { x: 1, y: 2 }");
    assertThat(ok("{\"$daebug\":\"date\",\"iso\":\"2026-11-25T10:11:12.000Z\"}").display())
        .isEqualTo("2026-11-25T10:11:12.000Z");
    assertThat(ok("{\"$daebug\":\"node\",\"repr\":\"<div id=\\\"app\\\">\"}").display()).isEqualTo("<div id=\"app\">");
    assertThat(ok("{\"$daebug\":\"typedarray\",\"class\":\"Uint8Array\",\"size\":3,\"values\":[1,2,3]}").display())
        .isEqualTo("Uint8Array(3) [ 1, 2, 3 ]");
    assertThat(ok("{\"$daebug\":\"error\",\"name\":\"TypeError\",\"message\":\"boom\",\"stack\":\"TypeError: boom\\n    at x\"}")
        .display()).isEqualTo("TypeError: boom\n    at x");
    assertThat(ok("{\"$daebug\":\"newkind\",\"repr\":\"<thing>\"}").display()).isEqualTo("<thing>");
    assertThat(ok("{\"$daebug\":\"newkind\",\"x\":1}").display()).isEqualTo("{\"$daebug\":\"newkind\",\"x\":1}");
  }

  @Test
  void undefinedIsRecognisedWithOrWithoutAValue() {
    assertThat(ok("{\"$daebug\":\"undefined\"}").isUndefined()).isTrue();
    assertThat(ok(null).isUndefined()).isTrue();
    assertThat(ok(null).display()).isEqualTo("undefined");
    assertThat(ok("null").isUndefined()).isFalse();
    assertThat(ok("null").isNull()).isTrue();
    assertThat(ok("0").isUndefined()).isFalse();
  }

  @Test
  void specialViewGivesKindReprAndNode() {
    SpecialValue nan = ok("{\"$daebug\":\"number\",\"repr\":\"NaN\"}").special().orElseThrow();
    assertThat(nan.kind()).isEqualTo("number");
    assertThat(nan.repr()).isEqualTo("NaN");
    assertThat(nan.node().path("repr").asText()).isEqualTo("NaN");
    assertThat(ok("{\"a\":1}").special()).isEmpty();
    assertThat(ok("{\"a\":{\"$daebug\":\"undefined\"}}").special()).as("only the root counts").isEmpty();
  }

  @Test
  void typedAccessors() {
    assertThat(ok("\"hi\"").asText()).isEqualTo("hi");
    assertThat(ok("[1]").asText()).isEqualTo("[\n  1\n]");
    assertThat(ok("42").asInt()).isEqualTo(42);
    assertThat(ok("42.0").asInt()).isEqualTo(42);
    assertThat(ok("9007199254740993").asLong()).isEqualTo(9007199254740993L);
    assertThat(ok("0.5").asDouble()).isEqualTo(0.5);
    assertThat(ok("{\"$daebug\":\"number\",\"repr\":\"NaN\"}").asDouble()).isNaN();
    assertThat(ok("{\"$daebug\":\"number\",\"repr\":\"-0\"}").asDouble()).isEqualTo(-0.0);
    assertThat(ok("true").asBoolean()).isTrue();
    assertThatThrownBy(() -> ok("2.5").asInt()).isInstanceOf(IllegalStateException.class).hasMessageContaining("2.5");
    assertThatThrownBy(() -> ok("3000000000").asInt()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ok("\"1\"").asInt()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ok("1").asBoolean()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void failedResultsHaveAnErrorAndNoValue() {
    JobResult r = new JobResult("j-2", "r", JobOutcome.ERROR, null,
        new JobError("TypeError", "x is not a function", "TypeError: x is not a function\n    at <anonymous>:1:1"),
        Duration.ofMillis(1), Duration.ZERO, List.of());
    assertThat(r.value().isMissingNode()).isTrue();
    assertThat(r.isUndefined()).isFalse();
    assertThat(r.display()).isEqualTo("TypeError: x is not a function\n    at <anonymous>:1:1");
    assertThatThrownBy(r::asText).isInstanceOf(IllegalStateException.class).hasMessageContaining("ended with error");
    JobResult noError = new JobResult("j-3", "r", JobOutcome.FAILED, null, null, Duration.ZERO, Duration.ZERO, List.of());
    assertThat(noError.error().name()).isEqualTo("failed");
  }

  @Test
  void errorDisplayMatchesTheJournal() {
    assertThat(new JobError("Timeout", "job timed out after 5000ms", null).display())
        .isEqualTo("Timeout: job timed out after 5000ms");
    assertThat(new JobError("Error", "boom", "    at foo (x.js:1)").display()).isEqualTo("Error: boom\n    at foo (x.js:1)");
  }

  @Test
  void outcomesFromTheWire() {
    assertThat(JobOutcome.fromWire("cancelled")).isEqualTo(JobOutcome.CANCELLED);
    assertThat(JobOutcome.fromWire("exploded")).isEqualTo(JobOutcome.UNKNOWN);
    assertThat(JobOutcome.fromWire(null)).isEqualTo(JobOutcome.UNKNOWN);
    assertThat(JobOutcome.TIMEOUT.wire()).isEqualTo("timeout");
  }
}

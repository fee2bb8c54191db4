package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Python realms' values. Each input is what client-python's {@code daebug.values.encode(X)} sends; each expected
 * text is what Python 3.11's {@code repr(X)} printed on the build machine (cycles and capped containers aside,
 * see {@link PythonNotation}).
 */
class PythonNotationTest {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static ValueRenderer.Rendered render(String json) throws Exception {
    return ValueRenderer.render(MAPPER.readTree(json), "python");
  }

  static Stream<Arguments> reprs() {
    return Stream.of(
        Arguments.of("{\"$daebug\":\"tuple\",\"values\":[1,\"a\"]}", "(1, 'a')"),
        Arguments.of("{\"$daebug\":\"tuple\",\"values\":[1]}", "(1,)"),
        Arguments.of("{\"$daebug\":\"tuple\",\"values\":[]}", "()"),
        Arguments.of("{\"$daebug\":\"set\",\"class\":\"set\",\"size\":2,\"values\":[1,2]}", "{1, 2}"),
        Arguments.of("{\"$daebug\":\"set\",\"class\":\"set\",\"size\":0,\"values\":[]}", "set()"),
        Arguments.of("{\"$daebug\":\"set\",\"class\":\"frozenset\",\"size\":1,\"values\":[3]}", "frozenset({3})"),
        Arguments.of("{\"$daebug\":\"set\",\"class\":\"frozenset\",\"size\":0,\"values\":[]}", "frozenset()"),
        Arguments.of("{\"$daebug\":\"map\",\"class\":\"dict\",\"size\":2,\"entries\":[[1,\"a\"],[\"b\",null]]}",
            "{1: 'a', 'b': None}"),
        Arguments.of("[1.0,{\"$daebug\":\"number\",\"repr\":\"nan\"},{\"$daebug\":\"number\",\"repr\":\"-inf\"},"
            + "{\"$daebug\":\"number\",\"repr\":\"-0.0\"}]", "[1.0, nan, -inf, -0.0]"),
        Arguments.of("{\"k\":{\"$daebug\":\"tuple\",\"values\":[true,null]}}", "{'k': (True, None)}"),
        Arguments.of("{\"$daebug\":\"bytes\",\"class\":\"bytes\",\"size\":3,\"repr\":\"b'\\\\x00ab'\"}", "b'\\x00ab'"),
        Arguments.of("{\"$daebug\":\"decimal\",\"value\":\"1.10\",\"repr\":\"Decimal('1.10')\"}", "Decimal('1.10')"),
        Arguments.of("{\"$daebug\":\"date\",\"class\":\"date\",\"iso\":\"2026-11-25\","
            + "\"repr\":\"datetime.date(2026, 11, 25)\"}", "datetime.date(2026, 11, 25)"),
        Arguments.of("{\"$daebug\":\"object\",\"class\":\"Point\",\"entries\":{\"x\":1,\"y\":2.5}}",
            "Point(x=1, y=2.5)"),
        Arguments.of("[{\"$daebug\":\"tuple\",\"values\":[]},\"it's\",\"say \\\"hi\\\"\",\"both '\\\"\","
            + "\"tab\\there\\n\",\"\\u007f\\u2028\\u00e9\"]",
            "[(), \"it's\", 'say \"hi\"', 'both \\'\"', 'tab\\there\\n', '\\x7f\\u2028\u00e9']"),
        Arguments.of("[1,{\"$daebug\":\"circular\",\"path\":\"~\"}]", "[1, [Circular ~]]"),
        Arguments.of("[0,{\"$daebug\":\"truncated\",\"repr\":\"... 5 more items\"}]", "[0, ... 5 more items]"),
        Arguments.of("{\"$daebug\":\"error\",\"name\":\"ValueError\",\"message\":\"x\",\"repr\":\"ValueError('x')\"}",
            "ValueError('x')"),
        Arguments.of("{\"$daebug\":\"unreadable\",\"repr\":\"[repr() raised ValueError: boom]\"}",
            "[repr() raised ValueError: boom]"));
  }

  @ParameterizedTest
  @MethodSource("reprs")
  void printsWhatReprPrints(String wire, String expected) throws Exception {
    ValueRenderer.Rendered r = render(wire);
    assertThat(r.language()).isEqualTo("Text");
    assertThat(r.text()).isEqualTo(expected);
  }

  @Test
  void jsonValuesStayJsonWithPythonFloats() throws Exception {
    assertThat(render("[1.0,1e+16,1e-05,0.0001,123.456,-2.5e-300,1180591620717411303424]"))
        .isEqualTo(new ValueRenderer.Rendered("JSON",
            "[\n  1.0,\n  1e+16,\n  1e-05,\n  0.0001,\n  123.456,\n  -2.5e-300,\n  1180591620717411303424\n]"));
    assertThat(render("{\"a\":true,\"b\":null}").text()).isEqualTo("{\n  \"a\": true,\n  \"b\": null\n}");
  }

  @Test
  void noValueIsNone() throws Exception {
    assertThat(render("null")).isEqualTo(new ValueRenderer.Rendered("Text", "None"));
    assertThat(ValueRenderer.render(MissingNode.getInstance(), "python").text()).isEqualTo("None");
  }

  @Test
  void aTopLevelErrorPrintsItsTraceback() throws Exception {
    String stack = "Traceback (most recent call last):\\n  File \\\"<job j-1>\\\", line 1, in <module>\\nValueError: x";
    assertThat(render("{\"$daebug\":\"error\",\"name\":\"ValueError\",\"message\":\"x\",\"repr\":\"ValueError('x')\","
        + "\"stack\":\"" + stack + "\"}").text()).startsWith("Traceback").endsWith("\nValueError: x");
  }

  @Test
  void longContainersBreakOneEntryPerLine() throws Exception {
    String json = "{\"$daebug\":\"tuple\",\"values\":[\"" + "a".repeat(40) + "\",[\"" + "b".repeat(40) + "\"]]}";
    assertThat(render(json).text()).isEqualTo("(\n    '" + "a".repeat(40) + "',\n    ['" + "b".repeat(40) + "']\n)");
  }

  @Test
  void otherLanguagesKeepJavaScriptNotation() throws Exception {
    JsonNode nan = MAPPER.readTree("{\"$daebug\":\"number\",\"repr\":\"NaN\"}");
    assertThat(ValueRenderer.render(nan, "javascript").text()).isEqualTo("NaN");
    assertThat(ValueRenderer.render(MAPPER.readTree("[1.0]"), "java").text()).isEqualTo("[\n  1\n]");
  }

  @Test
  void pythonFencesRunInPythonRealms() {
    assertThat(JournalFormat.isRunnable("python", "python")).isTrue();
    assertThat(JournalFormat.isRunnable("py", "python")).isTrue();
    assertThat(JournalFormat.isRunnable("PY", "python")).isTrue();
    assertThat(JournalFormat.isRunnable("js", "python")).isFalse();
    assertThat(JournalFormat.isRunnable("", "python")).isFalse();
    assertThat(JournalFormat.isRunnable("py", "javascript")).isFalse();
    assertThat(JournalFormat.prompt("python")).isEqualTo("> Append your Python snippet below to execute against this realm.");
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The mapper matches the broker's: exact decimals. ({@code JsonNodeFactory.withExactBigDecimals}
 * is deprecated in Jackson 2.23, so the equivalent {@code JsonNodeFeature} is used.) Expected
 * strings marked "node:" were printed by Node v20 on the build machine, either by {@code
 * JSON.stringify(X, null, 2)} or by {@code require('util').inspect(X)}; the input is the wire
 * encoding of X (docs/protocol.md "Values").
 */
class ValueRendererTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("bad test input: " + json, e);
    }
  }

  private static String json(String input) {
    ValueRenderer.Rendered r = ValueRenderer.render(parse(input));
    assertThat(r.language()).as("language for %s", input).isEqualTo("JSON");
    return r.text();
  }

  private static String text(String input) {
    ValueRenderer.Rendered r = ValueRenderer.render(parse(input));
    assertThat(r.language()).as("language for %s", input).isEqualTo("Text");
    return r.text();
  }

  @Nested
  class JsonMode {
    @Test
    void scalarsPrintAsJsonStringifyDoes() {
      assertThat(json("\"Daebug demo\"")).isEqualTo("\"Daebug demo\"");
      assertThat(json("2")).isEqualTo("2");
      assertThat(json("-5")).isEqualTo("-5");
      assertThat(json("null")).isEqualTo("null");
      assertThat(json("true")).isEqualTo("true");
      assertThat(json("false")).isEqualTo("false");
      assertThat(json("{}")).isEqualTo("{}");
      assertThat(json("[]")).isEqualTo("[]");
    }

    @Test
    void nestedContainersUseTwoSpaceIndentation() {
      // node: JSON.stringify({a:1,b:[1,{c:null,d:true}],e:"x"}, null, 2)
      assertThat(json("{\"a\":1,\"b\":[1,{\"c\":null,\"d\":true}],\"e\":\"x\"}"))
          .isEqualTo(
              "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    {\n      \"c\": null,\n      \"d\": true\n"
                  + "    }\n  ],\n  \"e\": \"x\"\n}");
    }

    @Test
    void numbersPrintAsJavaScriptDoes() {
      // node: the array below, as JSON.stringify prints it compactly and with (null, 2).
      String input =
          "[0.1,1e+21,1.5e-7,0.000001,123456789012345680000,-5,0,1e-7,1.23e-18,9007199254740994,"
              + "1.7976931348623157e+308,5e-324,100,100000000000000000000,0.5,-1.25e-10]";
      assertThat(json(input))
          .isEqualTo(
              "[\n  0.1,\n  1e+21,\n  1.5e-7,\n  0.000001,\n  123456789012345680000,\n  -5,\n  0,\n"
                  + "  1e-7,\n  1.23e-18,\n  9007199254740994,\n  1.7976931348623157e+308,\n"
                  + "  5e-324,\n  100,\n  100000000000000000000,\n  0.5,\n  -1.25e-10\n]");
    }

    @Test
    void stringsAreEscapedAsJsonStringifyDoes() {
      // node: v = ["a\"b\\c\n\r\t\b\f\u0001\u001f\u007f é 😀 \ud800 x \udc00",
      //   {"k y":{}, "e":[]}]
      String input =
          "[\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\u007f é 😀 \\ud800 x \\udc00\","
              + "{\"k y\":{},\"e\":[]}]";
      assertThat(json(input))
          .isEqualTo(
              "[\n  \"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\u007f é 😀 \\ud800 x \\udc00\",\n"
                  + "  {\n    \"k y\": {},\n    \"e\": []\n  }\n]");
    }

    @Test
    void nonAsciiIsWrittenAsIs() {
      // node: JSON.stringify({"日本":"語 😀","a\"b":"\u2028"}, null, 2)
      assertThat(json("{\"日本\":\"語 😀\",\"a\\\"b\":\"\u2028\"}"))
          .isEqualTo("{\n  \"日本\": \"語 😀\",\n  \"a\\\"b\": \"\u2028\"\n}");
    }

    @Test
    void aDollarDaebugKeyAnywhereSwitchesToText() {
      String deep = "[[[{\"a\":{\"$daebug\":\"undefined\"}}]]]";
      assertThat(ValueRenderer.render(parse(deep)).language()).isEqualTo("Text");
      String lookalike = "[[[{\"a\":{\"daebug\":\"undefined\"}}]]]";
      assertThat(ValueRenderer.render(parse(lookalike)).language()).isEqualTo("JSON");
    }
  }

  @Nested
  class Numbers {
    @ParameterizedTest
    @CsvSource({
      "0.1, 0.1",
      "1e21, 1e+21",
      "1E+21, 1e+21",
      "1.5e-7, 1.5e-7",
      "0.000001, 0.000001",
      "0.0000001, 1e-7",
      "123456789012345680000, 123456789012345680000",
      "1.2345678901234568e20, 123456789012345680000",
      "999999999999999900000, 999999999999999900000",
      "1.0, 1",
      "12.50, 12.5",
      "1e2, 100",
      "-0.0, 0",
      "-1.25e-10, -1.25e-10",
      "123.456, 123.456",
      "-5, -5",
      "0, 0",
      "12345678901234567890123, 1.2345678901234567890123e+22",
      "1e400, 1e+400",
    })
    void decimalDigitsFollowNumberToString(String wire, String expected) {
      assertThat(ValueRenderer.formatNumber(parse(wire))).isEqualTo(expected);
    }

    @Test
    void everyNumberNodeTypeIsHandled() {
      assertThat(ValueRenderer.formatNumber(IntNode.valueOf(-7))).isEqualTo("-7");
      assertThat(ValueRenderer.formatNumber(LongNode.valueOf(9007199254740993L)))
          .isEqualTo("9007199254740993");
      assertThat(ValueRenderer.formatNumber(BigIntegerNode.valueOf(BigInteger.TEN.pow(21))))
          .isEqualTo("1e+21");
      assertThat(ValueRenderer.formatNumber(DoubleNode.valueOf(0.1))).isEqualTo("0.1");
      assertThat(ValueRenderer.formatNumber(DoubleNode.valueOf(1e21))).isEqualTo("1e+21");
      assertThat(ValueRenderer.formatNumber(DoubleNode.valueOf(-0.0))).isEqualTo("0");
      assertThat(ValueRenderer.formatNumber(DoubleNode.valueOf(Double.NaN))).isEqualTo("NaN");
      assertThat(ValueRenderer.formatNumber(DoubleNode.valueOf(Double.NEGATIVE_INFINITY)))
          .isEqualTo("-Infinity");
      assertThat(ValueRenderer.formatNumber(FloatNode.valueOf(0.5f))).isEqualTo("0.5");
      assertThat(ValueRenderer.formatDecimal(new BigDecimal("-2.50E-3"))).isEqualTo("-0.0025");
    }
  }

  @Nested
  class TaggedLeaves {
    @Test
    void undefinedForNullMissingAndTag() {
      assertThat(ValueRenderer.render(null))
          .isEqualTo(new ValueRenderer.Rendered("Text", "undefined"));
      assertThat(ValueRenderer.render(MissingNode.getInstance()).text()).isEqualTo("undefined");
      assertThat(text("{\"$daebug\":\"undefined\"}")).isEqualTo("undefined");
    }

    @Test
    void reprKinds() {
      assertThat(text("{\"$daebug\":\"number\",\"repr\":\"NaN\"}")).isEqualTo("NaN");
      assertThat(text("{\"$daebug\":\"number\",\"repr\":\"-0\"}")).isEqualTo("-0");
      assertThat(text("{\"$daebug\":\"number\",\"repr\":\"-Infinity\"}")).isEqualTo("-Infinity");
      assertThat(text("{\"$daebug\":\"bigint\",\"repr\":\"12\"}")).isEqualTo("12n");
      assertThat(text("{\"$daebug\":\"symbol\",\"repr\":\"Symbol(foo)\"}"))
          .isEqualTo("Symbol(foo)");
      assertThat(text("{\"$daebug\":\"regexp\",\"repr\":\"/a+/g\"}")).isEqualTo("/a+/g");
      assertThat(text("{\"$daebug\":\"node\",\"repr\":\"<div id=\\\"app\\\" class=\\\"x\\\">\"}"))
          .isEqualTo("<div id=\"app\" class=\"x\">");
      assertThat(text("{\"$daebug\":\"opaque\",\"repr\":\"Promise { <pending> }\"}"))
          .isEqualTo("Promise { <pending> }");
      assertThat(text("{\"$daebug\":\"unreadable\",\"repr\":\"[Getter: threw TypeError: no]\"}"))
          .isEqualTo("[Getter: threw TypeError: no]");
      assertThat(text("{\"$daebug\":\"truncated\",\"repr\":\"[Object]\"}")).isEqualTo("[Object]");
      assertThat(text("{\"$daebug\":\"hole\"}")).isEqualTo("<1 empty item>");
    }

    @Test
    void functionsAndClasses() {
      // node: [ [Function: foo], [Function (anonymous)], [class Foo], [class (anonymous)] ]
      assertThat(
              text(
                  "[{\"$daebug\":\"function\",\"name\":\"foo\",\"class\":false},"
                      + "{\"$daebug\":\"function\",\"name\":\"\",\"class\":false},"
                      + "{\"$daebug\":\"function\",\"name\":\"Foo\",\"class\":true},"
                      + "{\"$daebug\":\"function\",\"name\":\"\",\"class\":true}]"))
          .isEqualTo(
              "[\n  [Function: foo],\n  [Function (anonymous)],\n  [class Foo],\n"
                  + "  [class (anonymous)]\n]");
    }

    @Test
    void circularDateAndInvalidDate() {
      assertThat(text("{\"$daebug\":\"circular\",\"path\":\"~.a.b\"}"))
          .isEqualTo("[Circular ~.a.b]");
      assertThat(text("{\"$daebug\":\"date\",\"iso\":\"2026-11-25T10:11:12.000Z\"}"))
          .isEqualTo("2026-11-25T10:11:12.000Z");
      assertThat(text("{\"$daebug\":\"date\",\"iso\":\"Invalid Date\"}")).isEqualTo("Invalid Date");
    }

    @Test
    void scalarsBesideTags() {
      // node: util.inspect([Symbol('foo'), 12n, -0, NaN, -Infinity, Infinity, null, true, false,
      //   /a+/g, new Date(Date.UTC(2026,10,25,10,11,12))])
      String input =
          "[{\"$daebug\":\"symbol\",\"repr\":\"Symbol(foo)\"},{\"$daebug\":\"bigint\",\"repr\":\"12\"},"
              + "{\"$daebug\":\"number\",\"repr\":\"-0\"},{\"$daebug\":\"number\",\"repr\":\"NaN\"},"
              + "{\"$daebug\":\"number\",\"repr\":\"-Infinity\"},"
              + "{\"$daebug\":\"number\",\"repr\":\"Infinity\"},null,true,false,"
              + "{\"$daebug\":\"regexp\",\"repr\":\"/a+/g\"},"
              + "{\"$daebug\":\"date\",\"iso\":\"2026-11-25T10:11:12.000Z\"}]";
      assertThat(text(input))
          .isEqualTo(
              "[\n  Symbol(foo),\n  12n,\n  -0,\n  NaN,\n  -Infinity,\n  Infinity,\n  null,\n"
                  + "  true,\n  false,\n  /a+/g,\n  2026-11-25T10:11:12.000Z\n]");
    }
  }

  @Nested
  class Errors {
    @Test
    void topLevelErrorWithV8StackPrintsTheStack() {
      // node: e = new TypeError('boom'); e.stack = 'TypeError: boom\n    at f (a.js:1:2)'
      assertThat(
              text(
                  "{\"$daebug\":\"error\",\"name\":\"TypeError\",\"message\":\"boom\","
                      + "\"stack\":\"TypeError: boom\\n    at f (a.js:1:2)\"}"))
          .isEqualTo("TypeError: boom\n    at f (a.js:1:2)");
    }

    @Test
    void topLevelErrorWithHeaderlessStackGetsAHeader() {
      // Differs from node, which prints "[f@http://x/y.js:1:2\ng@http://x/y.js:3:4]".
      assertThat(
              text(
                  "{\"$daebug\":\"error\",\"name\":\"RangeError\",\"message\":\"m\","
                      + "\"stack\":\"f@http://x/y.js:1:2\\ng@http://x/y.js:3:4\"}"))
          .isEqualTo("RangeError: m\nf@http://x/y.js:1:2\ng@http://x/y.js:3:4");
    }

    @Test
    void topLevelErrorWithoutStack() {
      assertThat(text("{\"$daebug\":\"error\",\"name\":\"Error\",\"message\":\"m\",\"stack\":\"\"}"))
          .isEqualTo("Error: m");
      assertThat(text("{\"$daebug\":\"error\",\"name\":\"Error\",\"message\":\"\"}"))
          .isEqualTo("Error");
    }

    @Test
    void nestedErrorIsBracketed() {
      // node: util.inspect({e: Object.assign(new TypeError('x is not a function'), {stack: ''})})
      assertThat(
              text(
                  "{\"e\":{\"$daebug\":\"error\",\"name\":\"TypeError\",\"message\":\"x is not a function\","
                      + "\"stack\":\"TypeError: x is not a function\\n    at <anonymous>:1:1\"}}"))
          .isEqualTo("{ e: [TypeError: x is not a function] }");
    }

    @Test
    void nestedMultiLineMessageIsIndentedAndBreaksTheContainer() {
      assertThat(text("[{\"$daebug\":\"error\",\"name\":\"Error\",\"message\":\"bad\\nthing\"}]"))
          .isEqualTo("[\n  [Error: bad\n  thing]\n]");
    }
  }

  @Nested
  class Containers {
    @Test
    void maps() {
      // node: new Map([['a',1],['b',{x:1}]]), new Map()
      assertThat(text("{\"$daebug\":\"map\",\"size\":2,\"entries\":[[\"a\",1],[\"b\",{\"x\":1}]]}"))
          .isEqualTo("Map(2) { 'a' => 1, 'b' => { x: 1 } }");
      assertThat(text("{\"$daebug\":\"map\",\"size\":0,\"entries\":[]}")).isEqualTo("Map(0) {}");
      // node: new Map([[{a:1}, [1,2]], ['k', new Set(['v'])]])
      assertThat(
              text(
                  "{\"$daebug\":\"map\",\"size\":2,\"entries\":[[{\"a\":1},[1,2]],"
                      + "[\"k\",{\"$daebug\":\"set\",\"size\":1,\"values\":[\"v\"]}]]}"))
          .isEqualTo("Map(2) { { a: 1 } => [ 1, 2 ], 'k' => Set(1) { 'v' } }");
    }

    @Test
    void setsAndTypedArrays() {
      assertThat(text("{\"$daebug\":\"set\",\"size\":1,\"values\":[1]}")).isEqualTo("Set(1) { 1 }");
      assertThat(text("{\"$daebug\":\"set\",\"size\":0,\"values\":[]}")).isEqualTo("Set(0) {}");
      assertThat(text("{\"$daebug\":\"typedarray\",\"class\":\"Uint8Array\",\"size\":3,\"values\":[1,2,3]}"))
          .isEqualTo("Uint8Array(3) [ 1, 2, 3 ]");
      assertThat(text("{\"$daebug\":\"typedarray\",\"class\":\"Uint8Array\",\"size\":0,\"values\":[]}"))
          .isEqualTo("Uint8Array(0) []");
      // node: {a: new Int16Array([-1,2]), b: new Float64Array([0.5,NaN])}
      assertThat(
              text(
                  "{\"a\":{\"$daebug\":\"typedarray\",\"class\":\"Int16Array\",\"size\":2,\"values\":[-1,2]},"
                      + "\"b\":{\"$daebug\":\"typedarray\",\"class\":\"Float64Array\",\"size\":2,"
                      + "\"values\":[0.5,{\"$daebug\":\"number\",\"repr\":\"NaN\"}]}}"))
          .isEqualTo("{ a: Int16Array(2) [ -1, 2 ], b: Float64Array(2) [ 0.5, NaN ] }");
    }

    @Test
    void sizeIsTheRealmsEvenWhenValuesWereTruncated() {
      assertThat(
              text(
                  "{\"$daebug\":\"set\",\"size\":7,\"values\":[1,2,"
                      + "{\"$daebug\":\"truncated\",\"repr\":\"... 5 more items\"}]}"))
          .isEqualTo("Set(7) { 1, 2, ... 5 more items }");
    }

    @Test
    void classInstancesAndObjectClass() {
      assertThat(text("{\"$daebug\":\"object\",\"class\":\"Point\",\"entries\":{\"x\":1,\"y\":2}}"))
          .isEqualTo("Point { x: 1, y: 2 }");
      assertThat(text("{\"$daebug\":\"object\",\"class\":\"E\",\"entries\":{}}")).isEqualTo("E {}");
      // A plain object that has its own $daebug key: the key is data, quoted like any other.
      assertThat(
              text(
                  "{\"$daebug\":\"object\",\"class\":\"Object\","
                      + "\"entries\":{\"$daebug\":\"hi\",\"n\":{\"$daebug\":\"undefined\"}}}"))
          .isEqualTo("{ '$daebug': 'hi', n: undefined }");
    }

    @Test
    void holesAreMerged() {
      // node: [1,,,,2,,3] and [,1]
      String hole = "{\"$daebug\":\"hole\"}";
      assertThat(text("[1," + hole + "," + hole + "," + hole + ",2," + hole + ",3]"))
          .isEqualTo("[ 1, <3 empty items>, 2, <1 empty item>, 3 ]");
      assertThat(text("[" + hole + ",1]")).isEqualTo("[ <1 empty item>, 1 ]");
      assertThat(text("[1," + hole + "," + hole + "]")).isEqualTo("[ 1, <2 empty items> ]");
    }

    @Test
    void plainJsonAroundATagIsShownInConsoleNotation() {
      // node: [ undefined, Set(1) { [ 1, 2 ] }, Map(0) {} ] and { a: 1, b: undefined }
      assertThat(
              text(
                  "[{\"$daebug\":\"undefined\"},{\"$daebug\":\"set\",\"size\":1,\"values\":[[1,2]]},"
                      + "{\"$daebug\":\"map\",\"size\":0,\"entries\":[]}]"))
          .isEqualTo("[ undefined, Set(1) { [ 1, 2 ] }, Map(0) {} ]");
      assertThat(text("{\"a\":1,\"b\":{\"$daebug\":\"undefined\"}}"))
          .isEqualTo("{ a: 1, b: undefined }");
      assertThat(text("{\"a\":[],\"b\":{},\"c\":{\"$daebug\":\"undefined\"}}"))
          .isEqualTo("{ a: [], b: {}, c: undefined }");
    }

    @Test
    void nestedNumbersUseNumberToString() {
      // node: [0.1, 1e21, 1.5e-7, 0.000001, 123456789012345680000, -5, 0, undefined]
      assertThat(text("[0.1,1e+21,1.5e-7,0.000001,123456789012345680000,-5,0,{\"$daebug\":\"undefined\"}]"))
          .isEqualTo(
              "[\n  0.1,\n  1e+21,\n  1.5e-7,\n  0.000001,\n  123456789012345680000,\n  -5,\n  0,\n"
                  + "  undefined\n]");
    }
  }

  @Nested
  class StringsAndKeys {
    private static final String UNDEF = "{\"$daebug\":\"undefined\"}";

    @Test
    void keysAreQuotedUnlessIdentifiers() {
      // node: {a:1,'odd-key':'str',$x:1,_y:2,'1a':3,"it's":4,'é':5,b:undefined}
      assertThat(
              text(
                  "{\"a\":1,\"odd-key\":\"str\",\"$x\":1,\"_y\":2,\"1a\":3,\"it's\":4,\"é\":5,\"b\":"
                      + UNDEF
                      + "}"))
          .isEqualTo(
              "{\n  a: 1,\n  'odd-key': 'str',\n  '$x': 1,\n  _y: 2,\n  '1a': 3,\n  \"it's\": 4,\n"
                  + "  'é': 5,\n  b: undefined\n}");
    }

    @Test
    void stringsPickQuotesAndEscapeAsNodeDoes() {
      // node: ["it's", 'say "hi"', `both ' and "`, 'all \' " `', 'dollar \' " ${x}',
      //   'nl\nx\\y\ttab', '\x00\x07\x0b\x1b\x7f\x85\x9f\xa0', 'lone \ud800 \udc00 ok 😀', 'é',
      //   undefined]
      String input =
          "[\"it's\",\"say \\\"hi\\\"\",\"both ' and \\\"\",\"all ' \\\" `\",\"dollar ' \\\" ${x}\","
              + "\"nl\\nx\\\\y\\ttab\",\"\\u0000\\u0007\\u000b\\u001b\\u007f\\u0085\\u009f\\u00a0\","
              + "\"lone \\ud800 \\udc00 ok 😀\",\"é\","
              + UNDEF
              + "]";
      assertThat(text(input))
          .isEqualTo(
              "[\n  \"it's\",\n  'say \"hi\"',\n  `both ' and \"`,\n  'all \\' \" `',\n"
                  + "  'dollar \\' \" ${x}',\n  'nl\\nx\\\\y\\ttab',\n"
                  + "  '\\x00\\x07\\x0B\\x1B\\x7F\\x85\\x9F\u00a0',\n  'lone \\ud800 \\udc00 ok 😀',\n"
                  + "  'é',\n  undefined\n]");
    }

    @Test
    void unicodeIsWrittenAsIs() {
      // node: {'日本':'語', emoji:'😀', u:undefined}
      assertThat(text("{\"日本\":\"語\",\"emoji\":\"😀\",\"u\":" + UNDEF + "}"))
          .isEqualTo("{ '日本': '語', emoji: '😀', u: undefined }");
    }
  }

  @Nested
  class LineBreaking {
    private static final String UNDEF = "{\"$daebug\":\"undefined\"}";

    private String x(int n) {
      return "x".repeat(n);
    }

    @Test
    void shortContainersStayOnOneLine() {
      // node: {a:undefined, b:[1,2,3], c:new Map([['k','v']])}
      String input =
          "{\"a\":" + UNDEF + ",\"b\":[1,2,3],\"c\":{\"$daebug\":\"map\",\"size\":1,\"entries\":[[\"k\",\"v\"]]}";
      assertThat(text(input + "}"))
          .isEqualTo("{ a: undefined, b: [ 1, 2, 3 ], c: Map(1) { 'k' => 'v' } }");
      // node: the same plus d: 'x'.repeat(35)
      assertThat(text(input + ",\"d\":\"" + x(35) + "\"}"))
          .isEqualTo(
              """
              {
                a: undefined,
                b: [ 1, 2, 3 ],
                c: Map(1) { 'k' => 'v' },
                d: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
              }""");
    }

    @Test
    void seventyOneColumnsFitSeventyTwoBreak() {
      // node: {a:'x'.repeat(48), b:undefined} is 71 wide; repeat(49) is 72 wide and breaks.
      String fits = text("{\"a\":\"" + x(48) + "\",\"b\":" + UNDEF + "}");
      assertThat(fits).isEqualTo("{ a: '" + x(48) + "', b: undefined }").hasSize(71);
      assertThat(text("{\"a\":\"" + x(49) + "\",\"b\":" + UNDEF + "}"))
          .isEqualTo("{\n  a: '" + x(49) + "',\n  b: undefined\n}");
    }

    @Test
    void nestingIndentationCountsTowardsTheWidth() {
      // node: {k:{a:'x'.repeat(46), b:undefined}, z:'z'.repeat(60)} and repeat(47)
      String zs = "z".repeat(60);
      String z = ",\"z\":\"" + zs + "\"}";
      assertThat(text("{\"k\":{\"a\":\"" + x(46) + "\",\"b\":" + UNDEF + "}" + z))
          .isEqualTo("{\n  k: { a: '" + x(46) + "', b: undefined },\n  z: '" + zs + "'\n}");
      assertThat(text("{\"k\":{\"a\":\"" + x(47) + "\",\"b\":" + UNDEF + "}" + z))
          .isEqualTo(
              "{\n  k: {\n    a: '" + x(47) + "',\n    b: undefined\n  },\n  z: '" + zs + "'\n}");
    }

    @Test
    void multiLineEntryBreaksEveryEnclosingContainer() {
      // node: {list: [{name:'alpha', value:'a'.repeat(30)}, {name:'beta', value:'b'.repeat(30)}],
      //   u: undefined}
      String a = "a".repeat(30);
      String b = "b".repeat(30);
      assertThat(
              text(
                  "{\"list\":[{\"name\":\"alpha\",\"value\":\"" + a + "\"},{\"name\":\"beta\",\"value\":\""
                      + b + "\"}],\"u\":" + UNDEF + "}"))
          .isEqualTo(
              "{\n  list: [\n    { name: 'alpha', value: '" + a + "' },\n    { name: 'beta', value: '"
                  + b + "' }\n  ],\n  u: undefined\n}");
    }

    @Test
    void mapsBreakWithArrowEntries() {
      // node: {k: new Map([['a','x'.repeat(45)],['b',1]])}
      assertThat(
              text(
                  "{\"k\":{\"$daebug\":\"map\",\"size\":2,\"entries\":[[\"a\",\"" + x(45) + "\"],[\"b\",1]]}}"))
          .isEqualTo("{\n  k: Map(2) {\n    'a' => '" + x(45) + "',\n    'b' => 1\n  }\n}");
    }
  }

  @Nested
  class Defensive {
    @Test
    void malformedTagsRenderAsTheirJson() {
      assertThat(text("{\"$daebug\":5}")).isEqualTo("{\"$daebug\":5}");
      assertThat(text("{\"$daebug\":\"map\",\"entries\":\"oops\"}"))
          .isEqualTo("{\"$daebug\":\"map\",\"entries\":\"oops\"}");
      assertThat(text("{\"$daebug\":\"bigint\"}")).isEqualTo("{\"$daebug\":\"bigint\"}");
      assertThat(text("{\"$daebug\":\"object\",\"class\":\"P\"}"))
          .isEqualTo("{\"$daebug\":\"object\",\"class\":\"P\"}");
      assertThat(text("{\"$daebug\":\"set\",\"values\":{}}"))
          .isEqualTo("{\"$daebug\":\"set\",\"values\":{}}");
      assertThat(text("{\"$daebug\":\"date\",\"iso\":7}"))
          .isEqualTo("{\"$daebug\":\"date\",\"iso\":7}");
      assertThat(text("{\"$daebug\":\"wat\",\"x\":[1]}"))
          .isEqualTo("{\"$daebug\":\"wat\",\"x\":[1]}");
    }

    @Test
    void lenientWhereTheMeaningIsClear() {
      assertThat(text("{\"$daebug\":\"weakref\",\"repr\":\"WeakRef { <target> }\"}"))
          .isEqualTo("WeakRef { <target> }");
      assertThat(text("{\"$daebug\":\"function\"}")).isEqualTo("[Function (anonymous)]");
      assertThat(text("{\"$daebug\":\"error\"}")).isEqualTo("Error");
      assertThat(text("{\"$daebug\":\"circular\"}")).isEqualTo("[Circular]");
      assertThat(text("{\"$daebug\":\"set\",\"values\":[1,2]}")).isEqualTo("Set(2) { 1, 2 }");
      assertThat(text("{\"$daebug\":\"map\",\"size\":\"x\",\"entries\":[[1,2],[3]]}"))
          .isEqualTo("Map(2) { 1 => 2, [ 3 ] }");
      assertThat(text("{\"$daebug\":\"object\",\"entries\":{\"a\":1}}")).isEqualTo("{ a: 1 }");
    }

    @Test
    void absurdDepthIsCutInsteadOfOverflowingTheStack() {
      int max = ValueRenderer.MAX_DEPTH;
      ValueRenderer.Rendered r = ValueRenderer.render(nestedArrays(100_000, "[]"));
      assertThat(r.language()).isEqualTo("Text");
      assertThat(r.text().lines()).hasSize(2 * max + 1);
      assertThat(r.text().lines().skip(max)).first().isEqualTo("  ".repeat(max) + "[Array]");
      assertThat(r.text()).startsWith("[\n  [\n    [\n").endsWith("\n  ]\n]");
    }

    @Test
    void depthUpToTheLimitStaysJson() {
      int max = ValueRenderer.MAX_DEPTH;
      ValueRenderer.Rendered r = ValueRenderer.render(nestedArrays(max - 1, "[1]"));
      assertThat(r.language()).isEqualTo("JSON");
      assertThat(r.text())
          .endsWith("\n  ]\n]")
          .contains(
              "[\n" + "  ".repeat(max) + "1\n" + "  ".repeat(max - 1) + "]\n"
                  + "  ".repeat(max - 2) + "]");
      assertThat(ValueRenderer.render(nestedArrays(max, "[1]")).language()).isEqualTo("Text");
      assertThat(ValueRenderer.render(nestedArrays(max, "[]")).language()).isEqualTo("JSON");
    }

    @Test
    void unusualNodeTypesDoNotThrow() {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.putPOJO("p", new Object() {
        @Override
        public String toString() {
          return "pojo";
        }
      });
      o.put("b", new byte[] {1, 2});
      ValueRenderer.Rendered r = ValueRenderer.render(o);
      assertThat(r.language()).isEqualTo("Text");
      assertThat(r.text()).isEqualTo("{ p: pojo, b: \"AQI=\" }");
    }

    private JsonNode nestedArrays(int depth, String innermost) {
      JsonNode node = parse(innermost);
      for (int i = 0; i < depth; i++) {
        ArrayNode wrapper = JsonNodeFactory.instance.arrayNode();
        wrapper.add(node);
        node = wrapper;
      }
      return node;
    }
  }
}

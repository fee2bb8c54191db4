package io.daebug.broker.journal;

import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.notation.PythonNotation;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Renders a realm's result value (tagged JSON tree, docs/protocol.md) as the text of a journal
 * fence.
 *
 * <p>A tree without any {@code $daebug} object is printed exactly as JavaScript's
 * {@code JSON.stringify(value, null, 2)} would print it, in a {@code JSON} fence. Any other tree is
 * printed in Node's {@code util.inspect} notation in a {@code Text} fence (see {@link
 * ConsoleNotation}, which lists where that notation deliberately differs from Node). Numbers keep
 * the exact digits the realm sent: floats arrive as {@code DecimalNode}s (the broker's mapper uses
 * {@code USE_BIG_DECIMAL_FOR_FLOATS} with exact big decimals), so ECMAScript {@code
 * Number::toString} is rebuilt from the decimal digits and exponent without a detour through
 * {@code double}. A tree nested deeper than {@value #MAX_DEPTH} levels (only a misbehaving realm
 * sends one; realms truncate at 20) is shown as {@code Text}, cut with {@code [Object]} or
 * {@code [Array]}.
 */
final class ValueRenderer {
  /** Nesting depth past which containers are no longer descended into. */
  static final int MAX_DEPTH = 200;

  static final String JSON = "JSON";
  static final String TEXT = "Text";

  /** The fence language ({@code "JSON"} or {@code "Text"}) and its text (no trailing newline). */
  record Rendered(String language, String text) {}

  private ValueRenderer() {}

  /** Renders {@code value}, never throwing; {@code null} or missing means {@code undefined}. */
  static Rendered render(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return new Rendered(TEXT, "undefined");
    }
    try {
      if (isPlainJson(value, 0)) {
        StringBuilder out = new StringBuilder();
        writeJson(out, value, 0, false);
        return new Rendered(JSON, out.toString());
      }
      return new Rendered(TEXT, ConsoleNotation.inspect(value));
    } catch (RuntimeException | StackOverflowError e) {
      return new Rendered(TEXT, "[unrenderable value: " + e.getClass().getSimpleName() + "]");
    }
  }

  /**
   * Renders {@code value} for a realm of {@code language}: a Python realm's value in Python's notation ({@link
   * PythonNotation}; a JSON fence keeps floats as Python prints them, {@code 1.0}; no value is {@code None}), any
   * other realm's as {@link #render(JsonNode)} does.
   */
  static Rendered render(JsonNode value, String language) {
    if (!"python".equals(JournalFormat.normalLanguage(language))) {
      return render(value);
    }
    if (value == null || value.isMissingNode() || value.isNull()) {
      return new Rendered(TEXT, "None");
    }
    try {
      if (isPlainJson(value, 0)) {
        StringBuilder out = new StringBuilder();
        writeJson(out, value, 0, true);
        return new Rendered(JSON, out.toString());
      }
      return new Rendered(TEXT, PythonNotation.repr(value));
    } catch (RuntimeException | StackOverflowError e) {
      return new Rendered(TEXT, "[unrenderable value: " + e.getClass().getSimpleName() + "]");
    }
  }

  /** Formats a number node as JavaScript's {@code Number.prototype.toString()} prints it. */
  static String formatNumber(JsonNode number) {
    if (number == null || !number.isNumber()) {
      return String.valueOf(number);
    }
    if (number.isDouble() || number.isFloat()) {
      double d = number.doubleValue();
      if (Double.isNaN(d)) {
        return "NaN";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "Infinity" : "-Infinity";
      }
      if (d == 0) {
        return "0";
      }
      String shortest = number.isFloat() ? Float.toString(number.floatValue()) : Double.toString(d);
      return formatDecimal(new BigDecimal(shortest));
    }
    if (number.isIntegralNumber()) {
      return formatDecimal(new BigDecimal(number.bigIntegerValue()));
    }
    return formatDecimal(number.decimalValue());
  }

  /** ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) applied to exact decimal digits. */
  static String formatDecimal(BigDecimal value) {
    if (value.signum() == 0) {
      return "0";
    }
    BigDecimal abs = value.abs().stripTrailingZeros();
    String digits = abs.unscaledValue().toString();
    int k = digits.length();
    long n = k - (long) abs.scale(); // value = 0.digits × 10^n
    StringBuilder out = new StringBuilder(value.signum() < 0 ? "-" : "");
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat((int) (n - k)));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, (int) n).append('.').append(digits, (int) n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat((int) -n)).append(digits);
    } else {
      long exponent = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    }
    return out.toString();
  }

  /** Quotes a string exactly as {@code JSON.stringify} does (well-formed variant, ES2019). */
  static String jsonQuote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** True when the UTF-16 unit at {@code i} is a surrogate that is not part of a valid pair. */
  static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  /** True when JSON can show the tree as is: no {@code $daebug} object, no absurd depth. */
  private static boolean isPlainJson(JsonNode node, int depth) {
    if (!node.isContainerNode()) {
      return node.isValueNode() && !node.isBinary() && !node.isPojo();
    }
    if ((depth >= MAX_DEPTH && !node.isEmpty()) || node.has(ConsoleNotation.TAG)) {
      return false;
    }
    for (JsonNode child : node) {
      if (!isPlainJson(child, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  /** Pretty JSON; {@code python}: numbers as Python prints them (still JSON: {@code 1.0}, {@code 1e+16}). */
  private static void writeJson(StringBuilder out, JsonNode node, int depth, boolean python) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      if (!fields.hasNext()) {
        out.append("{}");
        return;
      }
      out.append('{');
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        newline(out, depth + 1).append(jsonQuote(field.getKey())).append(": ");
        writeJson(out, field.getValue(), depth + 1, python);
        if (fields.hasNext()) {
          out.append(',');
        }
      }
      newline(out, depth).append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        newline(out, depth + 1);
        writeJson(out, node.get(i), depth + 1, python);
        if (i + 1 < node.size()) {
          out.append(',');
        }
      }
      newline(out, depth).append(']');
    } else {
      out.append(python && node.isNumber() ? PythonNotation.number(node) : scalar(node));
    }
  }

  /** A scalar in JSON syntax (also how ConsoleNotation prints numbers, booleans and null). */
  static String scalar(JsonNode node) {
    if (node.isNumber()) {
      return formatNumber(node);
    }
    if (node.isTextual()) {
      return jsonQuote(node.textValue());
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? "true" : "false";
    }
    return "null";
  }

  private static StringBuilder newline(StringBuilder out, int depth) {
    return out.append('\n').append("  ".repeat(depth));
  }
}

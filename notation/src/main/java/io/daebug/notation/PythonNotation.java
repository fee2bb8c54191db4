package io.daebug.notation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a Python realm's value tree (docs/protocol.md "Values", Python column) the way Python's {@code repr()}
 * prints the value, so a Python reader sees {@code (1, 'a')}, {@code {1, 2}}, {@code nan}, {@code None} or
 * {@code Point(x=1, y=2)} rather than the wire encoding or JavaScript's notation.
 *
 * <p>Floats are printed as Python's {@code repr(float)} does (they keep {@code .0}; scientific notation below
 * 1e-4 and from 1e16 on, {@code 1e+16}) from the exact digits the realm sent; strings are quoted as
 * {@code repr(str)} quotes them. Leaves the realm already wrote in Python's notation ({@code repr} of bytes,
 * Decimal, datetime, objects) are printed verbatim. A container stays on one line when it fits in
 * {@value #WIDTH} columns with its indentation, else each entry gets its own line, indented by four spaces.
 * Deliberate differences from {@code repr()}: cycles print {@code [Circular ~[0]]} with the path (Python prints
 * {@code [...]}), capped containers end with {@code ... N more items}.
 *
 * <p>The broker's journal and the Java client's {@code JobResult.display()} both print with this class, so a
 * program sees a value as the log shows it.
 */
public final class PythonNotation {
  private static final int WIDTH = 80;
  /** The key that marks a tagged value (docs/protocol.md "Values"). */
  private static final String TAG = "$daebug";

  private PythonNotation() {}

  /** The notation of a top-level value: an error prints its traceback. */
  public static String repr(JsonNode value) {
    if (value.isObject() && "error".equals(text(value, TAG))) {
      String stack = text(value, "stack");
      if (stack != null && !stack.isBlank()) {
        return stack;
      }
    }
    return format(value, 0);
  }

  /** A scalar in Python's notation: {@code True}, {@code None}, {@code 1.0}, {@code 'text'}. */
  public static String scalar(JsonNode node) {
    if (node.isNumber()) {
      return number(node);
    }
    if (node.isTextual()) {
      return quote(node.textValue());
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? "True" : "False";
    }
    return "None";
  }

  /** A JSON number as Python prints it: integers as they are, floats as {@code repr(float)}. */
  public static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    BigDecimal d = node.isBigDecimal() ? node.decimalValue() : new BigDecimal(Double.toString(node.doubleValue()));
    return floatRepr(d);
  }

  /** Python's {@code repr(float)} of a float's shortest decimal digits. */
  public static String floatRepr(BigDecimal value) {
    if (value.signum() == 0) {
      return "0.0";
    }
    BigDecimal abs = value.abs().stripTrailingZeros();
    String digits = abs.unscaledValue().toString();
    int k = digits.length();
    long n = k - (long) abs.scale(); // value = 0.digits x 10^n
    long exponent = n - 1;
    StringBuilder out = new StringBuilder(value.signum() < 0 ? "-" : "");
    if (exponent >= -4 && exponent < 16) {
      if (n <= 0) {
        out.append("0.").append("0".repeat((int) -n)).append(digits);
      } else if (n >= k) {
        out.append(digits).append("0".repeat((int) (n - k))).append(".0");
      } else {
        out.append(digits, 0, (int) n).append('.').append(digits, (int) n, k);
      }
    } else {
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(String.format(Locale.ROOT, "%+03d", exponent));
    }
    return out.toString();
  }

  private static String format(JsonNode node, int depth) {
    if (node.isObject()) {
      JsonNode tag = node.get(TAG);
      if (tag == null) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          out.add(quote(e.getKey()) + ": " + format(e.getValue(), depth + 1));
        }
        return layout("{", out, "}", depth);
      }
      return tagged(node, tag.isTextual() ? tag.textValue() : "", depth);
    }
    if (node.isArray()) {
      return layout("[", items(node, depth), "]", depth);
    }
    if (node.isValueNode()) {
      return scalar(node);
    }
    return String.valueOf(node);
  }

  private static String tagged(JsonNode node, String kind, int depth) {
    String repr = text(node, "repr");
    String cls = text(node, "class");
    return switch (kind) {
      case "undefined" -> "None";
      case "circular" -> text(node, "path") == null ? "[Circular]" : "[Circular " + text(node, "path") + "]";
      case "tuple" -> {
        List<String> values = items(node.path("values"), depth);
        String body = values.size() == 1 ? layout("(", values, ",)", depth) : layout("(", values, ")", depth);
        yield cls == null ? body : cls + body;
      }
      case "set" -> {
        List<String> values = items(node.path("values"), depth);
        String name = cls == null ? "set" : cls;
        if (values.isEmpty()) {
          yield name + "()";
        }
        String body = layout("{", values, "}", depth);
        yield "set".equals(name) ? body : name + "(" + body + ")";
      }
      case "map" -> {
        List<String> out = new ArrayList<>();
        for (JsonNode entry : node.path("entries")) {
          out.add(entry.isArray() && entry.size() == 2
              ? format(entry.get(0), depth + 1) + ": " + format(entry.get(1), depth + 1)
              : format(entry, depth + 1));
        }
        String body = layout("{", out, "}", depth);
        yield cls == null || "dict".equals(cls) ? body : cls + "(" + body + ")";
      }
      case "object" -> {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.path("entries").properties()) {
          out.add(e.getKey() + "=" + format(e.getValue(), depth + 1));
        }
        yield layout((cls == null ? "object" : cls) + "(", out, ")", depth);
      }
      case "error" -> repr != null ? repr
          : (text(node, "name") == null ? "Exception" : text(node, "name")) + "(" + quote(
              text(node, "message") == null ? "" : text(node, "message")) + ")";
      case "date" -> repr != null ? repr : String.valueOf(text(node, "iso"));
      default -> repr != null ? repr : node.toString();
    };
  }

  private static List<String> items(JsonNode array, int depth) {
    List<String> out = new ArrayList<>();
    for (JsonNode item : array) {
      out.add(format(item, depth + 1));
    }
    return out;
  }

  /** One line when it fits in {@value #WIDTH} columns and no entry spans lines, else one entry per line. */
  private static String layout(String open, List<String> entries, String close, int depth) {
    if (entries.isEmpty()) {
      return open + (close.equals(",)") ? ")" : close);
    }
    int oneLine = 4 * depth + open.length() + close.length() + 2 * (entries.size() - 1);
    boolean multiLine = false;
    for (String entry : entries) {
      oneLine += entry.length();
      multiLine |= entry.indexOf('\n') >= 0;
    }
    if (oneLine <= WIDTH && !multiLine) {
      return open + String.join(", ", entries) + close;
    }
    String indent = "\n" + "    ".repeat(depth + 1);
    String end = close.equals(",)") ? ",\n" + "    ".repeat(depth) + ")" : "\n" + "    ".repeat(depth) + close;
    return open + indent + String.join("," + indent, entries) + end;
  }

  /** Quotes a string as Python's {@code repr(str)} does: single quotes unless it holds ' and no ". */
  public static String quote(String s) {
    char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder(s.length() + 2).append(q);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c == q) {
            out.append('\\').append(q);
          } else if (c == ' ' || isPrintable(c)) {
            out.appendCodePoint(c);
          } else if (c < 0x100) {
            out.append(String.format(Locale.ROOT, "\\x%02x", c));
          } else if (c < 0x10000) {
            out.append(String.format(Locale.ROOT, "\\u%04x", c));
          } else {
            out.append(String.format(Locale.ROOT, "\\U%08x", c));
          }
        }
      }
    }
    return out.append(q).toString();
  }

  /** Python's {@code str.isprintable()} for one character: not a control, format, separator or unassigned one. */
  private static boolean isPrintable(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
      default -> true;
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}

package io.daebug.client.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.notation.PythonNotation;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Readable text for a result value (docs/protocol.md "Values"), close to what the broker journals: a tree
 * without {@code $daebug} nodes as {@code JSON.stringify(value, null, 2)} prints it; any other tree on
 * one line in JavaScript console notation ({@code undefined}, {@code 12n}, {@code Map(1) { 'a' => 1 }}).
 *
 * <p>Simpler than the broker's renderer on purpose: console notation is never broken over lines, and
 * numbers are printed from their decimal digits without JavaScript's exact {@code Number::toString}
 * rules. The journal remains the reference rendering; this is for programs that print a result. A Python
 * realm's value is printed exactly as the journal prints it: the same {@link PythonNotation}.
 */
public final class ValueText {
  private static final String TAG = "$daebug";
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_$][a-zA-Z_0-9$]*");
  /** Deeper than this, containers print as {@code [Object]} / {@code [Array]} (realms cut at 20). */
  private static final int MAX_DEPTH = 100;

  private ValueText() {}

  /** The text for a whole value; null or missing means {@code undefined}. Never throws. */
  public static String display(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "undefined";
    }
    try {
      if (isPlainJson(value, 0)) {
        StringBuilder out = new StringBuilder();
        json(out, value, 0, false);
        return out.toString();
      }
      return inspect(value, 0);
    } catch (RuntimeException | StackOverflowError e) {
      return value.toString();
    }
  }

  /**
   * The text for a whole value of a realm of this language: a Python realm's in Python's notation (JSON
   * with Python's floats when it is plain JSON, as the journal does; no value is {@code None}), any other
   * realm's as {@link #display(JsonNode)}. Never throws.
   *
   * @param value the value; nullable
   * @param language the realm's language; nullable
   * @return the text
   */
  public static String display(JsonNode value, String language) {
    if (!isPython(language)) {
      return display(value);
    }
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "None";
    }
    try {
      if (isPlainJson(value, 0)) {
        StringBuilder out = new StringBuilder();
        json(out, value, 0, true);
        return out.toString();
      }
      return PythonNotation.repr(value);
    } catch (RuntimeException | StackOverflowError e) {
      return value.toString();
    }
  }

  private static boolean isPython(String language) {
    String l = language == null ? "" : language.trim().toLowerCase(Locale.ROOT);
    return l.equals("python") || l.equals("py");
  }

  /** The console notation of a tagged node alone, such as {@code NaN} or {@code [Function: f]}. */
  public static String repr(JsonNode tagged) {
    return display(tagged);
  }

  /** Whether the tree has no {@code $daebug} node (then it is shown as JSON). */
  static boolean isPlainJson(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    if (node.isObject() && node.has(TAG)) {
      return false;
    }
    for (JsonNode child : node) { // values of an object, elements of an array, nothing for a scalar
      if (!isPlainJson(child, depth + 1)) {
        return false;
      }
    }
    return true;
  }

  // ---- JSON, as JSON.stringify(v, null, 2) ----

  /** {@code python}: numbers as Python prints them ({@code 1.0}, {@code 1e+16}), as the journal does. */
  private static void json(StringBuilder out, JsonNode node, int indent, boolean python) {
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        pad(out, indent + 1).append(quoteJson(field.getKey())).append(": ");
        json(out, field.getValue(), indent + 1, python);
        out.append(fields.hasNext() ? ",\n" : "\n");
      }
      pad(out, indent).append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        pad(out, indent + 1);
        json(out, node.get(i), indent + 1, python);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      pad(out, indent).append(']');
    } else {
      out.append(node.isTextual() ? quoteJson(node.textValue())
          : python && node.isNumber() ? PythonNotation.number(node) : scalar(node));
    }
  }

  private static StringBuilder pad(StringBuilder out, int indent) {
    return out.append("  ".repeat(indent));
  }

  private static String quoteJson(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }

  private static String scalar(JsonNode node) {
    if (node.isNumber()) {
      String text = node.isBigDecimal() ? node.decimalValue().toString() : node.asText();
      return text.replace('E', 'e');
    }
    return node.isNull() ? "null" : node.asText();
  }

  // ---- console notation, on one line ----

  private static String inspect(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      return node.isArray() ? "[Array]" : "[Object]";
    }
    if (node.isObject()) {
      return node.path(TAG).isTextual() ? tagged(node, node.get(TAG).textValue(), depth) : object("", node, depth);
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder();
      for (JsonNode child : node) {
        out.append(out.length() == 0 ? "" : ", ").append(inspect(child, depth + 1));
      }
      return out.length() == 0 ? "[]" : "[ " + out + " ]";
    }
    if (node.isTextual()) {
      return quoteJs(node.textValue());
    }
    return scalar(node);
  }

  private static String tagged(JsonNode node, String kind, int depth) {
    String repr = node.path("repr").asText("");
    switch (kind) {
      case "undefined":
        return "undefined";
      case "hole":
        return "<1 empty item>";
      case "bigint":
        return repr + "n";
      case "function": {
        String name = node.path("name").asText("");
        if (node.path("class").asBoolean(false)) {
          return "[class " + (name.isEmpty() ? "(anonymous)" : name) + "]";
        }
        return name.isEmpty() ? "[Function (anonymous)]" : "[Function: " + name + "]";
      }
      case "circular":
        return "[Circular " + node.path("path").asText("~") + "]";
      case "date":
        return node.path("iso").asText("Invalid Date");
      case "error": {
        String name = node.path("name").asText("Error");
        String message = node.path("message").asText("");
        String stack = node.path("stack").asText("");
        String head = message.isEmpty() ? name : name + ": " + message;
        return depth == 0 && !stack.isEmpty() && stack.startsWith(name) ? stack : depth == 0 ? head : "[" + head + "]";
      }
      case "map":
        return "Map(" + node.path("size").asInt(node.path("entries").size()) + ") "
            + braces(node.path("entries"), depth, true);
      case "set":
        return "Set(" + node.path("size").asInt(node.path("values").size()) + ") "
            + braces(node.path("values"), depth, false);
      case "typedarray": {
        StringBuilder out = new StringBuilder();
        for (JsonNode v : node.path("values")) {
          out.append(out.length() == 0 ? "" : ", ").append(inspect(v, depth + 1));
        }
        return node.path("class").asText("TypedArray") + "(" + node.path("size").asInt(node.path("values").size())
            + ") " + (out.length() == 0 ? "[]" : "[ " + out + " ]");
      }
      case "object": {
        String cls = node.path("class").asText("Object");
        return object(cls.equals("Object") ? "" : cls + " ", node.path("entries"), depth);
      }
      default:
        return repr.isEmpty() && !node.has("repr") ? node.toString() : repr;
    }
  }

  private static String braces(JsonNode items, int depth, boolean pairs) {
    StringBuilder out = new StringBuilder();
    for (JsonNode item : items) {
      out.append(out.length() == 0 ? "" : ", ");
      if (pairs) {
        out.append(inspect(item.path(0), depth + 1)).append(" => ").append(inspect(item.path(1), depth + 1));
      } else {
        out.append(inspect(item, depth + 1));
      }
    }
    return out.length() == 0 ? "{}" : "{ " + out + " }";
  }

  private static String object(String prefix, JsonNode entries, int depth) {
    StringBuilder out = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> fields = entries.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      out.append(out.length() == 0 ? "" : ", ")
          .append(IDENTIFIER.matcher(key).matches() ? key : quoteJs(key))
          .append(": ")
          .append(inspect(field.getValue(), depth + 1));
    }
    return prefix + (out.length() == 0 ? "{}" : "{ " + out + " }");
  }

  /** A string as Node's console prints it: single quotes, with control characters escaped. */
  private static String quoteJs(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\'' -> out.append("\\'");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format(Locale.ROOT, "\\x%02X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('\'').toString();
  }
}

package io.daebug.broker.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prints a tagged value tree (docs/protocol.md "Values") the way Node's {@code util.inspect} prints
 * the JavaScript value, so a reader sees {@code undefined}, {@code 12n} or {@code Map(1) {...}}
 * rather than the wire encoding.
 *
 * <p>Line breaking follows Node: a container stays on one line when its one-line form plus its
 * indentation (two columns per nesting level) is under 72 columns and no entry spans lines;
 * otherwise each entry gets its own line. Deliberate differences from {@code util.inspect}:
 *
 * <ul>
 *   <li>no depth limit ({@code [Object]} past depth 2 in Node): the realm already truncates at 20
 *       levels, and this class only cuts at {@link ValueRenderer#MAX_DEPTH};
 *   <li>no column grouping of arrays with more than six short entries ({@code [\n  1, 2, 3, 4,\n
 *       5, 6, 7\n]} in Node): they are laid out like every other container;
 *   <li>no "innermost three levels" rule ({@code compact: 3}): only the width decides;
 *   <li>long strings containing newlines stay one escaped literal (Node splits them into {@code
 *       'a\n' +} lines); no {@code maxArrayLength}/{@code maxStringLength} cuts (the realm cuts);
 *   <li>cycles print {@code [Circular ~.a.b]} with the path the realm sent, without Node's
 *       {@code <ref *1>} marker;
 *   <li>an error nested in a container prints {@code [Name: message]} instead of its indented
 *       stack; a top-level error whose stack does not start with its name (Firefox, Safari) prints
 *       {@code Name: message} and then the stack, and one without a stack prints {@code Name:
 *       message} without Node's brackets;
 *   <li>typed arrays and ArrayBuffers all print as {@code Class(size) [ ... ]} (Node prints {@code
 *       ArrayBuffer { [Uint8Contents]: <..>, byteLength: n }} and {@code <Buffer ..>});
 *   <li>functions print {@code [Function: f]} even when async or generators (the encoding does
 *       not say), and never show their own properties.
 * </ul>
 *
 * Unknown tag kinds print their {@code repr} when they have one; unknown or malformed tagged nodes
 * otherwise print as their compact JSON text, so nothing is lost and nothing throws.
 */
final class ConsoleNotation {
  static final String TAG = "$daebug";

  /** Node: one-line form + indentation must satisfy {@code <= breakLength(80) - 9}. */
  private static final int WIDTH = 72;

  /** Node's {@code keyStrRegExp}: keys printed without quotes. ({@code $} is not included.) */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*");

  private ConsoleNotation() {}

  /** The console notation of {@code value}, a top-level result. */
  static String inspect(JsonNode value) {
    return format(value, 0);
  }

  private static String format(JsonNode node, int depth) {
    if (node.isObject()) {
      JsonNode tag = node.get(TAG);
      return tag == null ? object("", node, depth) : tagged(node, tag, depth);
    }
    if (node.isArray()) {
      return array(node, depth);
    }
    if (node.isTextual()) {
      return quote(node.textValue());
    }
    if (node.isNumber() || node.isBoolean() || node.isNull()) {
      return ValueRenderer.scalar(node);
    }
    return raw(node);
  }

  private static String tagged(JsonNode node, JsonNode tag, int depth) {
    String kind = tag.isTextual() ? tag.textValue() : "";
    String repr = text(node, "repr");
    return switch (kind) {
      case "undefined" -> "undefined";
      case "hole" -> "<1 empty item>";
      case "bigint" -> repr == null ? raw(node) : repr + "n";
      case "function" -> function(node);
      case "circular" -> {
        String path = text(node, "path");
        yield path == null ? "[Circular]" : "[Circular " + path + "]";
      }
      case "date" -> text(node, "iso") == null ? raw(node) : text(node, "iso");
      case "error" -> error(node, depth);
      case "map" -> map(node, depth);
      case "set" -> list(node, "Set", "values", " {", "}", depth);
      case "typedarray" -> list(node, className(node, "TypedArray"), "values", " [", "]", depth);
      case "object" -> {
        String name = className(node, "Object");
        JsonNode entries = node.get("entries");
        if (entries == null || !entries.isObject()) {
          yield raw(node);
        }
        yield object(name.equals("Object") ? "" : name + " ", entries, depth);
      }
      default -> repr == null ? raw(node) : indentLines(repr, depth);
    };
  }

  private static String object(String prefix, JsonNode entries, int depth) {
    if (depth >= ValueRenderer.MAX_DEPTH && !entries.isEmpty()) {
      return "[" + (prefix.isEmpty() ? "Object" : prefix.strip()) + "]";
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : entries.properties()) {
      out.add(key(e.getKey()) + ": " + format(e.getValue(), depth + 1));
    }
    return layout(prefix + "{", out, "}", depth);
  }

  private static String array(JsonNode array, int depth) {
    if (depth >= ValueRenderer.MAX_DEPTH && !array.isEmpty()) {
      return "[Array]";
    }
    List<String> out = new ArrayList<>();
    int holes = 0;
    for (JsonNode element : array) {
      if (element.isObject() && "hole".equals(text(element, TAG))) {
        holes++;
        continue;
      }
      if (holes > 0) {
        out.add(emptyItems(holes));
        holes = 0;
      }
      out.add(format(element, depth + 1));
    }
    if (holes > 0) {
      out.add(emptyItems(holes));
    }
    return layout("[", out, "]", depth);
  }

  private static String map(JsonNode node, int depth) {
    JsonNode entries = node.get("entries");
    if (entries == null || !entries.isArray()) {
      return raw(node);
    }
    String open = "Map(" + size(node, entries) + ") {";
    if (depth >= ValueRenderer.MAX_DEPTH && !entries.isEmpty()) {
      return "[Map]";
    }
    List<String> out = new ArrayList<>();
    for (JsonNode entry : entries) {
      if (entry.isArray() && entry.size() == 2) {
        out.add(format(entry.get(0), depth + 1) + " => " + format(entry.get(1), depth + 1));
      } else {
        out.add(format(entry, depth + 1)); // e.g. {"$daebug":"truncated","repr":"... 5 more items"}
      }
    }
    return layout(open, out, "}", depth);
  }

  /** A Set or typed array: {@code Name(size) <open> values <close>}. */
  private static String list(
      JsonNode node, String name, String field, String open, String close, int depth) {
    JsonNode values = node.get(field);
    if (values == null || !values.isArray()) {
      return raw(node);
    }
    if (depth >= ValueRenderer.MAX_DEPTH && !values.isEmpty()) {
      return "[" + name + "]";
    }
    List<String> out = new ArrayList<>();
    for (JsonNode value : values) {
      out.add(format(value, depth + 1));
    }
    return layout(name + "(" + size(node, values) + ")" + open, out, close, depth);
  }

  private static String function(JsonNode node) {
    String name = text(node, "name");
    boolean isClass = node.path("class").asBoolean(false);
    if (name == null || name.isEmpty()) {
      return isClass ? "[class (anonymous)]" : "[Function (anonymous)]";
    }
    return isClass ? "[class " + name + "]" : "[Function: " + name + "]";
  }

  private static String error(JsonNode node, int depth) {
    String name = text(node, "name") == null ? "Error" : text(node, "name");
    String message = text(node, "message") == null ? "" : text(node, "message");
    String stack = text(node, "stack") == null ? "" : text(node, "stack");
    String head = message.isEmpty() ? name : name + ": " + message;
    if (depth > 0) {
      return indentLines("[" + head + "]", depth);
    }
    if (stack.isEmpty()) {
      return head;
    }
    return stack.startsWith(name) ? stack : head + "\n" + stack;
  }

  /** One line when it fits (see class comment), else one entry per line. */
  private static String layout(String open, List<String> entries, String close, int depth) {
    if (entries.isEmpty()) {
      return open + close;
    }
    int oneLine = open.length() + close.length() + 2 * depth + 2 * entries.size();
    boolean multiLine = false;
    for (String entry : entries) {
      oneLine += entry.length();
      multiLine |= entry.indexOf('\n') >= 0;
    }
    if (oneLine < WIDTH && !multiLine) {
      return open + " " + String.join(", ", entries) + " " + close;
    }
    String indent = "\n" + "  ".repeat(depth + 1);
    return open + indent + String.join("," + indent, entries) + "\n" + "  ".repeat(depth) + close;
  }

  private static String emptyItems(int count) {
    return "<" + count + (count == 1 ? " empty item>" : " empty items>");
  }

  private static String size(JsonNode node, JsonNode items) {
    JsonNode size = node.get("size");
    return size != null && size.isIntegralNumber() ? size.asText() : String.valueOf(items.size());
  }

  private static String className(JsonNode node, String fallback) {
    String name = text(node, "class");
    return name == null || name.isBlank() ? fallback : name;
  }

  private static String key(String key) {
    return IDENTIFIER.matcher(key).matches() ? key : quote(key);
  }

  /** Quotes a string as Node's {@code strEscape} does, picking ', " or ` to avoid escapes. */
  static String quote(String s) {
    char q = '\'';
    if (s.indexOf('\'') >= 0) {
      if (s.indexOf('"') < 0) {
        q = '"';
      } else if (s.indexOf('`') < 0 && !s.contains("${")) {
        q = '`';
      }
    }
    StringBuilder out = new StringBuilder(s.length() + 2).append(q);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case '\\' -> out.append("\\\\");
        case '\'' -> out.append(q == '\'' ? "\\'" : "'");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            out.append(String.format("\\x%02X", (int) c));
          } else if (ValueRenderer.isLoneSurrogate(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(q).toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** Indents the continuation lines of a multi-line leaf to its nesting level, as Node does. */
  private static String indentLines(String s, int depth) {
    return depth == 0 ? s : s.replace("\n", "\n" + "  ".repeat(depth));
  }

  /** Compact JSON text of a node that is not a well-formed tagged value. */
  private static String raw(JsonNode node) {
    if (node instanceof POJONode pojo) {
      return String.valueOf(pojo.getPojo());
    }
    try {
      return node.toString();
    } catch (RuntimeException e) {
      return "[unreadable " + node.getNodeType() + "]";
    }
  }
}

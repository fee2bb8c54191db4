package io.daebug.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;

/**
 * Renders an adapter's values as JSON: a scalar as a JSON number, boolean or string where its text is one
 * ({@code 42}, {@code true}, {@code "ab"}), else its text; a structured value expanded through
 * {@code variables} to {@value #MAX_DEPTH} levels, an object's type kept under {@code "@type"}, an array as a
 * JSON array, at most {@value #MAX_ITEMS} entries per level with the rest counted
 * ({@code "... 95 more"}); deeper values as their text.
 */
final class Values {
  static final int MAX_DEPTH = 3;
  static final int MAX_ITEMS = 50;
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
  /** An element's name: {@code [3]} (Delve, LLDB) or {@code 3} (debugpy). */
  private static final Pattern INDEX = Pattern.compile("\\[\\d+\\]|\\d+");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final DapSession session;
  private final Duration limit;

  Values(DapSession session, Duration limit) {
    this.session = session;
    this.limit = limit;
  }

  /** A value with its text, type and variables reference (0: none), expanded. */
  JsonNode render(String text, String type, int reference, Integer indexed, Integer named) {
    return reference > 0 ? expand(text, type, reference, indexed, named, 1) : scalar(text);
  }

  /** The JSON reading of an adapter's text of a scalar. */
  static JsonNode scalar(String text) {
    if (text == null) {
      return NODES.nullNode();
    }
    String t = text.strip();
    if (NUMBER.matcher(t).matches()) {
      return NODES.numberNode(new BigDecimal(t));
    }
    if (t.equals("true") || t.equals("false")) {
      return NODES.booleanNode(t.equals("true"));
    }
    if (t.equals("nil") || t.equals("None") || t.equals("null") || t.equals("NULL")) {
      return NODES.nullNode();
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      try {
        JsonNode n = JSON.readTree(t);
        if (n.isTextual()) {
          return n;
        }
      } catch (Exception e) {
        // not JSON's escapes: keep the text as it is
      }
      return NODES.textNode(t.substring(1, t.length() - 1));
    }
    if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'") && !t.substring(1, t.length() - 1).contains("'")) {
      return NODES.textNode(t.substring(1, t.length() - 1)); // Python's repr of a str
    }
    return NODES.textNode(text);
  }

  private JsonNode expand(String text, String type, int reference, Integer indexed, Integer named, int depth) {
    if (depth > MAX_DEPTH) {
      return NODES.textNode(text);
    }
    VariablesArguments a = new VariablesArguments();
    a.setVariablesReference(reference);
    if (indexed != null && indexed > MAX_ITEMS && (named == null || named == 0)) {
      a.setFilter(org.eclipse.lsp4j.debug.VariablesArgumentsFilter.INDEXED);
      a.setStart(0);
      a.setCount(MAX_ITEMS);
    }
    Variable[] vars = session.call("variables", session.server().variables(a), limit).getVariables();
    vars = vars == null ? new Variable[0] : java.util.Arrays.stream(vars)
        .filter(v -> v.getName() != null && !v.getName().equals("len()") && !v.getName().startsWith("special variables")
            && !v.getName().equals("function variables") && !v.getName().equals("class variables")
            && !v.getName().equals("protected variables"))
        .toArray(Variable[]::new);
    int total = indexed != null && indexed > vars.length && (named == null || named == 0) ? indexed : vars.length;
    boolean array = vars.length > 0;
    for (Variable v : vars) {
      array &= v.getName() != null && INDEX.matcher(v.getName()).matches();
    }
    int shown = Math.min(vars.length, MAX_ITEMS);
    if (array) {
      ArrayNode out = NODES.arrayNode();
      for (int i = 0; i < shown; i++) {
        out.add(child(vars[i], depth));
      }
      if (total > shown) {
        out.add("... " + (total - shown) + " more");
      }
      return out;
    }
    ObjectNode out = NODES.objectNode();
    if (type != null && !type.isBlank()) {
      out.put("@type", type);
    }
    for (int i = 0; i < shown; i++) {
      Variable v = vars[i];
      if (v.getName() == null || v.getName().startsWith("special variables") || v.getName().equals("function variables")) {
        continue;
      }
      out.set(v.getName(), child(v, depth));
    }
    if (total > shown) {
      out.put("...", (total - shown) + " more");
    }
    if (vars.length == 0) {
      out.put("@value", text);
    }
    return out;
  }

  private JsonNode child(Variable v, int depth) {
    return v.getVariablesReference() > 0
        ? expand(v.getValue(), v.getType(), v.getVariablesReference(), v.getIndexedVariables(), v.getNamedVariables(),
            depth + 1)
        : scalar(v.getValue());
  }

  /** A variable in brief, for locals lists: {@code total = 3} (its type when the value is structured). */
  static String brief(Variable v) {
    String value = v.getValue() == null ? "" : v.getValue();
    if (value.length() > 80) {
      value = value.substring(0, 77) + "...";
    }
    return v.getName() + " = " + value;
  }
}

package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Encodes a snippet's value as docs/protocol.md "Values" asks, without running any code of the value
 * (no {@code toString()}: the text JShell already produced inside the stoppable snippet thread is used).
 *
 * <p>The rule (docs/jvm-realm.md repeats it):
 *
 * <ul>
 *   <li>{@code null} is JSON {@code null}; {@code boolean}/{@code Boolean} a JSON boolean;
 *   <li>{@code byte}, {@code short}, {@code int}, {@code long} (and their boxes), {@code BigInteger}
 *       and {@code BigDecimal} are JSON numbers with their exact digits; finite {@code float} and
 *       {@code double} values too (Java's shortest repr), except {@code -0.0};
 *   <li>{@code NaN}, {@code Infinity}, {@code -Infinity} and {@code -0.0} are
 *       {@code {"$daebug":"number","repr":"NaN"}} (repr {@code -0} for negative zero);
 *   <li>{@code String} and {@code char}/{@code Character} are JSON strings;
 *   <li>everything else (objects, arrays, collections, records, enums) is
 *       {@code {"$daebug":"opaque","repr":TEXT,"class":CLASS}}, where TEXT is what JShell shows
 *       ({@code toString()}, or {@code int[2] { 1, 2 }} for arrays) and CLASS the runtime class name;
 *       the broker writes TEXT into a {@code Text} fence;
 *   <li>a statement, a void call or a method, class or import declaration has no value:
 *       {@code {"$daebug":"undefined"}}.
 * </ul>
 */
final class ValueEncoder {
  static final String TAG = "$daebug";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ValueEncoder() {}

  /** {@code {"$daebug":"undefined"}}. */
  static JsonNode undefined() {
    return NODES.objectNode().put(TAG, "undefined");
  }

  /**
   * @param value the value itself (boxed when primitive)
   * @param text JShell's text for it, computed in the snippet thread; null when unknown
   * @return the encoded tree
   */
  static JsonNode encode(Object value, String text) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return NODES.numberNode(((Number) value).intValue());
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof BigInteger b) {
      return NODES.numberNode(b);
    }
    if (value instanceof BigDecimal d) {
      return DecimalNode.valueOf(d); // exactly these digits: 1.10 stays 1.10
    }
    if (value instanceof Double d) {
      return special(d).orElse(NODES.numberNode(d));
    }
    if (value instanceof Float f) {
      return special(f.doubleValue()).orElse(NODES.numberNode(f));
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Character c) {
      return NODES.textNode(String.valueOf(c));
    }
    return opaque(text != null ? text
        : value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value)),
        value.getClass().getName());
  }

  /** {@code {"$daebug":"opaque","repr":...,"class":...}}; {@code className} may be null. */
  static JsonNode opaque(String repr, String className) {
    ObjectNode o = NODES.objectNode().put(TAG, "opaque").put("repr", repr);
    if (className != null) {
      o.put("class", className);
    }
    return o;
  }

  private static java.util.Optional<JsonNode> special(double d) {
    String repr = null;
    if (Double.isNaN(d)) {
      repr = "NaN";
    } else if (Double.isInfinite(d)) {
      repr = d > 0 ? "Infinity" : "-Infinity";
    } else if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
      repr = "-0";
    }
    return repr == null ? java.util.Optional.empty()
        : java.util.Optional.of(NODES.objectNode().put(TAG, "number").put("repr", repr));
  }
}

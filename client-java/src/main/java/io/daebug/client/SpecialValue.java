package io.daebug.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A value JSON cannot hold, tagged by the realm with the reserved key {@code $daebug} (docs/protocol.md,
 * "Values"), such as {@code {"$daebug":"undefined"}} or {@code {"$daebug":"bigint","repr":"12"}}.
 *
 * @param kind the tag: {@code undefined}, {@code number}, {@code bigint}, {@code symbol}, {@code function},
 *     {@code circular}, {@code map}, {@code set}, {@code node}, {@code date}, {@code error}, {@code regexp},
 *     {@code object}, {@code typedarray}, {@code opaque}, {@code hole}, {@code unreadable},
 *     {@code truncated}, or one added later
 * @param repr how JavaScript's console shows it, such as {@code undefined}, {@code NaN}, {@code 12n},
 *     {@code [Function: foo]}, {@code Map(2) {...}}
 * @param node the tagged JSON object itself, for its other fields ({@code entries}, {@code iso}, ...)
 */
public record SpecialValue(String kind, String repr, JsonNode node) {
  /** The reserved key that marks a special value. */
  public static final String TAG = "$daebug";

  /**
   * Checks that every component is present.
   *
   * @param kind the tag
   * @param repr the console notation
   * @param node the tagged object
   */
  public SpecialValue {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(repr, "repr");
    Objects.requireNonNull(node, "node");
  }

  /**
   * Whether a node is an object carrying a {@value #TAG} string.
   *
   * @param node the node; nullable
   * @return true for a special value
   */
  public static boolean isTagged(JsonNode node) {
    return node != null && node.isObject() && node.path(TAG).isTextual();
  }
}

package io.daebug.client.realm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The realm side of the wire protocol (docs/protocol.md): frames the realm sends, and the broker's
 * frames parsed into small records. Unknown message types and unknown fields are ignored, as the
 * protocol asks. Thread-safe.
 */
final class Protocol {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A broker message the realm understands. */
  sealed interface Inbound permits Welcome, Job, Cancel, BrokerError, Ignored {}

  /** {@code welcome}: the realm's name from now on and its log, relative to the broker's root. */
  record Welcome(String name, String log) implements Inbound {}

  /**
   * {@code job}: run {@code code} once; {@code timeoutMs} is 0 when absent. {@code epoch} is the
   * connection it arrived on (set by the realm, 0 when parsed).
   */
  record Job(String id, String code, String language, long timeoutMs, long epoch) implements Inbound {
    Job withEpoch(long arrivedOn) {
      return new Job(id, code, language, timeoutMs, arrivedOn);
    }
  }

  /** {@code cancel}: the broker no longer waits for job {@code id}. */
  record Cancel(String id, String reason) implements Inbound {}

  /** {@code error}: the broker refused something the realm sent. */
  record BrokerError(String code, String message) implements Inbound {}

  /** A frame of an unknown type, or one missing what its type needs; {@code why} says which. */
  record Ignored(String why) implements Inbound {}

  private Protocol() {}

  static Inbound parse(String frame) {
    JsonNode node;
    try {
      node = JSON.readTree(frame);
    } catch (JsonProcessingException e) {
      return new Ignored("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      return new Ignored("not a JSON object");
    }
    String type = text(node, "type");
    if (type == null) {
      return new Ignored("no type");
    }
    switch (type) {
      case "welcome":
        return text(node, "name") == null ? new Ignored("welcome without a name")
            : new Welcome(text(node, "name"), text(node, "log"));
      case "job":
        if (text(node, "id") == null || !node.path("code").isTextual()) {
          return new Ignored("job without id or code");
        }
        return new Job(text(node, "id"), node.path("code").textValue(), text(node, "language"),
            node.path("timeoutMs").canConvertToLong() ? Math.max(0, node.path("timeoutMs").asLong()) : 0, 0);
      case "cancel":
        return text(node, "id") == null ? new Ignored("cancel without an id")
            : new Cancel(text(node, "id"), text(node, "reason"));
      case "error":
        return new BrokerError(text(node, "code"), text(node, "message"));
      default:
        return new Ignored("unknown message type '" + type + "'");
    }
  }

  static String hello(String name, String kind, String language, String url, String tab) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "hello").put("name", name).put("kind", kind).put("url", url).put("language", language)
        .put("tab", tab).put("protocol", 1);
    return o.toString();
  }

  /** A {@code status}: what the realm's runtime is doing, for its registry line; null clears it. */
  static String status(String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "status");
    if (text != null) {
      o.put("text", text);
    }
    return o.toString();
  }

  /** A {@code result} for an outcome; {@code durationMs} is rounded to 0.1 ms. */
  static String result(String id, Outcome outcome, double durationMs) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "result").put("id", id).put("ok", outcome.ok());
    if (outcome.ok()) {
      o.set("value", outcome.value());
    } else {
      ObjectNode error = o.putObject("error");
      error.put("name", outcome.error().name());
      error.put("message", outcome.error().message());
      if (outcome.error().stack() != null) {
        error.put("stack", outcome.error().stack());
      }
    }
    o.put("durationMs", Math.round(durationMs * 10) / 10.0);
    return o.toString();
  }

  /** An {@code event}; {@code job} is null for background events. */
  static String event(String job, String kind, long time, String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "event");
    if (job != null) {
      o.put("job", job);
    }
    o.put("kind", kind).put("time", time).put("text", text);
    return o.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() && !v.textValue().isEmpty() ? v.textValue() : null;
  }
}

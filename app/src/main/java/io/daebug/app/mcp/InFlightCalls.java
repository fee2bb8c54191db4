package io.daebug.app.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MCP cancellation ({@code notifications/cancelled}, which names the JSON-RPC id of a request in flight) for
 * the tools. The SDK's server (2.2.0) neither handles that notification nor tells a tool handler its request
 * id, so both transports pass every inbound message through {@link #inbound}: a {@code tools/call} request
 * gets its call key ({@code session#id}) written into {@code params._meta} under {@value #META_KEY} (any
 * value the client put there is replaced), and a cancellation is acted on here and not passed on. A tool
 * handler {@link #open opens} its call under that key with the action that withdraws its work; a
 * cancellation that arrives before the handler opened its call is remembered (bounded) and acts at
 * {@link #open}. Keys carry the session, so a client can only cancel its own calls. Thread-safe.
 */
final class InFlightCalls {
  /** The {@code _meta} entry that carries a call's key to its handler. */
  static final String META_KEY = "io.daebug/call";
  static final String CANCELLED = "notifications/cancelled";
  /** How many cancellations of calls not (yet) open are remembered. */
  static final int REMEMBERED = 256;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Entry> open = new HashMap<>();
  private final Map<String, String> early = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** A call in flight; closing it ends its registration. */
  interface Call extends AutoCloseable {
    /** Why the client withdrew the call (its {@code reason}, or a default); null while it has not. */
    String withdrawn();

    @Override
    void close();
  }

  /**
   * One inbound JSON-RPC message of a session, as the transport read it.
   *
   * @param session the MCP session (the {@code Mcp-Session-Id}; any constant for stdio's single session)
   * @param message the message's JSON text
   * @return the text to hand to the SDK (the same text when there is nothing to do), or null when the
   *     message was a cancellation, handled here
   */
  String inbound(String session, String message) {
    if (!message.contains("tools/call") && !message.contains(CANCELLED)) {
      return message; // the common case costs a scan, not a parse
    }
    JsonNode node;
    try {
      node = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      return message; // the SDK answers malformed JSON itself
    }
    if (!(node instanceof ObjectNode object) || !object.path("method").isTextual()) {
      return message;
    }
    String method = object.get("method").asText();
    if (method.equals(CANCELLED) && !object.has("id")) {
      JsonNode params = object.path("params");
      JsonNode requestId = params.path("requestId");
      if (requestId.isTextual() || requestId.isNumber()) {
        String reason = params.path("reason").isTextual() ? params.get("reason").asText() : null;
        cancel(key(session, requestId), reason == null || reason.isBlank() ? "no reason given" : reason);
      }
      return null;
    }
    if (method.equals("tools/call") && object.has("id") && object.get("params") instanceof ObjectNode params) {
      JsonNode meta = params.get("_meta");
      ObjectNode metaObject = meta instanceof ObjectNode m ? m : params.putObject("_meta");
      metaObject.put(META_KEY, key(session, object.get("id")));
      return object.toString();
    }
    return message;
  }

  /**
   * Registers a call in flight.
   *
   * @param key the call's key from its {@code _meta} (null when the call came another way: nothing can
   *     cancel it then)
   * @param withdraw what stops the call's work; run at most once, on the thread that handles the
   *     cancellation (or on this one, when the cancellation came first)
   * @return the registration, to close when the call ends
   */
  Call open(Object key, Runnable withdraw) {
    String k = key instanceof String s ? s : null;
    Entry entry = new Entry(k, withdraw);
    String earlier;
    synchronized (this) {
      earlier = k == null ? null : early.remove(k);
      if (earlier != null) {
        entry.reason = earlier;
      } else if (k != null) {
        open.put(k, entry);
      }
    }
    if (earlier != null) {
      withdraw.run();
    }
    return entry;
  }

  private void cancel(String key, String reason) {
    Entry entry;
    synchronized (this) {
      entry = open.remove(key);
      if (entry == null) {
        early.put(key, reason);
        return;
      }
      entry.reason = reason;
    }
    entry.withdraw.run();
  }

  private final class Entry implements Call {
    final String key;
    final Runnable withdraw;
    volatile String reason;

    Entry(String key, Runnable withdraw) {
      this.key = key;
      this.withdraw = withdraw;
    }

    @Override
    public String withdrawn() {
      return reason;
    }

    @Override
    public void close() {
      synchronized (InFlightCalls.this) {
        if (key != null) {
          open.remove(key, this);
        }
      }
    }
  }

  /** Calls in flight now (for tests). */
  synchronized int openCalls() {
    return open.size();
  }

  private static String key(String session, JsonNode id) {
    return session + "#" + id; // "#7" and "#\"7\"" differ, as JSON-RPC ids of different types do
  }
}

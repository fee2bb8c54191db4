package io.daebug.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A realm at the protocol level, in the test's JVM: one {@code java.net.http} WebSocket on {@code /-daebug/realm}
 * that says {@code hello} when open, takes the {@code welcome}, hands each {@code job} to a {@link Jobs} handler and
 * answers pings (the JDK client sends pongs by itself). It evaluates nothing, so what a benchmark measures through it
 * is the broker's own work. Used by the memory, controller and load benchmarks, where a real Node or browser realm per
 * connection would cost more than the broker being measured.
 *
 * <p>Threading: frames are delivered one at a time on the HTTP client's threads; {@link #result} and {@link #event}
 * may be called from any thread: sends are queued in call order (the JDK WebSocket allows one send in flight).
 */
final class WireRealm implements WebSocket.Listener {
  /** What a realm does with a job; runs on the socket's delivery thread, so it must not block. */
  @FunctionalInterface
  interface Jobs {
    void run(WireRealm realm, String jobId, String code);
  }

  /** Answers every job with {@code 2} at once. */
  static final Jobs ANSWER_TWO = (realm, id, code) -> realm.result(id, "2");
  /** Ignores jobs (an idle realm). */
  static final Jobs IGNORE = (realm, id, code) -> { };

  private final String hello;
  private final Jobs jobs;
  private final StringBuilder frame = new StringBuilder();
  private final CompletableFuture<String> welcome = new CompletableFuture<>();
  private final AtomicReference<Throwable> sendFailure = new AtomicReference<>();
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
  private WebSocket ws;

  private WireRealm(String name, Jobs jobs) {
    this.hello = "{\"type\":\"hello\",\"name\":" + quote(name) + ",\"kind\":\"node\",\"url\":" + quote("bench://" + name)
        + ",\"language\":\"javascript\",\"tab\":" + quote("tab-" + name) + ",\"protocol\":1}";
    this.jobs = jobs;
  }

  /** The realm endpoint of a broker whose base URI is {@code broker} ({@code http://host:port/...}). */
  static URI endpoint(URI broker) {
    return URI.create("ws://" + broker.getHost() + ":" + broker.getPort() + "/-daebug/realm");
  }

  /** Opens a realm proposing {@code name}; the future completes when the socket is open (the hello is on its way). */
  static CompletableFuture<WireRealm> connect(HttpClient http, URI broker, String name, Jobs jobs) {
    WireRealm realm = new WireRealm(name, jobs);
    return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(endpoint(broker), realm)
        .thenApply(ws -> realm);
  }

  /** Completes with the name the broker gave this realm. */
  CompletableFuture<String> welcome() {
    return welcome;
  }

  /** The name from the welcome; only once {@link #welcome()} completed. */
  String name() {
    return welcome.getNow(null);
  }

  /** Sends a successful result whose value is the JSON text {@code valueJson}. */
  void result(String jobId, String valueJson) {
    send("{\"type\":\"result\",\"id\":" + quote(jobId) + ",\"ok\":true,\"value\":" + valueJson + "}");
  }

  /** Sends a console event; {@code jobId} null makes it a background event. */
  void event(String jobId, String kind, String text) {
    send("{\"type\":\"event\"" + (jobId == null ? "" : ",\"job\":" + quote(jobId)) + ",\"kind\":" + quote(kind)
        + ",\"time\":" + System.currentTimeMillis() + ",\"text\":" + quote(text) + "}");
  }

  /** The first send that failed, if any (the realm goes on sending the rest). */
  Throwable sendFailure() {
    return sendFailure.get();
  }

  void abort() {
    ws.abort();
  }

  private synchronized void send(String text) {
    sending = sending.thenCompose(x -> ws.sendText(text, true)).handle((x, e) -> {
      if (e != null) {
        sendFailure.compareAndSet(null, e);
      }
      return null;
    });
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    synchronized (this) {
      ws = webSocket;
    }
    send(hello);
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    frame.append(data);
    if (last) {
      String text = frame.toString();
      frame.setLength(0);
      if (text.contains("\"type\":\"job\"")) {
        jobs.run(this, stringField(text, "id"), stringField(text, "code"));
      } else if (text.contains("\"type\":\"welcome\"")) {
        welcome.complete(stringField(text, "name"));
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    welcome.completeExceptionally(new IllegalStateException("closed before welcome: " + statusCode + " " + reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    welcome.completeExceptionally(error);
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** The string value of the first {@code "field":"..."} in a flat JSON object, unescaped; null when absent. */
  static String stringField(String json, String field) {
    String key = "\"" + field + "\":\"";
    int at = json.indexOf(key);
    if (at < 0) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (int i = at + key.length(); i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return out.toString();
      }
      if (c == '\\') {
        char e = json.charAt(++i);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> out.append(e);
        }
      } else {
        out.append(c);
      }
    }
    throw new IllegalArgumentException("unterminated string for " + field + " in " + json);
  }
}

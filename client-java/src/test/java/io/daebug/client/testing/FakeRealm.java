package io.daebug.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted realm speaking the realm protocol over {@code java.net.http.WebSocket}: it records every
 * frame the broker sends and answers only what the test tells it to (a recording peer with
 * {@link #assertExhausted()}, after OkHttp's {@code WebSocketRecorder}). The JDK answers pings itself.
 */
public final class FakeRealm implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final WebSocket ws;
  private final String name;

  private FakeRealm(int port, String proposedName) {
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          try {
            received.add(JSON.readTree(partial.toString()));
          } catch (IOException e) {
            received.add(JSON.createObjectNode().put("type", "undecodable").put("raw", partial.toString()));
          }
          partial.setLength(0);
        }
        socket.request(1);
        return null;
      }
    };
    this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/-daebug/realm"), listener)
        .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    send(JSON.createObjectNode().put("type", "hello").put("name", proposedName).put("kind", "page")
        .put("url", "http://127.0.0.1:" + port + "/").put("language", "javascript").put("protocol", 1));
    this.name = next("welcome").path("name").asText();
  }

  /** Connects, says hello and waits for the welcome. */
  public static FakeRealm connect(int port, String name) {
    return new FakeRealm(port, name);
  }

  /** The name the broker gave this realm. */
  public String name() {
    return name;
  }

  /** The next frame from the broker, which must have this type. */
  public JsonNode next(String type) {
    JsonNode m;
    try {
      m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (m == null) {
      throw new AssertionError("realm " + name + " got no " + type + " within " + WAIT);
    }
    assertThat(m.path("type").asText()).as("next frame to realm %s: %s", name, m).isEqualTo(type);
    return m;
  }

  /** The next job; returns its id. */
  public JsonNode awaitJob() {
    return next("job");
  }

  /** Answers a job with a value given as JSON text. */
  public void result(String jobId, String valueJson) {
    try {
      send(JSON.createObjectNode().put("type", "result").put("id", jobId).put("ok", true).put("durationMs", 0.5)
          .set("value", JSON.readTree(valueJson)));
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + valueJson, e);
    }
  }

  /** Answers a job with a thrown error. */
  public void failure(String jobId, String errorName, String message, String stack) {
    ObjectNode error = JSON.createObjectNode().put("name", errorName).put("message", message).put("stack", stack);
    send(JSON.createObjectNode().put("type", "result").put("id", jobId).put("ok", false).put("durationMs", 0.5)
        .set("error", error));
  }

  /** Sends a console event; {@code jobId} null makes it a background event. */
  public void event(String jobId, String kind, long epochMillis, String text) {
    ObjectNode e = JSON.createObjectNode().put("type", "event").put("kind", kind).put("time", epochMillis).put("text", text);
    if (jobId != null) {
      e.put("job", jobId);
    }
    send(e);
  }

  private void send(JsonNode message) {
    ws.sendText(message.toString(), true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Fails when a frame arrived that the test did not take. */
  public void assertExhausted() {
    List<JsonNode> left = new ArrayList<>();
    received.drainTo(left);
    if (!left.isEmpty()) {
      fail("unexpected frames to realm " + name + ": " + left);
    }
  }

  /** Drops the connection without a close frame, as a crashed tab would. */
  public void abort() {
    ws.abort();
  }

  @Override
  public void close() {
    ws.abort();
  }
}

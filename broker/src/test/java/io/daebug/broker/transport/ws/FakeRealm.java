package io.daebug.broker.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daebug.broker.protocol.ErrorMessage;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ProtocolException;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.ToRealm;
import io.daebug.broker.protocol.Welcome;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A scripted realm on a real WebSocket: it sends what a test tells it to, including garbage, and records
 * every frame the broker sends as a typed {@link ToRealm} in a queue ({@code RecordingListener} in the
 * manner of OkHttp's {@code WebSocketRecorder} and Jetty's {@code EventSocket}). It answers pings only
 * while {@link #autoPong(boolean) auto-pong} is on: overriding {@link #onWebSocketPing} switches Jetty's
 * own automatic pong off, so a test can play a realm that stopped answering.
 */
public final class FakeRealm implements Session.Listener.AutoDemanding, AutoCloseable {
  /** How long a single expected message may take to arrive. */
  static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(5);

  /** A close frame or connection loss, as the realm saw it. */
  public record Closed(int status, String reason) {}

  /** A frame the broker sent: its raw text and, when it decoded, the typed message. */
  public record Received(String raw, ToRealm message, String decodeError) {}

  /** The url every fake realm reports in its hello. */
  public static final String URL = "http://127.0.0.1:8680/";

  private static final MessageCodec CODEC = new MessageCodec();
  private static final ObjectMapper JSON = CODEC.mapper();

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Session> opened = new CompletableFuture<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final List<Throwable> errors = new ArrayList<>();
  private volatile boolean autoPong = true;
  private volatile Session session;

  private FakeRealm() {}

  /** Connects to {@code ws://127.0.0.1:port/-daebug/realm} with extra upgrade headers (e.g. Origin). */
  public static FakeRealm connect(WebSocketClient client, URI uri, Map<String, String> headers) throws Exception {
    FakeRealm realm = new FakeRealm();
    ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
    headers.forEach(request::setHeader);
    client.connect(realm, request).get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    realm.opened.get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return realm;
  }

  // ---- Jetty callbacks ----

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    opened.complete(s);
  }

  @Override
  public void onWebSocketText(String text) {
    try {
      received.add(new Received(text, CODEC.decodeToRealm(text), null));
    } catch (ProtocolException e) {
      received.add(new Received(text, null, e.getMessage()));
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    received.add(new Received("<binary " + payload.remaining() + " bytes>", null, "the broker sent a binary frame"));
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    if (autoPong) {
      session.sendPong(payload, Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    closed.complete(new Closed(statusCode, reason));
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    synchronized (errors) {
      errors.add(cause);
    }
    closed.complete(new Closed(StatusCode.NO_CLOSE, String.valueOf(cause)));
  }

  // ---- script: sending ----

  /** Whether pings are answered (on by default). */
  public FakeRealm autoPong(boolean on) {
    autoPong = on;
    return this;
  }

  /** Sends a hello and waits for the welcome. */
  public Welcome hello(String name) {
    return hello(name, null);
  }

  /** Sends a hello with a tab id and waits for the welcome. */
  public Welcome hello(String name, String tab) {
    sendHello(name, tab);
    return awaitWelcome();
  }

  /** Sends a hello as a browser page would, without waiting. */
  public void sendHello(String name, String tab) {
    ObjectNode hello = JSON.createObjectNode()
        .put("type", "hello")
        .put("name", name)
        .put("kind", "page")
        .put("url", URL)
        .put("language", "javascript")
        .put("protocol", 1);
    if (tab != null) {
      hello.put("tab", tab);
    }
    sendRaw(hello.toString());
  }

  /** Sends a successful result whose value is the given JSON text. */
  public void sendResult(String jobId, String valueJson) {
    try {
      sendRaw(JSON.createObjectNode().put("type", "result").put("id", jobId).put("ok", true)
          .put("durationMs", 0.5).set("value", JSON.readTree(valueJson)).toString());
    } catch (Exception e) {
      throw new IllegalArgumentException("not JSON: " + valueJson, e);
    }
  }

  /** Sends a failed result. */
  public void sendFailure(String jobId, String name, String message, String stack) {
    ObjectNode error = JSON.createObjectNode().put("name", name).put("message", message).put("stack", stack);
    sendRaw(JSON.createObjectNode().put("type", "result").put("id", jobId).put("ok", false)
        .put("durationMs", 0.5).set("error", error).toString());
  }

  /** Sends a console event; {@code jobId} null makes it a background event. */
  public void sendEvent(String jobId, String kind, long epochMillis, String text) {
    ObjectNode event = JSON.createObjectNode().put("type", "event").put("kind", kind).put("time", epochMillis)
        .put("text", text);
    if (jobId != null) {
      event.put("job", jobId);
    }
    sendRaw(event.toString());
  }

  /** Sends a text frame as is. */
  public void sendRaw(String text) {
    await(Callback.Completable.with(c -> session.sendText(text, c)));
  }

  /** Starts sending a text frame without waiting (the broker may close the connection meanwhile). */
  public CompletableFuture<Void> sendRawAsync(String text) {
    return Callback.Completable.with(c -> session.sendText(text, c));
  }

  /** Sends a binary frame. */
  public void sendBinary(byte[] bytes) {
    await(Callback.Completable.with(c -> session.sendBinary(ByteBuffer.wrap(bytes), c)));
  }

  // ---- script: receiving ----

  /** The next message, which must be of this type. */
  public <T extends ToRealm> T next(Class<T> type) {
    return next(type, RECEIVE_TIMEOUT);
  }

  /** The next message within {@code timeout}, which must be of this type. */
  public <T extends ToRealm> T next(Class<T> type, Duration timeout) {
    Received r;
    try {
      r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (r == null) {
      throw new AssertionError("no " + type.getSimpleName() + " within " + timeout + "; closed: "
          + closed.getNow(null));
    }
    if (r.message() == null) {
      throw new AssertionError("undecodable frame from the broker (" + r.decodeError() + "): " + r.raw());
    }
    assertThat(r.message()).as("next message from the broker").isInstanceOf(type);
    return type.cast(r.message());
  }

  public Welcome awaitWelcome() {
    return next(Welcome.class);
  }

  public RunJob awaitJob() {
    return next(RunJob.class);
  }

  /** The next message if it comes within {@code wait} (it must be a job), else null: for realms that idle. */
  public RunJob pollJob(Duration wait) throws InterruptedException {
    Received r = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      return null;
    }
    if (!(r.message() instanceof RunJob job)) {
      throw new AssertionError("expected a job from the broker, got: " + r.raw());
    }
    return job;
  }

  public ErrorMessage awaitError() {
    return next(ErrorMessage.class);
  }

  /** How many messages arrived and were not taken yet. */
  public int pending() {
    return received.size();
  }

  /** Waits for the connection to close and returns the status and reason the realm saw. */
  public Closed awaitClosed() {
    try {
      return closed.get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the connection did not close within " + RECEIVE_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  public boolean isOpen() {
    Session s = session;
    return s != null && s.isOpen() && !closed.isDone();
  }

  /** Fails when a message arrived that the test did not take. */
  public void assertExhausted() {
    List<Received> left = new ArrayList<>();
    received.drainTo(left);
    if (!left.isEmpty()) {
      fail("unexpected messages from the broker: " + left.stream().map(Received::raw).toList());
    }
  }

  // ---- ending ----

  /** Closes normally (1000) and waits for the broker's close frame. */
  @Override
  public void close() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close(StatusCode.NORMAL, "bye", Callback.NOOP);
      try {
        closed.get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        s.disconnect();
      }
    }
  }

  /** Drops the TCP connection without a close frame, as a crashed tab or a lost network would. */
  public void abort() {
    Session s = session;
    if (s != null) {
      s.disconnect();
    }
  }

  private static void await(CompletableFuture<?> f) {
    try {
      f.get(RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("send failed: " + e, e);
    }
  }
}

package io.daebug.broker.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ProtocolException;
import io.daebug.broker.protocol.RealmUpdate;
import io.daebug.broker.protocol.ToController;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A scripted controller on a real WebSocket: sends what a test says and records every frame from the broker
 * as a typed {@link ToController} (the controller-side twin of {@link FakeRealm}).
 */
public final class FakeController implements Session.Listener.AutoDemanding, AutoCloseable {
  private static final MessageCodec CODEC = new MessageCodec();
  private static final ObjectMapper JSON = CODEC.mapper();

  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Session> opened = new CompletableFuture<>();
  private final CompletableFuture<FakeRealm.Closed> closed = new CompletableFuture<>();
  private volatile Session session;
  private final List<RealmUpdate> updates = new ArrayList<>();

  private FakeController() {}

  /** Connects with extra upgrade headers; fails (with the HTTP status in the message) when refused. */
  static FakeController connect(WebSocketClient client, URI uri, Map<String, String> headers) throws Exception {
    FakeController c = new FakeController();
    ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
    headers.forEach(request::setHeader);
    client.connect(c, request).get(FakeRealm.RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    c.opened.get(FakeRealm.RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
    opened.complete(s);
  }

  @Override
  public void onWebSocketText(String text) {
    try {
      received.add(CODEC.decodeToController(text));
    } catch (ProtocolException e) {
      received.add(new AssertionError("undecodable frame from the broker (" + e.getMessage() + "): " + text));
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    closed.complete(new FakeRealm.Closed(statusCode, reason));
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    closed.complete(new FakeRealm.Closed(StatusCode.NO_CLOSE, String.valueOf(cause)));
  }

  ControllerWelcome hello(String name) {
    send(JSON.createObjectNode().put("type", "hello").put("name", name).put("protocol", 1));
    return next(ControllerWelcome.class);
  }

  void submit(String ref, String realm, String code) {
    send(JSON.createObjectNode().put("type", "submit").put("ref", ref).put("realm", realm).put("code", code));
  }

  void submit(String ref, String realm, String code, long timeoutMs) {
    send(JSON.createObjectNode().put("type", "submit").put("ref", ref).put("realm", realm).put("code", code)
        .put("timeoutMs", timeoutMs));
  }

  void send(ObjectNode message) {
    sendRaw(message.toString());
  }

  void sendRaw(String text) {
    try {
      Callback.Completable.with(c -> session.sendText(text, c)).get(FakeRealm.RECEIVE_TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("send failed: " + e, e);
    }
  }

  static ObjectNode message(String type) {
    return JSON.createObjectNode().put("type", type);
  }

  /**
   * The next message, which must be of this type. {@link RealmUpdate}s go to every controller whenever a
   * realm changes state, interleaved with everything else: unless asked for, they are set aside for
   * {@link #nextUpdate}.
   */
  <T extends ToController> T next(Class<T> type) {
    if (type == RealmUpdate.class && !updates.isEmpty()) {
      return type.cast(updates.remove(0));
    }
    Object m = poll();
    while (m instanceof RealmUpdate u && type != RealmUpdate.class) {
      updates.add(u);
      m = poll();
    }
    assertThat(m).as("next message from the broker").isInstanceOf(type);
    return type.cast(m);
  }

  /** The next realm update whose realm has this state, skipping others. */
  RealmUpdate nextUpdate(String realm, String state) {
    while (true) {
      RealmUpdate u = next(RealmUpdate.class);
      if (u.realm().name().equals(realm) && u.realm().state().equals(state)) {
        return u;
      }
    }
  }

  /** The next message of this type that matches, skipping (and returning in {@code skipped}) others. */
  <T extends ToController> T nextMatching(Class<T> type, Predicate<T> which, List<ToController> skipped) {
    while (true) {
      Object m = poll();
      if (type.isInstance(m) && which.test(type.cast(m))) {
        return type.cast(m);
      }
      skipped.add((ToController) m);
    }
  }

  private Object poll() {
    Object m;
    try {
      m = received.poll(FakeRealm.RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (m == null) {
      throw new AssertionError("no message within " + FakeRealm.RECEIVE_TIMEOUT + "; closed: " + closed.getNow(null));
    }
    if (m instanceof AssertionError e) {
      throw e;
    }
    return m;
  }

  /** Takes every message that arrived so far. */
  List<Object> drain() {
    List<Object> out = new ArrayList<>();
    received.drainTo(out);
    return out;
  }

  /** Fails when a message other than a realm update arrived that the test did not take. */
  void assertExhausted() {
    List<Object> left = new ArrayList<>(drain());
    left.removeIf(m -> m instanceof RealmUpdate);
    if (!left.isEmpty()) {
      fail("unexpected messages from the broker: " + left);
    }
  }

  FakeRealm.Closed awaitClosed() {
    try {
      return closed.get(FakeRealm.RECEIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the connection did not close: " + e, e);
    }
  }

  @Override
  public void close() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close(StatusCode.NORMAL, "bye", Callback.NOOP);
    }
  }
}

package io.daebug.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Transport} over {@code java.net.http.WebSocket}. Sends are chained (the JDK refuses a send while
 * another is pending), partial text frames are joined, and the JDK answers pings itself.
 */
public final class JdkWebSocketTransport implements Transport {
  /** How long a closing handshake may take before the connection is dropped. */
  private static final long CLOSE_GRACE_MS = 2000;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public CompletableFuture<Socket> open(URI uri, Map<String, String> headers, Duration timeout, Listener listener) {
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
    headers.forEach(builder::header);
    Receiver receiver = new Receiver(listener);
    return builder.buildAsync(uri, receiver).handle((ws, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException h) {
          throw new CompletionException(new HandshakeRefusedException(h.getResponse().statusCode(), h));
        }
        throw new CompletionException(cause);
      }
      return new JdkSocket(ws);
    });
  }

  /** Joins partial frames and reports the end of the connection once. */
  private static final class Receiver implements WebSocket.Listener {
    private final Listener listener;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();

    Receiver(Listener listener) {
      this.listener = listener;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        listener.onText(text);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      if (ended.compareAndSet(false, true)) {
        listener.onClosed(statusCode, reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      if (ended.compareAndSet(false, true)) {
        listener.onError(error);
      }
    }
  }

  private static final class JdkSocket implements Socket {
    private final WebSocket ws;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    JdkSocket(WebSocket ws) {
      this.ws = ws;
    }

    @Override
    public synchronized CompletableFuture<Void> send(String text) {
      CompletableFuture<Void> next = tail.exceptionally(e -> null)
          .thenCompose(v -> ws.sendText(text, true))
          .thenApply(w -> null);
      tail = next;
      return next;
    }

    @Override
    public synchronized void close(int status, String reason) {
      tail.exceptionally(e -> null).thenCompose(v -> ws.sendClose(status, reason))
          .whenComplete((w, e) -> {
            if (e != null) {
              ws.abort();
            }
          });
      CompletableFuture.delayedExecutor(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS).execute(() -> {
        if (!ws.isInputClosed()) {
          ws.abort();
        }
      });
    }

    @Override
    public void abort() {
      ws.abort();
    }
  }
}

package io.daebug.client.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The seam between the client's protocol logic and the WebSocket: the real one is
 * {@link JdkWebSocketTransport}; unit tests script one in memory (after nats.ws's
 * {@code setTransportFactory}).
 */
public interface Transport {
  /**
   * Opens a connection.
   *
   * @param uri the {@code ws://} or {@code wss://} URL
   * @param headers extra upgrade headers (e.g. {@code Authorization})
   * @param timeout the longest the opening handshake may take
   * @param listener hears frames and the end of the connection; called on any thread, one call at a time
   * @return the open socket, or a failure ({@link HandshakeRefusedException} when the server answered
   *     the upgrade with an HTTP status)
   */
  CompletableFuture<Socket> open(URI uri, Map<String, String> headers, Duration timeout, Listener listener);

  /** An open connection. Methods may be called from any thread. */
  interface Socket {
    /** Sends one text frame after the ones sent before it; the future fails when the frame was not sent. */
    CompletableFuture<Void> send(String text);

    /** Starts a closing handshake; the connection is dropped if the peer does not answer soon. */
    void close(int status, String reason);

    /** Drops the connection at once. */
    void abort();
  }

  /** What a connection reports. After {@link #onClosed} or {@link #onError} nothing more is reported. */
  interface Listener {
    /** A whole text frame arrived. */
    void onText(String text);

    /** The peer closed the connection. */
    void onClosed(int status, String reason);

    /** The connection failed. */
    void onError(Throwable error);
  }

  /** The server refused the WebSocket upgrade with an HTTP status, such as 401 for a missing token. */
  final class HandshakeRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status of the refusal. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status
     * @param cause the transport's own exception; nullable
     */
    public HandshakeRefusedException(int status, Throwable cause) {
      super("the broker refused the connection with HTTP " + status
          + (status == 401 ? " (token missing or wrong)" : status == 403 ? " (host or origin not allowed)" : ""),
          cause);
      this.status = status;
    }

    /** The HTTP status. */
    public int status() {
      return status;
    }
  }
}

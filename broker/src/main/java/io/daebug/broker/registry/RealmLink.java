package io.daebug.broker.registry;

import io.daebug.broker.protocol.ToRealm;
import java.util.concurrent.CompletableFuture;

/** The broker's side of one realm connection; implemented by the WebSocket transport. Thread-safe. */
public interface RealmLink {
  /** Sends a message; the future fails when it could not be written. */
  CompletableFuture<Void> send(ToRealm message);

  /** Sends a WebSocket ping (liveness). */
  void ping();

  /** Closes the connection with a status code and a reason the peer sees. */
  void close(int code, String reason);

  /** The peer's address and port, for logs. */
  String remote();

  /** The peer's IP address alone, for per-address limits. */
  String address();
}

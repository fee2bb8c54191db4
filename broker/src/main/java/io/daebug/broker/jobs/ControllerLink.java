package io.daebug.broker.jobs;

import io.daebug.broker.protocol.ToController;
import java.util.concurrent.CompletableFuture;

/** The broker's side of one controller connection; implemented by the WebSocket transport. Thread-safe. */
public interface ControllerLink {
  /** Sends a message; the future fails when it could not be written. */
  CompletableFuture<Void> send(ToController message);

  /**
   * Sends a WebSocket ping, fire and forget. Controllers are pinged like realms, so one that waits quietly for a
   * long job is not closed by the transport's idle timeout.
   */
  void ping();

  /** Closes the connection with a status code and a reason the peer sees. */
  void close(int code, String reason);

  /** The peer's address, for logs. */
  String remote();
}

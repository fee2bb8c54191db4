package io.daebug.client;

/**
 * Hears about the client's connection. Register with {@link DaebugClient#addConnectionListener}, or with
 * {@link Daebug#connect(ClientOptions, ConnectionListener)} to hear {@link ConnectionEvent#CONNECTED}
 * too. Called on the client's thread (see {@link DaebugClient}); must not block.
 */
@FunctionalInterface
public interface ConnectionListener {
  /**
   * The connection changed.
   *
   * @param event what happened; the order is described on {@link ConnectionEvent}
   */
  void onConnectionEvent(ConnectionEvent event);
}

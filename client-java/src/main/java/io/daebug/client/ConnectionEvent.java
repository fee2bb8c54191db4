package io.daebug.client;

/**
 * A change of a client's connection to the broker, delivered to {@link ConnectionListener}s.
 *
 * <p>Order: {@code CONNECTED} comes first and once; then any number of {@code DISCONNECTED} ->
 * {@code RECONNECTED} pairs (a {@code DISCONNECTED} without its {@code RECONNECTED} when the client is
 * closed meanwhile, or when reconnecting is off); {@code CLOSED} comes last and once.
 */
public enum ConnectionEvent {
  /** The first connection is up: the broker welcomed the client. */
  CONNECTED,
  /** The connection was lost; jobs in flight failed with {@link BrokerUnavailableException}. */
  DISCONNECTED,
  /** The client connected again, re-sent its watches and refreshed its realm list. */
  RECONNECTED,
  /** {@link DaebugClient#close()} was called; no callback follows. */
  CLOSED
}

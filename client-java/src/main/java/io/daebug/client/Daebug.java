package io.daebug.client;

import io.daebug.client.internal.DefaultDaebugClient;
import io.daebug.client.internal.JdkWebSocketTransport;
import java.net.URI;

/** Entry point: connects a {@link DaebugClient} to a broker. */
public final class Daebug {
  private Daebug() {}

  /**
   * Connects with default options (see {@link ClientOptions}).
   *
   * @param broker the broker's address, such as {@code http://127.0.0.1:8680/} (a {@code ?token=} is used)
   * @return a connected client
   * @throws BrokerUnavailableException when no connection is established within the connect timeout, or
   *     the broker refuses it (missing or wrong token)
   */
  public static DaebugClient connect(URI broker) {
    return connect(ClientOptions.of(broker));
  }

  /**
   * Connects and waits for the broker's welcome. When reconnecting is on, a refused or failed attempt
   * is retried with backoff until the connect timeout; a refused token is not retried.
   *
   * @param options where and how to connect
   * @return a connected client
   * @throws BrokerUnavailableException when no connection is established within the connect timeout, or
   *     the broker refuses it (missing or wrong token)
   */
  public static DaebugClient connect(ClientOptions options) {
    return connect(options, null);
  }

  /**
   * Connects as {@link #connect(ClientOptions)} does, with a connection listener registered before the
   * first attempt, so it also hears {@link ConnectionEvent#CONNECTED}.
   *
   * @param options where and how to connect
   * @param listener the listener; nullable
   * @return a connected client
   * @throws BrokerUnavailableException as for {@link #connect(ClientOptions)}
   */
  public static DaebugClient connect(ClientOptions options, ConnectionListener listener) {
    return DefaultDaebugClient.connect(options, new JdkWebSocketTransport(), listener);
  }
}

package io.daebug.broker.http;

import io.daebug.broker.config.BrokerConfig;
import java.net.URI;
import org.eclipse.jetty.server.Handler;

/**
 * Something the executable jar adds to the broker's HTTP side without the broker knowing what it is (the MCP
 * endpoint lives in {@code daebug-app}, which may depend on the Java client; the broker may not). The broker
 * answers every request whose path is {@link #path()} or below it with {@link #handler()}, behind the checks
 * every controller endpoint has: the {@code Host} and {@code Origin} policy and the controller token (required
 * from every client with {@code --require-token}, else from clients not on loopback).
 *
 * <p>Lifecycle: the handler is started and stopped with the broker's Jetty server; {@link #started} is called
 * once the broker listens, before {@code Broker.start} returns; {@link #close()} when the broker stops, before
 * its server stops, so the extension can end its own connections to the broker first.
 */
public interface BrokerExtension extends AutoCloseable {
  /**
   * The path it answers, such as {@code /-daebug/mcp}: that path and the paths below it.
   *
   * @return an absolute path under {@code /-daebug/}
   */
  String path();

  /**
   * The Jetty handler of the requests under {@link #path()} that passed the broker's checks.
   *
   * @return the handler, the same on every call
   */
  Handler handler();

  /**
   * Called once the broker listens.
   *
   * @param controllerUri the broker's address for controllers (a client on loopback), with its
   *     {@code ?token=} when it has one
   * @param config the broker's configuration (its root is absolute)
   */
  default void started(URI controllerUri, BrokerConfig config) {}

  /**
   * A line for the broker's start-up banner, such as where to point an agent.
   *
   * @param brokerUri the broker's address as it prints it (with its {@code ?token=} when it has one)
   * @return the line, or null for none
   */
  default String banner(URI brokerUri) {
    return null;
  }

  /** Called when the broker stops, before its server does. Must not throw. */
  @Override
  default void close() {}
}

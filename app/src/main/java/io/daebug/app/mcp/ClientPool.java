package io.daebug.app.mcp;

import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One controller connection per MCP client name, so each agent's jobs carry its own name in the journal
 * (the controller protocol names the agent per connection). Connected on first use, kept (reconnecting by
 * itself) until the pool closes; at most {@value #MAX} names, the least recently used closed beyond that.
 * Thread-safe.
 */
final class ClientPool implements AutoCloseable {
  static final int MAX = 32;

  private final Function<String, ClientOptions> options;
  private final LinkedHashMap<String, DaebugClient> clients = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  /** @param options the options of the connection for an agent name */
  ClientPool(Function<String, ClientOptions> options) {
    this.options = options;
  }

  /**
   * The connection of an agent, connected now when it has none.
   *
   * @throws io.daebug.client.BrokerUnavailableException when the broker cannot be reached
   */
  DaebugClient client(String agent) {
    synchronized (this) {
      if (closed) {
        throw new io.daebug.client.BrokerUnavailableException("the MCP server is shutting down");
      }
      DaebugClient c = clients.get(agent);
      if (c != null) {
        return c;
      }
    }
    // Connect outside the lock: other agents' calls go on meanwhile.
    DaebugClient fresh = Daebug.connect(options.apply(agent));
    DaebugClient evicted = null;
    DaebugClient winner;
    synchronized (this) {
      DaebugClient raced = clients.get(agent);
      if (closed || raced != null) {
        winner = closed ? null : raced;
        evicted = fresh;
      } else {
        clients.put(agent, fresh);
        winner = fresh;
        if (clients.size() > MAX) {
          Iterator<Map.Entry<String, DaebugClient>> eldest = clients.entrySet().iterator();
          evicted = eldest.next().getValue();
          eldest.remove();
        }
      }
    }
    if (evicted != null) {
      evicted.close();
    }
    if (winner == null) {
      throw new io.daebug.client.BrokerUnavailableException("the MCP server is shutting down");
    }
    return winner;
  }

  @Override
  public void close() {
    java.util.List<DaebugClient> all;
    synchronized (this) {
      closed = true;
      all = new java.util.ArrayList<>(clients.values());
      clients.clear();
    }
    all.forEach(DaebugClient::close);
  }
}

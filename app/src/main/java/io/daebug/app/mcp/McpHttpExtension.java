package io.daebug.app.mcp;

import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.http.BrokerExtension;
import io.daebug.client.ClientOptions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;

/**
 * MCP over Streamable HTTP at {@value #PATH} on the broker itself: the SDK's servlet transport in a servlet
 * context mounted behind the broker's Host, Origin and controller-token checks ({@link BrokerExtension}). The
 * tools reach realms through controller connections to the broker's own endpoint on loopback, one per MCP
 * client name, exactly as the stdio server does. {@link CallTapFilter} sees each message first, for MCP
 * cancellation.
 */
public final class McpHttpExtension implements BrokerExtension {
  /** Where the broker serves MCP. */
  public static final String PATH = "/-daebug/mcp";
  /** The largest message body, as the SDK's transport takes by default (16 MiB). */
  static final int MAX_BODY = 16 * 1024 * 1024;

  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final HttpServletStreamableServerTransportProvider transport;
  private final ServletContextHandler context;
  private final InFlightCalls calls = new InFlightCalls();
  private volatile ClientPool pool;
  private volatile McpSyncServer server;

  /** An endpoint to mount on one broker. */
  public McpHttpExtension() {
    transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(json).mcpEndpoint(PATH)
        .keepAliveInterval(Duration.ofSeconds(30)).build();
    context = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder("daebug-mcp", transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH);
    context.addFilter(new FilterHolder(new CallTapFilter(calls, MAX_BODY)), PATH, EnumSet.of(DispatcherType.REQUEST));
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public Handler handler() {
    return context;
  }

  @Override
  public String banner(URI brokerUri) {
    return "Agents: MCP at " + brokerUri.resolve(PATH).toString().replaceAll("\\?.*", "")
        + " (or the stdio server: java -jar <this jar> mcp; see docs/mcp.md).";
  }

  @Override
  public void started(URI controllerUri, BrokerConfig config) {
    ClientPool clients = new ClientPool(agent -> ClientOptions.of(controllerUri).withClientName(agent)
        .withConnectTimeout(Duration.ofSeconds(5)));
    pool = clients;
    server = McpCommand.server(McpServer.sync(transport), json,
        new DaebugTools(clients, config.root(), controllerUri.resolve("/").toString(), calls));
  }

  @Override
  public void close() {
    if (server != null) {
      server.closeGracefully();
    }
    if (pool != null) {
      pool.close();
    }
  }
}

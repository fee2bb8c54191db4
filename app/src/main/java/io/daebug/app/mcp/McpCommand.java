package io.daebug.app.mcp;

import io.daebug.app.BrokerOptions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code daebug mcp}: an MCP server on stdin/stdout for agent hosts that start their tools as processes. It
 * connects to a running broker as a controller on its first tool call (so it can start before the broker) and
 * starts nothing else; stdout carries MCP JSON-RPC only, logs go to stderr. It exits when stdin ends.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serves MCP on stdin/stdout (for agent hosts: Claude Code, Claude Desktop, VS Code, Cursor...),"
        + " talking to a running broker as a controller. Tools: list_realms, run, cancel, read_log, wait_for_realm.",
        "See docs/mcp.md. Exits when stdin closes."})
public final class McpCommand implements Callable<Integer> {
  @Mixin
  BrokerOptions broker;

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    InFlightCalls calls = new InFlightCalls();
    InputStream tapped = new TappedInput(System.in, line -> calls.inbound("stdio", line), McpHttpExtension.MAX_BODY);
    InputStream in = new FilterInputStream(tapped) {
      @Override
      public int read() throws IOException {
        return ended(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return ended(super.read(b, off, len));
      }

      private int ended(int n) {
        if (n < 0) {
          ended.countDown();
        }
        return n;
      }
    };
    McpJsonMapper json = McpJsonDefaults.getMapper();
    StdioServerTransportProvider transport = new StdioServerTransportProvider(json, in, System.out);
    try (ClientPool pool = new ClientPool(broker::clientOptions)) {
      McpSyncServer server = server(McpServer.sync(transport), json,
          new DaebugTools(pool, broker.root(), broker.brokerUri().toString(), calls));
      ended.await();
      server.closeGracefully();
    }
    return 0;
  }

  /** The server both transports build: Daebug's name and version, its instructions and the five tools. */
  static McpSyncServer server(McpServer.SyncSpecification<?> spec, McpJsonMapper json, DaebugTools tools) {
    return spec.serverInfo("daebug", io.daebug.app.DaebugCommand.VERSION)
        .instructions("Daebug runs code in live realms (browser tabs, workers, iframes, Node processes, JVMs) and"
            + " journals every run in daebug/<realm>.md. list_realms or wait_for_realm to find a realm, run to run"
            + " code there, read_log to see what happened there (other agents' runs and console output included).")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(tools.specifications(json))
        .build();
  }
}

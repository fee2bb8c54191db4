package io.daebug.it;

import io.daebug.app.mcp.McpHttpExtension;
import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import io.daebug.client.RealmInfo;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (a program, not a test): {@code 1+1} in a headless Chromium tab, through the MCP tool {@code run} over
 * Streamable HTTP ({@code /-daebug/mcp}, the SDK's own client) and through the Java client, one call at a time,
 * the two alternating round by round so both see the same machine load. Prints min/median/p99 milliseconds.
 *
 * <p>Run: {@code mvn -B -o -q -pl integration-tests -am test-compile exec:exec@mcp-bench -Dexec.executable=true
 * -Dtest=none -Dbench.rounds=300}
 */
public final class McpBench {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private McpBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 300;
    int warmup = Math.max(50, rounds / 5);
    Path root = Files.createTempDirectory("daebug-bench-mcp-");
    Pages.write(root, "index.html");
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0), List.of(new McpHttpExtension()));
        DaebugClient client = Daebug.connect(ClientOptions.of(broker.uri()).withClientName("bench-java"))) {
      Chromium chromium = Chromium.open(broker.uri().toString());
      try (McpSyncClient mcp = McpClient.sync(HttpClientStreamableHttpTransport.builder(broker.uri().toString())
          .endpoint(McpHttpExtension.PATH).build())
          .clientInfo(McpSchema.Implementation.builder("bench-mcp", "1").build()).requestTimeout(WAIT).build()) {
        mcp.initialize();
        String tab = awaitPage(client);
        JobRequest job = JobRequest.js(tab, "1+1");
        McpSchema.CallToolRequest call = McpSchema.CallToolRequest.builder("run")
            .arguments(Map.of("realm", tab, "code", "1+1")).build();
        long[] java = new long[rounds];
        long[] overMcp = new long[rounds];
        for (int i = 0; i < warmup + rounds; i++) {
          long start = System.nanoTime();
          if (client.run(job, WAIT).asInt() != 2) {
            throw new IllegalStateException("1+1 is not 2 through the Java client");
          }
          long javaNanos = System.nanoTime() - start;
          start = System.nanoTime();
          McpSchema.CallToolResult r = mcp.callTool(call);
          long mcpNanos = System.nanoTime() - start;
          String text = ((McpSchema.TextContent) r.content().get(0)).text();
          if (Boolean.TRUE.equals(r.isError()) || !text.contains("\n2\n")) {
            throw new IllegalStateException("unexpected MCP result: " + text);
          }
          if (i >= warmup) {
            java[i - warmup] = javaNanos;
            overMcp[i - warmup] = mcpNanos;
          }
        }
        System.out.printf(Locale.ROOT, "%-44s %9s %9s %9s%n", "1+1 in a headless Chromium tab (" + rounds + " rounds)",
            "min ms", "median", "p99");
        System.out.println(row("Java client (controller WebSocket)", java));
        System.out.println(row("MCP tool run over Streamable HTTP", overMcp));
      } finally {
        chromium.close();
      }
    } finally {
      TempDirs.deleteTree(root);
    }
  }

  private static String row(String what, long[] nanos) {
    Arrays.sort(nanos);
    return String.format(Locale.ROOT, "%-44s %9.2f %9.2f %9.2f", what, nanos[0] / 1e6, nanos[nanos.length / 2] / 1e6,
        nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6);
  }

  private static String awaitPage(DaebugClient client) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (RealmInfo r : client.refreshRealms().join()) {
        if ("page".equals(r.kind()) && "live".equals(r.state())) {
          return r.name();
        }
      }
    }
    throw new IllegalStateException("no Chromium realm within " + WAIT);
  }
}

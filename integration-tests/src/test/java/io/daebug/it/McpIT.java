package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.app.mcp.McpHttpExtension;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MCP server as agents use it: the SDK's own client over Streamable HTTP (the broker's {@code /-daebug/mcp})
 * and over stdio ({@code java -jar broker/target/daebug.jar mcp} as a child process), against a real broker, a
 * real headless Chromium tab and a real Node realm. Every tool over both transports; each run journalled under
 * the client's name.
 */
class McpIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;
  static NodeRealmProcess node;
  static LogFile tab;
  static LogFile nodeLog;
  static McpSyncClient http;
  static McpSyncClient stdio;
  static RecordingMcpTransport httpWire;
  static RecordingMcpTransport stdioWire;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, UnaryOperator.identity(), List.of(new McpHttpExtension()), "mcp.html");
    URI uri = fixture.broker().uri();
    tab = fixture.realm("mcp.html");
    node = NodeRealmProcess.start(uri, "mcp-node", root);
    nodeLog = fixture.registry().awaitNode("mcp-node", node, "live", () -> "(in process)");
    httpWire = new RecordingMcpTransport(HttpClientStreamableHttpTransport.builder(uri.toString())
        .endpoint(McpHttpExtension.PATH).build());
    http = McpClient.sync(httpWire).clientInfo(McpSchema.Implementation.builder("it-http", "1").build()).requestTimeout(Duration.ofSeconds(60))
        .build();
    http.initialize();
    ServerParameters mcp = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .args("-jar", BrokerProcess.jar().toString(), "mcp", "--broker", uri.toString(), "--root", root.toString())
        .build();
    stdioWire = new RecordingMcpTransport(new StdioClientTransport(mcp, McpJsonDefaults.getMapper()));
    stdio = McpClient.sync(stdioWire)
        .clientInfo(McpSchema.Implementation.builder("it-stdio", "1").build()).requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60)).build();
    stdio.initialize();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {stdio, http, node, fixture}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.err.println("closing " + c + ": " + e);
      }
    }
  }

  static McpSyncClient client(String transport) {
    return transport.equals("http") ? http : stdio;
  }

  static CallToolResult call(String transport, String tool, Map<String, Object> args) {
    return client(transport).callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
  }

  static String text(CallToolResult r) {
    return r.content().stream().map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
  }

  @Test
  void bothTransportsListTheFiveTools() {
    for (McpSyncClient c : List.of(http, stdio)) {
      assertThat(c.listTools().tools()).extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder("list_realms", "run", "cancel", "read_log", "wait_for_realm");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void listsTheTabAndTheNodeRealmWithTheirFacts(String transport) {
    String all = text(call(transport, "list_realms", Map.of()));
    assertThat(all).contains("\"name\" : \"" + tab.realm() + "\"", "\"kind\" : \"page\"", "\"title\" : \"" + Pages.TITLE + "\"",
        "\"log\" : \"daebug/" + tab.realm() + ".md\"", "\"name\" : \"" + nodeLog.realm() + "\"", "\"lastSeen\" : \"");
    String nodes = text(call(transport, "list_realms", Map.of("kind", "node")));
    assertThat(nodes).contains(nodeLog.realm()).doesNotContain(tab.realm());
    assertThat(text(call(transport, "list_realms", Map.of("name", "mcp-*")))).contains(nodeLog.realm())
        .doesNotContain(tab.realm());
  }

  @Test
  void aTitleThePageSetsAfterConnectingReachesControllers() {
    try {
      assertThat(text(call("http", "run", Map.of("realm", tab.realm(), "code", "document.title = 'Inbox (3)'"))))
          .contains("Inbox (3)");
      await().untilAsserted(() -> assertThat(text(call("http", "list_realms", Map.of("name", tab.realm()))))
          .contains("\"title\" : \"Inbox (3)\""));
    } finally {
      call("http", "run", Map.of("realm", tab.realm(), "code", "document.title = '" + Pages.TITLE + "'"));
    }
    await().untilAsserted(() -> assertThat(text(call("http", "list_realms", Map.of("name", tab.realm()))))
        .contains("\"title\" : \"" + Pages.TITLE + "\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void runsCodeInTheTabAndInNodeJournalledUnderTheClientsName(String transport) {
    CallToolResult inTab = call(transport, "run", Map.of("realm", tab.realm(),
        "code", "console.log('seen by " + transport + "'); document.title"));
    assertThat(inTab.isError()).as(text(inTab)).isFalse();
    assertThat(text(inTab)).contains("ok in " + tab.realm(), Pages.TITLE, "[log] seen by " + transport);
    CallToolResult inNode = call(transport, "run", Map.of("realm", nodeLog.realm(), "code", "6 * 7"));
    assertThat(text(inNode)).contains("42");
    String agent = "it-" + transport;
    await().untilAsserted(() -> assertThat(tab.read()).contains("### \uD83D\uDDE3\uFE0F" + agent + " to " + tab.realm(),
        "seen by " + transport));
    await().untilAsserted(() -> assertThat(nodeLog.read()).contains("### \uD83D\uDDE3\uFE0F" + agent + " to " + nodeLog.realm()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void anErrorComesBackAsAToolErrorWithItsStack(String transport) {
    CallToolResult r = call(transport, "run", Map.of("realm", tab.realm(),
        "code", "function explode() { throw new TypeError('bad thing'); }\nexplode()"));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).contains("error in " + tab.realm(), "TypeError: bad thing", "explode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void cancelsTheJobARealmIsRunning(String transport) {
    CompletableFuture<CallToolResult> longJob = CompletableFuture.supplyAsync(() -> call(transport, "run",
        Map.of("realm", nodeLog.realm(), "code", "await new Promise(r => setTimeout(r, 120000))")));
    await().untilAsserted(() -> assertThat(text(call(transport, "list_realms", Map.of("name", nodeLog.realm()))))
        .contains("\"job\" : \"j-"));
    CallToolResult cancel = call(transport, "cancel", Map.of("realm", nodeLog.realm()));
    assertThat(cancel.isError()).as(text(cancel)).isFalse();
    CallToolResult ended = longJob.join();
    assertThat(ended.isError()).isTrue();
    assertThat(text(ended)).contains("cancelled");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void anMcpCancellationCancelsTheJobOfThatCall(String transport) {
    String marker = "withdrawn-" + transport;
    CompletableFuture<CallToolResult> longJob = CompletableFuture.supplyAsync(() -> call(transport, "run",
        Map.of("realm", nodeLog.realm(), "code", "await new Promise(r => setTimeout(r, 120000)); '" + marker + "'")));
    await().untilAsserted(() -> assertThat(text(call(transport, "list_realms", Map.of("name", nodeLog.realm()))))
        .contains("\"job\" : \"j-"));
    RecordingMcpTransport wire = transport.equals("http") ? httpWire : stdioWire;
    Object id = wire.toolCallId("run", a -> String.valueOf(a.get("code")).contains(marker)).orElseThrow();
    wire.cancel(id, "the user pressed Esc");
    assertThat(longJob).succeedsWithin(Duration.ofSeconds(30)).satisfies(r -> {
      assertThat(r.isError()).isTrue();
      assertThat(text(r)).contains("cancelled: the MCP client withdrew this call (the user pressed Esc)");
    });
    await().untilAsserted(() -> assertThat(nodeLog.read()).contains(marker, "cancelled by it-" + transport));
    assertThat(text(call(transport, "run", Map.of("realm", nodeLog.realm(), "code", "'free again'")))).contains("free again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void aTimeoutIsAToolErrorNotAHungCall(String transport) {
    CallToolResult r = call(transport, "run", Map.of("realm", nodeLog.realm(),
        "code", "await new Promise(r => setTimeout(r, 30000))", "timeout_ms", 300));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).contains("timeout", "timed out after 300ms");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void anUnknownRealmIsNamedWithTheConnectedOnes(String transport) {
    CallToolResult r = call(transport, "run", Map.of("realm", "no-such-realm", "code", "1"));
    assertThat(r.isError()).isTrue();
    assertThat(text(r)).contains("no realm named no-such-realm", "Connected realms:", tab.realm(), nodeLog.realm());
    CallToolResult wrongLanguage = call(transport, "run", Map.of("realm", tab.realm(), "code", "1", "language", "python"));
    assertThat(wrongLanguage.isError()).isTrue();
    assertThat(text(wrongLanguage)).containsIgnoringCase("language");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "stdio"})
  void readsTheLogAndWaitsForRealms(String transport) {
    CallToolResult ran = call(transport, "run", Map.of("realm", tab.realm(), "code", "'marker ' + (20 + 3)"));
    String job = text(ran).substring(0, text(ran).indexOf(' '));
    await().untilAsserted(() -> assertThat(text(call(transport, "read_log", Map.of("realm", tab.realm(), "last", 1))))
        .contains("'marker ' + (20 + 3)", "marker 23"));
    assertThat(text(call(transport, "read_log", Map.of("realm", tab.realm(), "since_job", job))))
        .startsWith("daebug/" + tab.realm() + ".md: 1 of ").contains("marker 23");
    assertThat(text(call(transport, "wait_for_realm", Map.of("name", "mcp-*")))).contains(nodeLog.realm());
    CallToolResult none = call(transport, "wait_for_realm", Map.of("name", "nothing-like-this*", "timeout_ms", 200));
    assertThat(none.isError()).isTrue();
    assertThat(text(none)).contains("no connected realm matches nothing-like-this*");
  }

  @Test
  void longOutputIsCutWithTheCountAndWhereAllOfItIs() {
    CallToolResult r = call("http", "run", Map.of("realm", nodeLog.realm(), "code", "'x'.repeat(5000)", "max_chars", 1000));
    assertThat(text(r).length()).isLessThan(1300);
    assertThat(text(r)).contains("more characters cut; all of it is in daebug/" + nodeLog.realm() + ".md");
  }
}

package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daebug.app.mcp.McpHttpExtension;
import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP endpoint behind the controllers' checks: a broker started with --require-token refuses it without. */
class McpTokenIT {
  @TempDir
  Path root;

  static McpSyncClient client(URI broker, String token) {
    HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport.builder(broker.toString())
        .endpoint(McpHttpExtension.PATH);
    if (token != null) {
      transport.requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token));
    }
    return McpClient.sync(transport.build()).clientInfo(McpSchema.Implementation.builder("token-it", "1").build())
        .requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(30)).build();
  }

  @Test
  void withoutTheTokenTheCallIsRefusedAndWithItItWorks() throws Exception {
    BrokerConfig config = BrokerConfig.defaults(root).withPort(0).withToken("s3cret-token-for-mcp").withRequireToken(true);
    try (Broker broker = Broker.start(config, List.of(new McpHttpExtension()))) {
      URI base = URI.create("http://127.0.0.1:" + broker.port() + "/");
      HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(McpHttpExtension.PATH))
          .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
              + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("token required");
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"daebug\"");

      try (McpSyncClient anonymous = client(base, null)) {
        assertThatThrownBy(anonymous::initialize).hasStackTraceContaining("McpHttpClientTransportAuthorizationException");
      }
      try (McpSyncClient wrong = client(base, "not-the-token")) {
        assertThatThrownBy(wrong::initialize).hasStackTraceContaining("McpHttpClientTransportAuthorizationException");
      }
      try (McpSyncClient bearer = client(base, "s3cret-token-for-mcp")) {
        bearer.initialize();
        McpSchema.CallToolResult r = bearer.callTool(McpSchema.CallToolRequest.builder("list_realms")
            .arguments(java.util.Map.of()).build());
        assertThat(r.isError()).isFalse();
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("[ ]");
      }
    }
  }
}

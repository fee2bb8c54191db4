package io.daebug.it;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * An MCP client transport (the SDK's own, wrapped) that remembers the requests it sent, so a test can name
 * one in a {@code notifications/cancelled} as an agent host does: the SDK's client (2.2.0) has no call that
 * cancels a request in flight.
 */
final class RecordingMcpTransport implements McpClientTransport {
  private final McpClientTransport delegate;
  private final List<McpSchema.JSONRPCRequest> sent = new CopyOnWriteArrayList<>();

  RecordingMcpTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  /** The id of the first {@code tools/call} of this tool whose arguments pass the test. */
  Optional<Object> toolCallId(String tool, Predicate<java.util.Map<String, Object>> arguments) {
    return sent.stream().filter(r -> r.method().equals(McpSchema.METHOD_TOOLS_CALL)
            && r.params() instanceof McpSchema.CallToolRequest c && c.name().equals(tool) && arguments.test(c.arguments()))
        .map(McpSchema.JSONRPCRequest::id).findFirst();
  }

  /** Sends {@code notifications/cancelled} for a request of this client's session. */
  void cancel(Object requestId, String reason) {
    delegate.sendMessage(new McpSchema.JSONRPCNotification("notifications/cancelled",
        java.util.Map.of("requestId", requestId, "reason", reason))).block();
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return delegate.connect(handler);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest r) {
      sent.add(r);
    }
    return delegate.sendMessage(message);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}

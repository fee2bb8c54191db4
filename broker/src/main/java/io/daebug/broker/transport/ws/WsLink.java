package io.daebug.broker.transport.ws;

import io.daebug.broker.protocol.MessageCodec;
import java.util.concurrent.CompletableFuture;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** What realm and controller connections share: a Jetty session, sends that complete a future, pings, close. */
abstract class WsLink {
  final Session session;
  private final MessageCodec codec;
  private final String remote;

  WsLink(Session session, MessageCodec codec) {
    this.session = session;
    this.codec = codec;
    this.remote = String.valueOf(session.getRemoteSocketAddress());
  }

  /** Encodes a message and sends it as one text frame; the future fails when it could not be written. */
  final CompletableFuture<Void> sendMessage(Object message) {
    String json = codec.encode(message);
    return Callback.Completable.with(c -> session.sendText(json, c));
  }

  /** A WebSocket ping, fire and forget: its pong keeps the connection from Jetty's idle timeout. */
  public void ping() {
    session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
  }

  public void close(int code, String reason) {
    session.close(code, reason, Callback.NOOP);
  }

  public String remote() {
    return remote;
  }
}

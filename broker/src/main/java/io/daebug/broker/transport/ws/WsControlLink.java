package io.daebug.broker.transport.ws;

import io.daebug.broker.jobs.ControllerLink;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ToController;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A controller connection over a Jetty WebSocket session; every send completes a future. */
final class WsControlLink implements ControllerLink {
  private final Session session;
  private final MessageCodec codec;
  private final String remote;

  WsControlLink(Session session, MessageCodec codec) {
    this.session = session;
    this.codec = codec;
    this.remote = String.valueOf(session.getRemoteSocketAddress());
  }

  @Override
  public CompletableFuture<Void> send(ToController message) {
    String json = codec.encode(message);
    return Callback.Completable.with(c -> session.sendText(json, c));
  }

  @Override
  public void close(int code, String reason) {
    session.close(code, reason, Callback.NOOP);
  }

  @Override
  public String remote() {
    return remote;
  }

  @Override
  public String toString() {
    return "controller link " + remote;
  }
}

package io.daebug.broker.transport.ws;

import io.daebug.broker.jobs.ControllerLink;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ToController;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Session;

/** A controller connection over a Jetty WebSocket session; every send completes a future. */
final class WsControlLink extends WsLink implements ControllerLink {
  WsControlLink(Session session, MessageCodec codec) {
    super(session, codec);
  }

  @Override
  public CompletableFuture<Void> send(ToController message) {
    return sendMessage(message);
  }

  @Override
  public String toString() {
    return "controller link " + remote();
  }
}

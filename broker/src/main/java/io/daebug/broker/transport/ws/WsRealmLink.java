package io.daebug.broker.transport.ws;

import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ToRealm;
import io.daebug.broker.registry.RealmLink;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Session;

/** A realm connection over a Jetty WebSocket session; sends complete a future, pings are fire and forget. */
final class WsRealmLink extends WsLink implements RealmLink {
  WsRealmLink(Session session, MessageCodec codec) {
    super(session, codec);
  }

  @Override
  public CompletableFuture<Void> send(ToRealm message) {
    return sendMessage(message);
  }

  @Override
  public String address() {
    return session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() : remote();
  }

  @Override
  public String toString() {
    return "realm link " + remote();
  }
}

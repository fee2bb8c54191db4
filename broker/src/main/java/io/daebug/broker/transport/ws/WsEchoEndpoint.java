package io.daebug.broker.transport.ws;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Sends every text and binary frame straight back: the WebSocket round trip to this broker with none of its
 * own work, to tell network and Jetty time from the broker's (the controller benchmark runs it next to real
 * jobs). Admitted like a controller (Host, Origin, token); it touches no broker state.
 */
public final class WsEchoEndpoint implements Session.Listener.AutoDemanding {
  private Session session;

  @Override
  public void onWebSocketOpen(Session s) {
    session = s;
  }

  @Override
  public void onWebSocketText(String text) {
    session.sendText(text, Callback.NOOP);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    session.sendBinary(payload, callback);
  }
}

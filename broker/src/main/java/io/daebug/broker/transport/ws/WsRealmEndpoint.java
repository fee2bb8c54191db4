package io.daebug.broker.transport.ws;

import io.daebug.broker.jobs.Dispatcher;
import io.daebug.broker.protocol.ErrorMessage;
import io.daebug.broker.protocol.FromRealm;
import io.daebug.broker.protocol.Hello;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ProtocolException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One realm's WebSocket: decodes frames and hands typed messages to the {@link Dispatcher}. Holds no
 * business logic (public only because Jetty binds its callbacks reflectively). Jetty calls it serially per
 * connection; every callback body goes through one funnel. It reads on only while the core holds few of its frames
 * ({@link Intake}).
 */
public final class WsRealmEndpoint implements Session.Listener {
  private static final Logger log = LoggerFactory.getLogger(WsRealmEndpoint.class);
  private static final int MAX_BAD_FRAMES = 50;

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private WsRealmLink link;
  private Intake intake;
  private boolean greeted;
  private int badFrames;

  WsRealmEndpoint(Dispatcher dispatcher, MessageCodec codec) {
    this.dispatcher = dispatcher;
    this.codec = codec;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    link = new WsRealmLink(session, codec);
    intake = new Intake(session);
    dispatcher.opened(link, link::close);
    intake.start();
  }

  @Override
  public void onWebSocketText(String text) {
    boolean handedOn = false;
    try {
      FromRealm message = codec.decodeFromRealm(text);
      if (!greeted) {
        if (!(message instanceof Hello hello)) {
          refuse("expected hello as the first frame");
          return;
        }
        greeted = true;
        handedOn = true;
        dispatcher.hello(link, hello, intake.handedOnAlone());
        return;
      }
      handedOn = true;
      dispatcher.message(link, message, intake.handedOn());
    } catch (ProtocolException e) {
      badFrame(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      log.warn("realm {}: unexpected failure handling a frame: {}", link.remote(), e.toString(), e);
      link.close(StatusCode.SERVER_ERROR, "internal error");
    } finally {
      if (!handedOn) {
        intake.handled();
      }
    }
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    callback.succeed();
    badFrame("binary", "binary frames are not supported; send JSON text frames");
    intake.handled();
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
    link.session.sendPong(copy, Callback.NOOP); // what Jetty does by itself for auto-demanding endpoints
    intake.handled();
  }


  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    if (greeted) {
      dispatcher.pong(link);
    }
    intake.handled();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    if (link != null && greeted) {
      dispatcher.closed(link, statusCode, reason);
    } else if (link != null) {
      dispatcher.closedUngreeted(link);
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("realm {}: websocket error: {}", link == null ? "?" : link.remote(), cause.toString());
  }

  private void badFrame(String code, String message) {
    log.warn("realm {}: refused a frame: {}", link.remote(), message);
    if (!greeted) {
      refuse(message);
      return;
    }
    link.send(new ErrorMessage(code, message));
    if (++badFrames > MAX_BAD_FRAMES) {
      link.close(StatusCode.POLICY_VIOLATION, "too many bad frames");
    }
  }

  private void refuse(String reason) {
    link.send(new ErrorMessage("bad-hello", reason));
    link.close(StatusCode.POLICY_VIOLATION, abbreviate(reason));
  }

  /** Close reasons must fit in a control frame (123 bytes). */
  private static String abbreviate(String s) {
    return s.length() > 100 ? s.substring(0, 100) : s;
  }
}

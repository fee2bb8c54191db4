package io.daebug.broker.transport.ws;

import io.daebug.broker.jobs.Dispatcher;
import io.daebug.broker.protocol.ControllerError;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.FromController;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.protocol.ProtocolException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller's WebSocket: decodes frames and hands typed messages to the {@link Dispatcher}. Holds no
 * business logic (public only because Jetty binds its callbacks reflectively). Jetty calls it serially per
 * connection; every callback body goes through one funnel. It reads on only while the core holds few of its frames
 * ({@link Intake}): a burst of submits waits in its own connection, not in front of other clients' work.
 */
public final class WsControlEndpoint implements Session.Listener {
  private static final Logger log = LoggerFactory.getLogger(WsControlEndpoint.class);
  private static final int MAX_BAD_FRAMES = 50;

  private final Dispatcher dispatcher;
  private final MessageCodec codec;
  private WsControlLink link;
  private Intake intake;
  private boolean greeted;
  private int badFrames;

  WsControlEndpoint(Dispatcher dispatcher, MessageCodec codec) {
    this.dispatcher = dispatcher;
    this.codec = codec;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    link = new WsControlLink(session, codec);
    intake = new Intake(session);
    dispatcher.opened(link, link::close);
    intake.start();
  }

  @Override
  public void onWebSocketText(String text) {
    boolean handedOn = false;
    try {
      FromController message = codec.decodeFromController(text);
      if (!greeted) {
        if (!(message instanceof ControllerHello hello)) {
          badFrame("not-greeted", "expected hello as the first frame", null);
          return;
        }
        greeted = true;
        handedOn = true;
        dispatcher.controllerHello(link, hello, intake.handedOnAlone());
        return;
      }
      handedOn = true;
      dispatcher.controllerMessage(link, message, intake.handedOn());
    } catch (ProtocolException e) {
      badFrame(e.code(), e.getMessage(), refOf(text));
    } catch (RuntimeException e) {
      log.warn("controller {}: unexpected failure handling a frame: {}", link.remote(), e.toString(), e);
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
    badFrame("binary", "binary frames are not supported; send JSON text frames", null);
    intake.handled();
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    intake.handled();
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
    link.session.sendPong(copy, Callback.NOOP); // what Jetty does by itself for auto-demanding endpoints
    intake.handled();
  }


  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    callback.succeed();
    if (link != null && greeted) {
      dispatcher.controllerClosed(link);
    } else if (link != null) {
      dispatcher.closedUngreeted(link);
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("controller {}: websocket error: {}", link == null ? "?" : link.remote(), cause.toString());
  }

  private void badFrame(String code, String message, String ref) {
    log.warn("controller {}: refused a frame: {}", link.remote(), message);
    link.send(new ControllerError(ref, code, message));
    if (++badFrames > MAX_BAD_FRAMES) {
      link.close(StatusCode.POLICY_VIOLATION, "too many bad frames");
    }
  }

  /** The {@code ref} of a refused submission, when the frame is JSON enough to have one, so the client can match it. */
  private String refOf(String text) {
    try {
      com.fasterxml.jackson.databind.JsonNode ref = codec.mapper().readTree(text).path("ref");
      return ref.isTextual() && ref.asText().length() <= 64 ? ref.asText() : null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return null;
    }
  }
}

package io.daebug.broker.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the requests under each {@link BrokerExtension}'s path to its handler, once they pass the checks of a
 * controller endpoint (Host, Origin, controller token); every other request goes to the broker's own handler.
 * A refused request gets the status a refused WebSocket upgrade gets: 421, 403 or 401.
 */
public final class ExtensionRouter extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(ExtensionRouter.class);

  private final List<BrokerExtension> extensions;
  private final HostOriginPolicy policy;
  private final TokenGate gate;

  /**
   * @param extensions the extensions; their handlers become managed beans (started with the server)
   * @param policy the broker's Host and Origin policy
   * @param gate the controllers' token gate
   * @param broker the broker's own handler, for every other request
   */
  public ExtensionRouter(List<BrokerExtension> extensions, HostOriginPolicy policy, TokenGate gate, Handler broker) {
    super(broker);
    this.extensions = List.copyOf(extensions);
    this.policy = policy;
    this.gate = gate;
    for (BrokerExtension e : this.extensions) {
      if (!e.path().startsWith("/-daebug/")) {
        throw new IllegalArgumentException("an extension's path must be under /-daebug/, got " + e.path());
      }
      addBean(e.handler(), true);
    }
  }

  /** The extensions' handlers are beans, not children: they learn of the server here, as a child would. */
  @Override
  public void setServer(Server server) {
    super.setServer(server);
    for (BrokerExtension e : extensions) {
      e.handler().setServer(server);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    for (BrokerExtension e : extensions) {
      if (path != null && (path.equals(e.path()) || path.startsWith(e.path() + "/"))) {
        if (admitted(request, response, callback)) {
          return e.handler().handle(request, response, callback);
        }
        return true;
      }
    }
    return super.handle(request, response, callback);
  }

  private boolean admitted(Request request, Response response, Callback callback) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    String path = request.getHttpURI().getPath();
    Object from = Request.getRemoteAddr(request);
    if (!policy.hostAllowed(host)) {
      log.warn("refused {} from {}: host '{}' not allowed", path, from, host);
      refuse(response, callback, 421, "host not allowed: " + host);
      return false;
    }
    if (!policy.originAllowed(origin, request.isSecure() ? "https" : "http", host, Request.getLocalPort(request))) {
      log.warn("refused {} from {}: origin '{}' not allowed", path, from, origin);
      refuse(response, callback, 403, "origin not allowed: " + origin);
      return false;
    }
    TokenGate.Verdict verdict = gate.check(request);
    // Controllers show the token themselves: a page's cookie must not let it drive realms through an extension.
    if (verdict == TokenGate.Verdict.DENIED || verdict == TokenGate.Verdict.COOKIE_OK) {
      log.warn("refused {} from {}: no valid token", path, from);
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"daebug\"");
      refuse(response, callback, 401, "token required: send it as Authorization: Bearer <token> or ?"
          + TokenGate.PARAM + "=<token>");
      return false;
    }
    return true;
  }

  private static void refuse(Response response, Callback callback, int status, String text) {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}

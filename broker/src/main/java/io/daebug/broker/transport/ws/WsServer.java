package io.daebug.broker.transport.ws;

import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.http.BrokerExtension;
import io.daebug.broker.http.ExtensionRouter;
import io.daebug.broker.http.DashboardHandler;
import io.daebug.broker.http.HostOriginPolicy;
import io.daebug.broker.http.PlainTextErrorHandler;
import io.daebug.broker.http.TokenGate;
import io.daebug.broker.jobs.Dispatcher;
import io.daebug.broker.metrics.PrometheusMetrics;
import io.daebug.broker.protocol.MessageCodec;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkTrafficServerConnector;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty server: the realm WebSocket endpoint at {@value #REALM_PATH} and the controller endpoint at
 * {@value #CONTROL_PATH} (Host, Origin and token checked on every upgrade) in front of the HTTP handler for static files, the client script and health.
 */
public final class WsServer implements AutoCloseable {
  /** Where realms connect. */
  public static final String REALM_PATH = "/-daebug/realm";
  /** Where controllers connect. */
  public static final String CONTROL_PATH = "/-daebug/control";
  /** Where a client measures its plain WebSocket round trip to the broker. */
  public static final String ECHO_PATH = "/-daebug/echo";
  private static final Logger log = LoggerFactory.getLogger(WsServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final boolean tls;

  private WsServer(Server server, ServerConnector connector, boolean tls) {
    this.tls = tls;
    this.server = server;
    this.connector = connector;
  }

  /**
   * What the server answers besides its WebSockets, built by the composition root ({@code Broker.start}).
   *
   * @param policy which Host and Origin headers are answered
   * @param gate the token check of pages and files
   * @param controlGate the token check of programs (controllers, the echo socket, extensions)
   * @param site the HTTP handlers (dashboard, then files, health, metrics)
   */
  public record Site(HostOriginPolicy policy, TokenGate gate, TokenGate controlGate, DashboardHandler site) {}

  /**
   * Starts the server, with Jetty's connection and thread pool meters bound to {@code metrics} and extensions
   * mounted behind the controllers' checks ({@link ExtensionRouter}).
   *
   * @param metrics the broker's metrics; null binds no Jetty meters
   * @param extensions handlers of paths under {@code /-daebug/} (the jar's MCP endpoint)
   * @throws IOException with a message that says what to do when the port is busy
   */
  public static WsServer start(BrokerConfig config, Site site, Dispatcher dispatcher, MessageCodec codec,
      PrometheusMetrics metrics, List<BrokerExtension> extensions) throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("daebug-http");
    Server server = new Server(threads);
    // A traffic connector, so the metrics count the bytes in and out (a counter per read and write).
    ServerConnector connector = config.tls() ? tlsConnector(server, config) : new NetworkTrafficServerConnector(server);
    connector.setName(config.tls() ? "https" : "http");
    connector.setHost(config.host());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setErrorHandler(new PlainTextErrorHandler());
    HostOriginPolicy policy = site.policy();
    TokenGate gate = site.gate();
    TokenGate controlGate = site.controlGate();
    if (metrics != null) {
      new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(metrics.registry());
      JettyConnectionMetrics.addToAllConnectors(server, metrics.registry());
    }
    WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
      container.setMaxTextMessageSize(config.maxMessageBytes());
      container.setMaxBinaryMessageSize(config.maxMessageBytes());
      container.setMaxFrameSize(config.maxMessageBytes());
      container.setIdleTimeout(Duration.ofMillis(Math.max(config.unresponsiveAfter().toMillis() * 4, 60_000)));
      container.addMapping(REALM_PATH, (request, response, callback) ->
          admitted("realm", policy, gate, connector, request, response, callback) ? new WsRealmEndpoint(dispatcher, codec) : null);
      container.addMapping(CONTROL_PATH, (request, response, callback) ->
          admitted("controller", policy, controlGate, connector, request, response, callback)
              ? new WsControlEndpoint(dispatcher, codec) : null);
      container.addMapping(ECHO_PATH, (request, response, callback) ->
          admitted("echo", policy, controlGate, connector, request, response, callback) ? new WsEchoEndpoint() : null);
    });
    Handler broker = site.site();
    ws.setHandler(extensions.isEmpty() ? broker : new ExtensionRouter(extensions, policy, controlGate, broker));
    server.setHandler(ws);
    server.setStopTimeout(2000);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new IOException("port " + config.port() + " on " + config.host() + " is already in use (another "
            + "broker for this folder?). Stop it, or choose another port with --port N (--port 0 picks a free one).",
            e);
      }
      throw new IOException("cannot start the server: " + e.getMessage(), e);
    }
    return new WsServer(server, connector, config.tls());
  }

  /**
   * HTTPS (and so WSS) only, from a PKCS12 keystore. The SNI host check is off: a developer's certificate
   * names {@code localhost} or a LAN name, and the broker is reached by IP address as often; the
   * {@code Host} header is checked by {@link HostOriginPolicy} instead.
   */
  private static ServerConnector tlsConnector(Server server, BrokerConfig config) throws IOException {
    java.nio.file.Path keystore = config.security().tlsKeystore();
    if (!java.nio.file.Files.isReadable(keystore)) {
      throw new IOException("cannot read the TLS keystore " + keystore + " (--tls-keystore)");
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(keystore.toString());
    ssl.setKeyStoreType("PKCS12");
    if (config.security().tlsPassword() != null) {
      ssl.setKeyStorePassword(config.security().tlsPassword());
    }
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new SecureRequestCustomizer(false));
    return new NetworkTrafficServerConnector(server, new HttpConnectionFactory(http), ssl);
  }

  /** Checks an upgrade's Host, Origin and token; a refused one gets its HTTP error here and is logged. */
  private static boolean admitted(String who, HostOriginPolicy policy, TokenGate gate, ServerConnector connector,
      ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    Object from = request.getConnectionMetaData().getRemoteSocketAddress();
    if (!policy.hostAllowed(host)) {
      log.warn("refused {} upgrade from {}: host '{}' not allowed", who, from, host);
      Response.writeError(request, response, callback, 421, "host not allowed");
      return false;
    }
    if (!policy.originAllowed(origin, request.isSecure() ? "https" : "http", host, connector.getLocalPort())) {
      log.warn("refused {} upgrade from {}: origin '{}' not allowed", who, from, origin);
      Response.writeError(request, response, callback, 403, "origin not allowed");
      return false;
    }
    if (gate.check(request) == TokenGate.Verdict.DENIED) {
      log.warn("refused {} upgrade from {}: no valid token", who, from);
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"daebug\"");
      Response.writeError(request, response, callback, 401, "token required");
      return false;
    }
    return true;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port/} with IPv6 hosts bracketed. */
  public URI uri(String host) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0") || h.equals("[::]")) {
      h = "127.0.0.1";
    }
    return URI.create((tls ? "https://" : "http://") + h + ":" + port() + "/");
  }

  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      log.debug("stopping jetty: {}", e.toString());
    }
  }
}

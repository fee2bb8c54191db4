package io.daebug.broker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's plain HTTP side: the project folder as static files with the client script
 * injected into every HTML page, the client's own files under {@code /-daebug/}, and
 * {@code /-daebug/health}.
 *
 * <p>Every request is first checked against the {@link HostOriginPolicy} (421 when the
 * {@code Host} is not ours, which defeats DNS rebinding). Only GET and HEAD are answered. Paths
 * are decoded segment by segment ({@link RequestPath}); anything that leaves the root (also
 * through symlinks), starts with a dot, or lies in the {@code daebug/} journal folder is a 404,
 * exactly like a missing file, so probing reveals nothing. Error bodies are one line of plain
 * text; stack traces only go to the log.
 *
 * <p>Handling blocks on file I/O, so the handler declares {@code InvocationType.BLOCKING}. Non
 * HTML files are streamed; HTML files are read whole to inject the script tag. Responses carry
 * {@code Cache-Control: no-cache} so a reload always sees the latest edit.
 */
public final class DaebugHttpHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(DaebugHttpHandler.class);

  /** First path segment reserved for the broker's own resources. */
  static final String PREFIX = "-daebug";
  /** Classpath folder where the client-js module packages its files. */
  static final String CLIENT_RESOURCES = "daebug-client/";

  private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
  private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
  private static final String[] INDEX_FILES = {"index.html", "index.htm"};
  /** The HTML encoding prescan looks at the first 1024 bytes for a charset declaration. */
  private static final int CHARSET_PRESCAN = 1024;

  /** The longest a {@code /-daebug/glob} walk may take. */
  static final java.time.Duration GLOB_TIME = java.time.Duration.ofSeconds(5);

  private final Path root;
  private final HostOriginPolicy policy;
  private final TokenGate gate;
  private final Supplier<Object> health;
  private final Supplier<String> metrics;
  private final com.github.benmanes.caffeine.cache.Ticker ticker;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param root the project folder to serve; must exist
   * @param policy decides which Host headers are answered
   * @param gate requires the broker's token from clients that are not on loopback
   * @param health supplies the object serialised as JSON at {@code /-daebug/health}
   * @throws IllegalArgumentException when {@code root} is not an existing folder
   */
  public DaebugHttpHandler(Path root, HostOriginPolicy policy, TokenGate gate, Supplier<Object> health) {
    this(root, policy, gate, health, null);
  }

  /**
   * @param metrics supplies the Prometheus text served at {@code /-daebug/metrics}; null serves none (404)
   */
  public DaebugHttpHandler(Path root, HostOriginPolicy policy, TokenGate gate, Supplier<Object> health,
      Supplier<String> metrics) {
    this(root, policy, gate, health, metrics, com.github.benmanes.caffeine.cache.Ticker.systemTicker());
  }

  /**
   * @param ticker times a {@code /-daebug/glob} walk ({@link #GLOB_TIME})
   */
  public DaebugHttpHandler(Path root, HostOriginPolicy policy, TokenGate gate, Supplier<Object> health,
      Supplier<String> metrics, com.github.benmanes.caffeine.cache.Ticker ticker) {
    super(InvocationType.BLOCKING);
    this.ticker = ticker;
    this.metrics = metrics;
    this.gate = Objects.requireNonNull(gate, "gate");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.health = Objects.requireNonNull(health, "health");
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("project folder not found: " + root, e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException("project folder is not a folder: " + root);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    try {
      route(request, response, callback, head);
    } catch (Exception e) {
      // The single exception funnel: nothing above completes the callback before it returns
      // without throwing, so completing it here is never a double completion.
      LOG.warn("failed to answer {} {}", request.getMethod(), request.getHttpURI().getPath(), e);
      if (response.isCommitted()) {
        callback.failed(e);
      } else {
        response.getHeaders().clear();
        sendText(response, callback, 500, "internal server error", head);
      }
    }
    return true;
  }

  private void route(Request request, Response response, Callback callback, boolean head)
      throws Exception {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (!policy.hostAllowed(host)) {
      LOG.debug("refused {} {}: host not allowed: {}",
          request.getMethod(), request.getHttpURI().getPath(), host);
      sendText(response, callback, 421, "host not allowed: " + host, head);
      return;
    }
    TokenGate.Verdict verdict = gate.check(request);
    if (verdict == TokenGate.Verdict.DENIED) {
      LOG.warn("refused {} {} from {}: no valid token", request.getMethod(), request.getHttpURI().getPath(),
          Request.getRemoteAddr(request));
      sendText(response, callback, 401, "token required: open the URL the broker printed (it ends in ?"
          + TokenGate.PARAM + "=...)", head);
      return;
    }
    if (verdict == TokenGate.Verdict.PARAM_OK) {
      response.getHeaders().add(HttpHeader.SET_COOKIE, gate.cookie());
    }
    if (!head && !HttpMethod.GET.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      sendText(response, callback, 405, "method not allowed", false);
      return;
    }
    RequestPath path;
    try {
      path = RequestPath.decode(request.getHttpURI().getPath());
    } catch (RequestPath.MalformedPathException e) {
      sendText(response, callback, 400, "bad request path: " + e.getMessage(), head);
      return;
    }
    List<String> segments = path.segments();
    if (!segments.isEmpty() && segments.get(0).equals(PREFIX)) {
      serveDaebug(request, segments, response, callback, head);
    } else {
      serveStatic(request, path, response, callback, head);
    }
  }

  private void serveDaebug(Request request, List<String> segments, Response response, Callback callback,
      boolean head) throws IOException {
    if (segments.size() != 2) {
      notFound(response, callback, head);
      return;
    }
    String name = segments.get(1);
    if (name.equals("health")) {
      byte[] body = json.writeValueAsBytes(health.get());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      sendBytes(response, callback, 200, body, head);
      return;
    }
    if (name.equals("metrics") && metrics != null) {
      serveMetrics(request, response, callback, head);
      return;
    }
    if (name.equals("glob")) {
      serveGlob(request, response, callback, head);
      return;
    }
    URL resource = ASSET_NAME.matcher(name).matches()
        ? DaebugHttpHandler.class.getClassLoader().getResource(CLIENT_RESOURCES + name)
        : null;
    if (resource == null) {
      notFound(response, callback, head);
      return;
    }
    byte[] body;
    try (InputStream in = resource.openStream()) {
      body = in.readAllBytes();
    }
    String lower = name.toLowerCase(Locale.ROOT);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE,
        lower.endsWith(".js") || lower.endsWith(".mjs") ? JAVASCRIPT : contentType(name));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    // Pages served elsewhere load page.js and then import() the modules, which needs CORS; the
    // scripts are public code, and the realm socket checks Origin itself.
    response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    sendBytes(response, callback, 200, body, head);
  }

  /**
   * {@code /-daebug/metrics}: Prometheus text. A browser's request from a page of another origin is refused
   * (403), like a socket's; a scraper sends no {@code Origin}.
   */
  private void serveMetrics(Request request, Response response, Callback callback, boolean head) {
    if (!fromOwnPage(request, "/-daebug/metrics")) {
      sendText(response, callback, 403, "origin not allowed", head);
      return;
    }
    byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    sendBytes(response, callback, 200, body, head);
  }

  /**
   * Whether a request comes from one of the broker's own pages (or an {@code --allow-origin}), or from no browser
   * page at all (a program): its {@code Origin}, when present, passes the sockets' rule (scheme, host and port);
   * without one, a browser's {@code Sec-Fetch-Site} must say {@code same-origin} or {@code none} (an
   * {@code <img src>} on another site or port sends {@code cross-site} or {@code same-site} and no Origin).
   * A refusal is logged.
   */
  private boolean fromOwnPage(Request request, String what) {
    return fromOwnPage(policy, request, what);
  }

  /** {@link #fromOwnPage(Request, String)} under a given policy (the dashboard's log endpoint shares the rule). */
  static boolean fromOwnPage(HostOriginPolicy policy, Request request, String what) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if (policy.originAllowed(origin, request.isSecure() ? "https" : "http", request.getHeaders().get(HttpHeader.HOST),
        Request.getLocalPort(request))
        && (origin != null || site == null || site.equals("same-origin") || site.equals("none"))) {
      return true;
    }
    LOG.warn("refused {} from {}: origin '{}' (Sec-Fetch-Site {}) not allowed", what, Request.getRemoteAddr(request),
        origin, site);
    return false;
  }

  /**
   * {@code /-daebug/glob?pattern=P}: the served files matching P as JSON
   * {@code {"pattern":P,"files":["/a/b.js",...],"truncated":false}}, by {@link FileGlob}'s rules. It costs work,
   * so only the broker's own pages (and {@code --allow-origin}s) may ask, as for the WebSocket endpoints: a
   * request with a foreign {@code Origin}, or without one from another site or port ({@code Sec-Fetch-Site},
   * e.g. an {@code <img src>} on any web page), is a 403. A pattern too costly is a 400; the walk stops when the
   * client leaves or after {@link #GLOB_TIME} (503).
   */
  private void serveGlob(Request request, Response response, Callback callback, boolean head)
      throws IOException {
    if (!fromOwnPage(request, "/-daebug/glob")) {
      sendText(response, callback, 403, "origin not allowed", head);
      return;
    }
    String pattern = Request.extractQueryParameters(request).getValue("pattern");
    if (pattern == null || pattern.isEmpty()) {
      sendText(response, callback, 400, "missing ?pattern=", head);
      return;
    }
    org.eclipse.jetty.io.EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    org.eclipse.jetty.server.Connector connector = request.getConnectionMetaData().getConnector();
    long deadline = ticker.read() + GLOB_TIME.toNanos();
    FileGlob.Listing listing;
    try {
      listing = FileGlob.list(root, pattern,
          () -> !endPoint.isOpen() || !connector.isRunning() || ticker.read() - deadline > 0);
    } catch (GlobMatcher.TooComplexException e) {
      sendText(response, callback, 400, "pattern too costly: " + e.getMessage(), head);
      return;
    } catch (FileGlob.StoppedException e) {
      LOG.info("/-daebug/glob?pattern={} stopped: {}", abbreviate(pattern),
          endPoint.isOpen() && connector.isRunning() ? "it took longer than " + GLOB_TIME.toSeconds() + " s"
              : "the client left");
      sendText(response, callback, 503, "listing took longer than " + GLOB_TIME.toSeconds()
          + " s; use a narrower pattern", head);
      return;
    }
    List<String> files = new ArrayList<>();
    for (String f : listing.files()) {
      StringBuilder url = new StringBuilder();
      for (String segment : f.split("/")) {
        url.append('/').append(RequestPath.encodeSegment(segment));
      }
      files.add(url.toString());
    }
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("pattern", pattern);
    out.put("files", files);
    out.put("truncated", listing.truncated());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    sendBytes(response, callback, 200, json.writeValueAsBytes(out), head);
  }

  private void serveStatic(Request request, RequestPath path, Response response,
      Callback callback, boolean head) throws IOException {
    Path real = resolve(path.segments());
    if (real == null) {
      notFound(response, callback, head);
      return;
    }
    if (Files.isDirectory(real)) {
      if (!path.trailingSlash()) {
        String query = request.getHttpURI().getQuery();
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION,
            path.encoded() + "/" + (query == null ? "" : "?" + query));
        sendBytes(response, callback, 302, new byte[0], head);
        return;
      }
      for (String index : INDEX_FILES) {
        Path file = inside(real.resolve(index));
        if (file != null && Files.isRegularFile(file)) {
          serveFile(file, index, response, callback, head);
          return;
        }
      }
      byte[] body = DirectoryListing.render(real, path, real.equals(root))
          .getBytes(StandardCharsets.UTF_8);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      sendBytes(response, callback, 200, body, head);
    } else if (Files.isRegularFile(real)) {
      serveFile(real, path.segments().get(path.segments().size() - 1), response, callback, head);
    } else {
      notFound(response, callback, head);
    }
  }

  /**
   * The real path of the requested file, or null when it is missing, hidden, or (after
   * following symlinks) outside the root or inside a hidden place.
   */
  private Path resolve(List<String> segments) {
    if (RequestPath.isHidden(segments)) {
      return null;
    }
    Path target = root;
    try {
      for (String segment : segments) {
        target = target.resolve(segment);
      }
    } catch (InvalidPathException e) {
      return null;
    }
    return inside(target);
  }

  private Path inside(Path target) {
    Path real;
    try {
      real = target.toRealPath();
    } catch (IOException | SecurityException e) {
      return null; // missing, dangling link, or unreadable
    }
    if (!real.startsWith(root)) {
      return null;
    }
    List<String> relative = new ArrayList<>();
    for (Path p : root.relativize(real)) {
      relative.add(p.toString());
    }
    return RequestPath.isHidden(relative) ? null : real;
  }

  /** Serves one regular file; {@code name} (the requested name) picks the MIME type. */
  private void serveFile(Path file, String name, Response response, Callback callback,
      boolean head) throws IOException {
    response.getHeaders().put(HttpHeader.LAST_MODIFIED,
        DateGenerator.formatDate(Files.getLastModifiedTime(file).toMillis()));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (isHtml(name)) {
      byte[] page = Files.readAllBytes(file);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, htmlContentType(page));
      sendBytes(response, callback, 200, HtmlInjector.inject(page), head);
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(name));
    long size = Files.size(file);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
    if (head) {
      response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    } else {
      Content.copy(Content.Source.from(file), response, callback);
    }
  }

  static boolean isHtml(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".html") || lower.endsWith(".htm");
  }

  /**
   * {@code text/html}, with {@code charset=utf-8} only when the page declares no encoding of
   * its own (no byte order mark and no {@code charset} in the first 1024 bytes): a header
   * charset would override the page's {@code <meta charset>} and garble a windows-1252 page.
   */
  static String htmlContentType(byte[] page) {
    boolean bom = page.length >= 2
        && ((page[0] == (byte) 0xEF && page[1] == (byte) 0xBB)
            || (page[0] == (byte) 0xFE && page[1] == (byte) 0xFF)
            || (page[0] == (byte) 0xFF && page[1] == (byte) 0xFE));
    String prefix = new String(page, 0, Math.min(page.length, CHARSET_PRESCAN),
        StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    return bom || prefix.contains("charset") ? "text/html" : "text/html; charset=utf-8";
  }

  /** MIME type by file name, with {@code charset=utf-8} for textual types. */
  static String contentType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String ext = dot < 0 ? "" : lower.substring(dot + 1);
    String type = switch (ext) {
      case "js", "mjs", "cjs" -> "text/javascript";
      case "md", "markdown" -> "text/markdown";
      case "map" -> "application/json";
      default -> MimeTypes.DEFAULTS.getMimeByExtension(lower);
    };
    if (type == null) {
      return "application/octet-stream";
    }
    boolean textual = type.startsWith("text/")
        || type.equals("application/json")
        || type.equals("application/xml")
        || type.equals("application/javascript")
        || type.equals("image/svg+xml");
    return textual && !type.contains("charset") ? type + "; charset=utf-8" : type;
  }

  private static void notFound(Response response, Callback callback, boolean head) {
    sendText(response, callback, 404, "not found", head);
  }

  private static void sendText(Response response, Callback callback, int status, String text,
      boolean head) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT_PLAIN);
    sendBytes(response, callback, status, (text + "\n").getBytes(StandardCharsets.UTF_8), head);
  }

  private static void sendBytes(Response response, Callback callback, int status, byte[] body,
      boolean head) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

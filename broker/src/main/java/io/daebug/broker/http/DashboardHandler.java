package io.daebug.broker.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard (docs/operations.md): its page at {@code /-daebug/}, its modules under
 * {@code /-daebug/dashboard/}, and {@code /-daebug/log?realm=NAME} (the end of a realm's log, for its log
 * viewer). Everything else goes to the next handler.
 *
 * <p>The page is the broker's own, served from the classpath without the realm script (it is no realm), with
 * a Content-Security-Policy that allows only its own scripts and connections, no framing and no referrer (its
 * address may carry the token). The page and its modules pass the same checks as every HTTP request (Host,
 * token from clients not on loopback, which {@code ?token=} satisfies). A log can hold anything a realm ever
 * printed, so {@code /-daebug/log} is guarded like the controller endpoint: the request must come from one of
 * the broker's own pages or from a program (the {@code Origin} and {@code Sec-Fetch-Site} rule of
 * {@code /-daebug/glob}), and the controller token (required with {@code --require-token}, else from clients not
 * on loopback) must come as {@code Authorization: Bearer} or {@code ?token=}, never from the cookie, which any
 * page of the broker's origin sends.
 */
public final class DashboardHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);
  static final String RESOURCES = "daebug-dashboard/";
  private static final String PREFIX = "/-daebug/";
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** Bytes of a log's end sent by default, and at most. */
  static final int DEFAULT_TAIL = 256 * 1024;
  static final int MAX_TAIL = 4 * 1024 * 1024;
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Path logDir;
  private final HostOriginPolicy policy;
  private final TokenGate gate;
  private final TokenGate controlGate;

  /**
   * @param root the broker's root (logs are in {@code root/daebug})
   * @param gate the token gate of every HTTP request
   * @param controlGate the controllers' token gate (loopback exempt unless {@code --require-token})
   * @param next the broker's other HTTP handler
   */
  public DashboardHandler(Path root, HostOriginPolicy policy, TokenGate gate, TokenGate controlGate, Handler next) {
    super(next);
    this.logDir = root.resolve("daebug");
    this.policy = policy;
    this.gate = gate;
    this.controlGate = controlGate;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    boolean page = "/-daebug".equals(path) || PREFIX.equals(path);
    boolean asset = path != null && path.startsWith(PREFIX + "dashboard/");
    boolean log = (PREFIX + "log").equals(path);
    if (!page && !asset && !log) {
      return super.handle(request, response, callback);
    }
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    if (!head && !HttpMethod.GET.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      return text(response, callback, 405, "method not allowed", false);
    }
    if (!policy.hostAllowed(request.getHeaders().get(HttpHeader.HOST))) {
      return text(response, callback, 421, "host not allowed", head);
    }
    if (log) {
      return serveLog(request, response, callback, head);
    }
    TokenGate.Verdict verdict = gate.check(request);
    if (verdict == TokenGate.Verdict.DENIED) {
      return text(response, callback, 401, "token required: open the dashboard with the URL the broker printed"
          + " (.../-daebug/?" + TokenGate.PARAM + "=...)", head);
    }
    if (verdict == TokenGate.Verdict.PARAM_OK) {
      response.getHeaders().add(HttpHeader.SET_COOKIE, gate.cookie());
    }
    if ("/-daebug".equals(path)) {
      String query = request.getHttpURI().getQuery();
      response.getHeaders().put(HttpHeader.LOCATION, PREFIX + (query == null ? "" : "?" + query));
      return bytes(response, callback, 302, new byte[0], head);
    }
    String name = page ? "index.html" : path.substring((PREFIX + "dashboard/").length());
    URL resource = ASSET.matcher(name).matches() ? DashboardHandler.class.getClassLoader().getResource(RESOURCES + name)
        : null;
    if (resource == null) {
      return text(response, callback, 404, "not found", head);
    }
    byte[] body;
    try (InputStream in = resource.openStream()) {
      body = in.readAllBytes();
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(name));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    if (page) {
      response.getHeaders().put("Content-Security-Policy", CSP);
      response.getHeaders().put("X-Frame-Options", "DENY");
    }
    return bytes(response, callback, 200, body, head);
  }

  /** {@code /-daebug/log?realm=NAME[&tail=BYTES]}: the end of {@code daebug/NAME.md}, cut at a line start. */
  private boolean serveLog(Request request, Response response, Callback callback, boolean head) throws IOException {
    if (!DaebugHttpHandler.fromOwnPage(policy, request, "/-daebug/log")) {
      return text(response, callback, 403, "origin not allowed", head);
    }
    TokenGate.Verdict verdict = controlGate.check(request);
    if (verdict == TokenGate.Verdict.DENIED || verdict == TokenGate.Verdict.COOKIE_OK) {
      LOG.warn("refused a log read from {}: no valid token", Request.getRemoteAddr(request));
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"daebug\"");
      return text(response, callback, 401, "token required: send it as Authorization: Bearer <token> or ?"
          + TokenGate.PARAM + "=<token>", head);
    }
    Fields query = Request.extractQueryParameters(request);
    String realm = query.getValue("realm");
    if (realm == null || !REALM.matcher(realm).matches()) {
      return text(response, callback, 400, "missing or bad ?realm= (a realm's name as listed)", head);
    }
    int tail;
    try {
      String t = query.getValue("tail");
      tail = t == null ? DEFAULT_TAIL : Math.min(MAX_TAIL, Math.max(1, Integer.parseInt(t)));
    } catch (NumberFormatException e) {
      return text(response, callback, 400, "bad ?tail= (a number of bytes)", head);
    }
    Path file = logDir.resolve(realm + ".md");
    // Only a regular file, never followed through a link (it could lead out of the root), never a FIFO.
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return text(response, callback, 404, "no log daebug/" + realm + ".md", head);
    }
    long size;
    byte[] end;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      size = in.size();
      long from = Math.max(0, size - tail);
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
      while (buffer.hasRemaining() && in.read(buffer, from + buffer.position()) > 0) {
        // read on until the end seen at open
      }
      end = cutToLine(buffer.array(), buffer.position(), from > 0);
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/markdown; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("X-Daebug-Log-Size", Long.toString(size));
    return bytes(response, callback, 200, end, head);
  }

  /** The bytes from the first line start on (when {@code cut}: the start fell inside a line). */
  static byte[] cutToLine(byte[] bytes, int length, boolean cut) {
    int start = 0;
    if (cut) {
      while (start < length && bytes[start] != '\n') {
        start++;
      }
      start = Math.min(length, start + 1);
    }
    byte[] out = new byte[length - start];
    System.arraycopy(bytes, start, out, 0, out.length);
    return out;
  }

  private static String contentType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (lower.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return lower.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
  }

  private static boolean text(Response response, Callback callback, int status, String text, boolean head) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    return bytes(response, callback, status, (text + "\n").getBytes(StandardCharsets.UTF_8), head);
  }

  private static boolean bytes(Response response, Callback callback, int status, byte[] body, boolean head) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    return true;
  }
}

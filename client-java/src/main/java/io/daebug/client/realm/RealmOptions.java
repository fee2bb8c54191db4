package io.daebug.client.realm;

import io.daebug.client.realm.internal.Names;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link JvmRealm} reaches its broker and behaves. Immutable and validated on construction;
 * derive variants with the {@code with...} methods.
 *
 * <table>
 *   <caption>Options and defaults of {@link #of(URI)}</caption>
 *   <tr><th>component</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code broker}</td><td>(required)</td><td>the broker, {@code http://127.0.0.1:8100/} or
 *       {@code ws://...}; a {@code ?token=} query is taken as the token</td></tr>
 *   <tr><td>{@code token}</td><td>from the URI, else none</td><td>the broker's token (needed when the
 *       broker is not on loopback)</td></tr>
 *   <tr><td>{@code name}</td><td>the main class's simple name</td><td>the proposed realm name,
 *       sanitised as the broker does (FORMAT.md §1); the broker may suffix it</td></tr>
 *   <tr><td>{@code reconnectDelay}</td><td>250 ms</td><td>first delay before reconnecting</td></tr>
 *   <tr><td>{@code maxReconnectDelay}</td><td>10 s</td><td>cap of the exponential backoff</td></tr>
 *   <tr><td>{@code maxJobTime}</td><td>30 min</td><td>no job runs longer than this, whatever its own
 *       timeout says; also the timeout of a job that carries none</td></tr>
 *   <tr><td>{@code backgroundOutput}</td><td>false</td><td>also send {@code System.out}/{@code
 *       System.err} lines written outside jobs to the broker as background events</td></tr>
 * </table>
 *
 * @param broker where the broker listens: {@code http}, {@code https}, {@code ws} or {@code wss}; a
 *     path is kept as a prefix, so {@code http://host:8100/} becomes {@code ws://host:8100/-daebug/realm}
 * @param token the broker's token, or null for none; when null, a {@code token} query parameter of
 *     {@code broker} is used
 * @param name the proposed realm name, or null for the default; stored sanitised
 * @param reconnectDelay the first reconnect delay (positive)
 * @param maxReconnectDelay the largest reconnect delay (at least {@code reconnectDelay})
 * @param maxJobTime the longest any job may run before the realm stops it (positive)
 * @param backgroundOutput whether console lines written outside jobs are sent as background events
 */
public record RealmOptions(
    URI broker,
    String token,
    String name,
    Duration reconnectDelay,
    Duration maxReconnectDelay,
    Duration maxJobTime,
    boolean backgroundOutput) {

  /** The WebSocket path of realms on a broker. */
  static final String REALM_PATH = "-daebug/realm";

  /** Validates and normalises; see the component descriptions. */
  public RealmOptions {
    Objects.requireNonNull(broker, "broker");
    String scheme = broker.getScheme() == null ? "" : broker.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("broker URI must be http, https, ws or wss, got '" + broker + "'");
    }
    if (broker.getHost() == null) {
      throw new IllegalArgumentException("broker URI has no host: '" + broker + "'");
    }
    String fromQuery = queryToken(broker);
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank; pass null for none");
    }
    if (token != null && fromQuery != null && !token.equals(fromQuery)) {
      throw new IllegalArgumentException("two different tokens: one in the broker URI's query and one"
          + " given as the token; pass only one");
    }
    token = token != null ? token : fromQuery;
    if (name == null) {
      name = Names.defaultName();
    } else {
      String sanitised = Names.sanitise(name);
      if (sanitised.isEmpty()) {
        throw new IllegalArgumentException("realm name '" + name + "' has no letters or digits");
      }
      name = sanitised;
    }
    requirePositive(reconnectDelay, "reconnect delay");
    requirePositive(maxReconnectDelay, "max reconnect delay");
    if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
      throw new IllegalArgumentException("max reconnect delay (" + maxReconnectDelay
          + ") must not be shorter than the first reconnect delay (" + reconnectDelay + ")");
    }
    requirePositive(maxJobTime, "max job time");
  }

  /**
   * Defaults for a broker URI; see the table above.
   *
   * @param broker e.g. {@code http://127.0.0.1:8100/}
   * @return the options
   */
  public static RealmOptions of(URI broker) {
    return new RealmOptions(broker, null, null, Duration.ofMillis(250), Duration.ofSeconds(10),
        Duration.ofMinutes(30), false);
  }

  /**
   * @param newName the proposed realm name (sanitised); null for the default
   * @return a copy with this name
   */
  public RealmOptions withName(String newName) {
    return new RealmOptions(broker, token, newName, reconnectDelay, maxReconnectDelay, maxJobTime,
        backgroundOutput);
  }

  /**
   * @param newToken the broker's token; null for none (or the one in the broker URI)
   * @return a copy with this token
   */
  public RealmOptions withToken(String newToken) {
    return new RealmOptions(broker, newToken, name, reconnectDelay, maxReconnectDelay, maxJobTime,
        backgroundOutput);
  }

  /**
   * @param first the first reconnect delay
   * @param max the cap of the backoff
   * @return a copy with these delays
   */
  public RealmOptions withReconnectDelays(Duration first, Duration max) {
    return new RealmOptions(broker, token, name, first, max, maxJobTime, backgroundOutput);
  }

  /**
   * @param max the longest any job may run
   * @return a copy with this cap
   */
  public RealmOptions withMaxJobTime(Duration max) {
    return new RealmOptions(broker, token, name, reconnectDelay, maxReconnectDelay, max, backgroundOutput);
  }

  /**
   * @param send whether console lines written outside jobs are sent as background events
   * @return a copy with this choice
   */
  public RealmOptions withBackgroundOutput(boolean send) {
    return new RealmOptions(broker, token, name, reconnectDelay, maxReconnectDelay, maxJobTime, send);
  }

  /**
   * The realm WebSocket endpoint: {@code ws://host:port/<prefix>-daebug/realm}, with {@code ?token=}
   * when there is a token. A broker URI that already ends in {@code /-daebug/realm} is used as it is.
   *
   * @return the URI to connect to
   */
  public URI realmEndpoint() {
    String scheme = broker.getScheme().toLowerCase(Locale.ROOT);
    String ws = scheme.equals("https") || scheme.equals("wss") ? "wss" : "ws";
    String path = broker.getRawPath() == null || broker.getRawPath().isEmpty() ? "/" : broker.getRawPath();
    if (!path.endsWith("/" + REALM_PATH)) {
      path = (path.endsWith("/") ? path : path + "/") + REALM_PATH;
    }
    String query = token == null ? null : "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    try {
      String authority = broker.getRawAuthority();
      return new URI(ws + "://" + authority + path + (query == null ? "" : "?" + query));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot derive the realm endpoint from '" + broker + "'", e);
    }
  }

  private static String queryToken(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("token")) {
        String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}

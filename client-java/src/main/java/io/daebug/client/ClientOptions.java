package io.daebug.client;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a client connects: immutable and validated on construction. Start from {@link #of(URI)} and adjust
 * with the {@code with*} methods:
 *
 * <pre>{@code
 * ClientOptions.of(URI.create("http://127.0.0.1:8680/?token=s3cret-token"))
 *     .withClientName("ci-script")
 *     .withJobTimeout(Duration.ofSeconds(10))
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>token</td><td>the URI's {@code ?token=}, else none</td></tr>
 *   <tr><td>clientName</td><td>{@value #DEFAULT_NAME}</td></tr>
 *   <tr><td>connectTimeout</td><td>10 s</td></tr>
 *   <tr><td>jobTimeout</td><td>none: the broker's {@code --job-timeout}</td></tr>
 *   <tr><td>reconnect</td><td>true</td></tr>
 *   <tr><td>reconnectInitial / reconnectMax</td><td>100 ms / 5 s</td></tr>
 * </table>
 *
 * @param broker the broker's address: its page URL ({@code http://host:port/}, as the broker prints it)
 *     or a WebSocket URL ({@code ws://host:port/...}); the client connects to
 *     {@link #controlUri()}. A {@code ?token=} query parameter is taken as the token.
 * @param token the broker's token; nullable (none). Required by brokers started with
 *     {@code --require-token}, and by any broker when the client is not on loopback. Sent as an
 *     {@code Authorization: Bearer} header, never logged by the client.
 * @param clientName the agent name the broker writes in journal headers ({@code ### 🗣️<name> to ...}); the
 *     broker replaces characters other than {@code [A-Za-z0-9._-]} with {@code -}
 * @param connectTimeout how long to wait for one connection (until the broker's welcome), and how long a
 *     job submitted while disconnected waits for a reconnect before failing
 * @param jobTimeout the timeout of jobs whose {@link JobRequest#timeout()} is null; nullable: null means
 *     the broker's own default
 * @param reconnect whether a lost connection is re-established (with exponential backoff and jitter)
 * @param reconnectInitial the delay before the first reconnect attempt (doubled after each failure)
 * @param reconnectMax the longest delay between reconnect attempts
 */
public record ClientOptions(
    URI broker,
    String token,
    String clientName,
    Duration connectTimeout,
    Duration jobTimeout,
    boolean reconnect,
    Duration reconnectInitial,
    Duration reconnectMax) {

  /** The client name used when none is given. */
  public static final String DEFAULT_NAME = "java";

  /** The broker's controller endpoint path. */
  public static final String CONTROL_PATH = "/-daebug/control";

  /**
   * Validates every option; the message of the {@link IllegalArgumentException} names the problem.
   *
   * @param broker the broker's address
   * @param token the token; nullable (then the broker URI's {@code ?token=}, if any)
   * @param clientName the agent name
   * @param connectTimeout the connect timeout
   * @param jobTimeout the default job timeout; nullable
   * @param reconnect whether to reconnect
   * @param reconnectInitial the first reconnect delay
   * @param reconnectMax the longest reconnect delay
   */
  public ClientOptions {
    Objects.requireNonNull(broker, "broker URI");
    Objects.requireNonNull(clientName, "client name");
    Objects.requireNonNull(connectTimeout, "connect timeout");
    Objects.requireNonNull(reconnectInitial, "reconnect initial delay");
    Objects.requireNonNull(reconnectMax, "reconnect max delay");
    String scheme = broker.getScheme() == null ? "" : broker.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("broker URI must start with http://, https://, ws:// or wss://, got "
          + broker);
    }
    if (broker.getHost() == null || broker.getHost().isEmpty()) {
      throw new IllegalArgumentException("broker URI has no host: " + broker);
    }
    String fromUri = queryToken(broker);
    if (token != null && fromUri != null && !token.equals(fromUri)) {
      throw new IllegalArgumentException("token given twice with different values: in the broker URI and as"
          + " the token option; pass one");
    }
    token = token != null ? token : fromUri;
    if (token != null && (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw new IllegalArgumentException("token must be non-empty printable ASCII without spaces");
    }
    if (clientName.isBlank() || clientName.length() > 64) {
      throw new IllegalArgumentException("client name must be 1 to 64 characters, got '" + clientName + "'");
    }
    requirePositive(connectTimeout, "connect timeout");
    if (jobTimeout != null) {
      requirePositive(jobTimeout, "job timeout");
      if (jobTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("job timeout must be at least 1ms, got " + jobTimeout);
      }
    }
    requirePositive(reconnectInitial, "reconnect initial delay");
    requirePositive(reconnectMax, "reconnect max delay");
    if (reconnectMax.compareTo(reconnectInitial) < 0) {
      throw new IllegalArgumentException("reconnect max delay (" + reconnectMax
          + ") cannot be shorter than the initial delay (" + reconnectInitial + ")");
    }
  }

  /**
   * Defaults for a broker address (see the table above).
   *
   * @param broker the broker's address, such as {@code http://127.0.0.1:8680/}
   * @return the options
   */
  public static ClientOptions of(URI broker) {
    return new ClientOptions(broker, null, DEFAULT_NAME, Duration.ofSeconds(10), null, true,
        Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /**
   * Defaults for a broker address given as text.
   *
   * @param broker the broker's address, such as {@code http://127.0.0.1:8680/}
   * @return the options
   */
  public static ClientOptions of(String broker) {
    return of(URI.create(broker));
  }

  /**
   * The same options with another token; a token in the broker URI is dropped.
   *
   * @param newToken the token; nullable (none)
   * @return the new options
   */
  public ClientOptions withToken(String newToken) {
    return new ClientOptions(withoutQuery(broker), newToken, clientName, connectTimeout, jobTimeout, reconnect, reconnectInitial,
        reconnectMax);
  }

  /**
   * The same options with another client name.
   *
   * @param newName the agent name for journal headers
   * @return the new options
   */
  public ClientOptions withClientName(String newName) {
    return new ClientOptions(broker, token, newName, connectTimeout, jobTimeout, reconnect, reconnectInitial,
        reconnectMax);
  }

  /**
   * The same options with another connect timeout.
   *
   * @param newTimeout the connect timeout
   * @return the new options
   */
  public ClientOptions withConnectTimeout(Duration newTimeout) {
    return new ClientOptions(broker, token, clientName, newTimeout, jobTimeout, reconnect, reconnectInitial,
        reconnectMax);
  }

  /**
   * The same options with another default job timeout.
   *
   * @param newTimeout the timeout; nullable (the broker's default)
   * @return the new options
   */
  public ClientOptions withJobTimeout(Duration newTimeout) {
    return new ClientOptions(broker, token, clientName, connectTimeout, newTimeout, reconnect, reconnectInitial,
        reconnectMax);
  }

  /**
   * The same options with reconnecting switched on or off.
   *
   * @param on whether to reconnect
   * @return the new options
   */
  public ClientOptions withReconnect(boolean on) {
    return new ClientOptions(broker, token, clientName, connectTimeout, jobTimeout, on, reconnectInitial,
        reconnectMax);
  }

  /**
   * The same options with other reconnect delays.
   *
   * @param initial the delay before the first attempt
   * @param max the longest delay
   * @return the new options
   */
  public ClientOptions withReconnectBackoff(Duration initial, Duration max) {
    return new ClientOptions(broker, token, clientName, connectTimeout, jobTimeout, reconnect, initial, max);
  }

  /**
   * The WebSocket URL the client connects to: {@code ws://host:port/-daebug/control} ({@code wss} for
   * {@code https}/{@code wss} addresses), without the token (which goes in a header).
   *
   * @return the controller endpoint's URL
   */
  public URI controlUri() {
    String scheme = broker.getScheme().toLowerCase(Locale.ROOT);
    String ws = scheme.equals("https") || scheme.equals("wss") ? "wss" : "ws";
    String host = broker.getHost().contains(":") && !broker.getHost().startsWith("[") ? "[" + broker.getHost() + "]"
        : broker.getHost();
    return URI.create(ws + "://" + host + (broker.getPort() < 0 ? "" : ":" + broker.getPort()) + CONTROL_PATH);
  }

  /**
   * The options with the token masked, for messages and logs.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return "ClientOptions[broker=" + withoutQuery(broker) + ", token=" + (token == null ? "none" : "***")
        + ", clientName=" + clientName + ", connectTimeout=" + connectTimeout + ", jobTimeout=" + jobTimeout
        + ", reconnect=" + reconnect + ", reconnectInitial=" + reconnectInitial + ", reconnectMax=" + reconnectMax
        + "]";
  }

  private static String queryToken(URI uri) {
    String query = uri.getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("token=")) {
        return URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static URI withoutQuery(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? uri : URI.create(s.substring(0, q));
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}

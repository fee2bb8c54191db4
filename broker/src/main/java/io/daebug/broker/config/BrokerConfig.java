package io.daebug.broker.config;

import io.daebug.broker.journal.WriteOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a broker needs to start; immutable and validated on construction.
 *
 * @param root the folder served and journalled into ({@code daebug.md}, {@code daebug/})
 * @param host the address to listen on
 * @param port the port, 0 for any free one
 * @param jobTimeout how long a job may run before its reply says it timed out
 * @param pingInterval how often realms are pinged
 * @param unresponsiveAfter a realm whose pong is this late is listed {@code unresponsive}
 * @param disconnectGrace how long a disconnected realm keeps its name, log and queue
 * @param limits sizes and counts the broker accepts
 * @param security who may connect, and over what
 * @param clock the wall clock for the journal's {@code HH:MM:SS}
 * @param writes how the logs are written ({@link WriteOptions#defaults()}; {@link SystemProperties#writes} reads the command line's; tests add
 *     a fault hook)
 */
public record BrokerConfig(
    Path root,
    String host,
    int port,
    Duration jobTimeout,
    Duration pingInterval,
    Duration unresponsiveAfter,
    Duration disconnectGrace,
    Limits limits,
    Security security,
    Clock clock,
    WriteOptions writes) {

  /**
   * Sizes and counts the broker accepts; each refusal says which limit and how to raise it.
   *
   * @param maxMessageBytes the largest frame or message accepted from a peer
   * @param resultCap the largest result text written into a log, in UTF-8 bytes; longer ones are cut and
   *     written whole to a side file
   * @param maxRealmsPerAddress realms one client address may have connected at once
   * @param maxQueuedJobs jobs one realm may have queued or running; more are refused
   */
  public record Limits(int maxMessageBytes, int resultCap, int maxRealmsPerAddress, int maxQueuedJobs) {
    public Limits {
      if (resultCap < 256) {
        throw new IllegalArgumentException("result cap must be at least 256 bytes, got " + resultCap);
      }
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException("max message size must be at least 1024 bytes, got " + maxMessageBytes);
      }
      if (maxRealmsPerAddress < 1) {
        throw new IllegalArgumentException("realms per address must be at least 1, got " + maxRealmsPerAddress);
      }
      if (maxQueuedJobs < 1) {
        throw new IllegalArgumentException("queued jobs per realm must be at least 1, got " + maxQueuedJobs);
      }
    }

    /** 1 MiB messages, 64 KiB results, 1,000 realms per address, 1,000 jobs per realm. */
    public static Limits defaults() {
      return new Limits(1 << 20, 64 * 1024, 1000, 1000);
    }
  }

  /**
   * Who may connect, and over what.
   *
   * @param token the token clients not on loopback must present; null for none (then a broker listening
   *     beyond loopback generates one)
   * @param requireToken when true, controllers must present the token even from loopback (one is generated
   *     when none is given)
   * @param allowedHosts extra host names accepted in {@code Host} and {@code Origin}
   * @param allowedOrigins extra origins ({@code scheme://host[:port]}) accepted on WebSocket upgrades
   * @param tlsKeystore a PKCS12 keystore: when set, the broker serves {@code https} and {@code wss} only
   * @param tlsPassword the keystore's password; nullable
   */
  public record Security(String token, boolean requireToken, List<String> allowedHosts, List<String> allowedOrigins,
      Path tlsKeystore, String tlsPassword) {
    public Security {
      allowedHosts = List.copyOf(allowedHosts == null ? List.of() : allowedHosts);
      allowedOrigins = List.copyOf(allowedOrigins == null ? List.of() : allowedOrigins);
      if (token != null && token.length() < 8) {
        throw new IllegalArgumentException("token must be at least 8 characters");
      }
      for (String origin : allowedOrigins) {
        java.net.URI u;
        try {
          u = new java.net.URI(origin);
        } catch (java.net.URISyntaxException e) {
          u = null;
        }
        if (u == null || u.getScheme() == null || u.getHost() == null) {
          throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
        }
      }
    }

    /** No token, loopback names only, plain HTTP. */
    public static Security defaults() {
      return new Security(null, false, List.of(), List.of(), null, null);
    }

    public Security withToken(String newToken) {
      return new Security(newToken, requireToken, allowedHosts, allowedOrigins, tlsKeystore, tlsPassword);
    }
  }

  public BrokerConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(writes, "writes");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    requirePositive(jobTimeout, "job timeout");
    requirePositive(pingInterval, "ping interval");
    requirePositive(unresponsiveAfter, "unresponsive threshold");
    requirePositive(disconnectGrace, "disconnect grace period");
    if (unresponsiveAfter.compareTo(pingInterval) <= 0) {
      throw new IllegalArgumentException("unresponsive threshold (" + unresponsiveAfter
          + ") must be longer than the ping interval (" + pingInterval + ")");
    }
  }

  /** Defaults for a root folder: loopback, the folder's own port, 60 s jobs, 5 s pings. */
  public static BrokerConfig defaults(Path root) {
    return new BrokerConfig(root, "127.0.0.1", defaultPort(root), Duration.ofSeconds(60), Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofMinutes(2), Limits.defaults(), Security.defaults(),
        Clock.systemDefaultZone(), WriteOptions.defaults());
  }

  /**
   * {@code 8100 + abs(lowercased folder name's hashCode) % 1000}: the port the original Node tool picks,
   * so existing setups keep working. The absolute value is taken in 64 bits, as JavaScript does.
   */
  public static int defaultPort(Path root) {
    Path name = root.toAbsolutePath().normalize().getFileName();
    String folder = name == null ? "" : name.toString().toLowerCase(java.util.Locale.ROOT);
    return 8100 + (int) (Math.abs((long) folder.hashCode()) % 1000);
  }

  // ---- shortcuts ----

  public int maxMessageBytes() {
    return limits.maxMessageBytes();
  }

  public int resultCap() {
    return limits.resultCap();
  }

  public String token() {
    return security.token();
  }

  public boolean requireToken() {
    return security.requireToken();
  }

  public List<String> allowedHosts() {
    return security.allowedHosts();
  }

  /** Whether the broker serves TLS ({@code https}, {@code wss}). */
  public boolean tls() {
    return security.tlsKeystore() != null;
  }

  // ---- copies ----

  public BrokerConfig withPort(int newPort) {
    return new BrokerConfig(root, host, newPort, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, security, clock, writes);
  }

  public BrokerConfig withHost(String newHost) {
    return new BrokerConfig(root, newHost, port, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, security, clock, writes);
  }

  public BrokerConfig withJobTimeout(Duration timeout) {
    return new BrokerConfig(root, host, port, timeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, security, clock, writes);
  }

  public BrokerConfig withLiveness(Duration ping, Duration unresponsive, Duration grace) {
    return new BrokerConfig(root, host, port, jobTimeout, ping, unresponsive, grace, limits, security, clock,
        writes);
  }

  /** The same config rooted elsewhere (e.g. the absolute, normalised form of the root). */
  public BrokerConfig withRoot(Path newRoot) {
    return new BrokerConfig(newRoot, host, port, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, security, clock, writes);
  }

  public BrokerConfig withLimits(Limits newLimits) {
    return new BrokerConfig(root, host, port, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        newLimits, security, clock, writes);
  }

  public BrokerConfig withSecurity(Security newSecurity) {
    return new BrokerConfig(root, host, port, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, newSecurity, clock, writes);
  }

  public BrokerConfig withToken(String newToken) {
    return withSecurity(security.withToken(newToken));
  }

  /** The same config, requiring the token from every controller (loopback included) when {@code require}. */
  public BrokerConfig withRequireToken(boolean require) {
    return withSecurity(new Security(security.token(), require, security.allowedHosts(), security.allowedOrigins(),
        security.tlsKeystore(), security.tlsPassword()));
  }

  public BrokerConfig withWrites(WriteOptions newWrites) {
    return new BrokerConfig(root, host, port, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, security, clock, newWrites);
  }

  public BrokerConfig withClock(Clock newClock) {
    return new BrokerConfig(root, host, port, jobTimeout, pingInterval, unresponsiveAfter, disconnectGrace,
        limits, security, newClock, writes);
  }

  /** Whether the broker listens on loopback only (then no client can come from elsewhere). */
  public boolean loopbackOnly() {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }
}

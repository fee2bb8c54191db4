package io.daebug.client.realm;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.realm.internal.Connection;
import io.daebug.client.realm.internal.ExecutorJobs;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A realm of any runtime: the connection a {@link JvmRealm} uses (hello, reconnect with backoff and jitter,
 * resume under the same tab id within the broker's grace period, token, TLS, an outbox kept across
 * reconnects, cancel), with the jobs run by a {@link JobExecutor} of your own. The debug realm
 * ({@code daebug.jar debug}) drives a debug adapter with it.
 *
 * <pre>{@code
 * RealmConnection realm = RealmConnection.open(RealmOptions.of(broker).withName("api"), "debug", "go",
 *     "debug://1234@host/api", executor);
 * realm.status("stopped at main.go:42 (breakpoint)");
 * }</pre>
 *
 * <p>Thread-safe. {@link #open} returns at once and connects in the background until {@link #close}.
 */
public final class RealmConnection implements AutoCloseable {
  private final Connection connection;

  private RealmConnection(Connection connection) {
    this.connection = connection;
  }

  /**
   * Connects a realm whose jobs {@code executor} runs.
   *
   * @param options where the broker is, the realm's name, reconnect delays and the cap on a job's time
   * @param kind the realm's kind as the registry shows it, e.g. {@code debug} (lowercase letters, digits,
   *     {@code +#._-})
   * @param language the language of its fences, e.g. {@code go}
   * @param url where the realm lives, e.g. {@code debug://1234@host/api}
   * @param executor runs the jobs
   * @return the connection, connecting
   */
  public static RealmConnection open(RealmOptions options, String kind, String language, String url,
      JobExecutor executor) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(executor, "executor");
    String k = word(kind, "kind");
    String l = word(language, "language");
    Objects.requireNonNull(url, "url");
    Connection c = Connection.create(options, new Connection.Identity(k, l, () -> url));
    c.start(new ExecutorJobs(c, executor));
    return new RealmConnection(c);
  }

  private static String word(String s, String what) {
    Objects.requireNonNull(s, what);
    String w = s.trim().toLowerCase(Locale.ROOT);
    if (w.isEmpty() || w.length() > 32 || !w.matches("[a-z0-9+#._-]+")) {
      throw new IllegalArgumentException(what + " must be 1 to 32 of a-z 0-9 + # . _ -, got '" + s + "'");
    }
    return w;
  }

  /** @return the name the broker gave in its last welcome, or the proposed one before */
  public String name() {
    return connection.name();
  }

  /** @return the realm's log relative to the broker's root, e.g. {@code daebug/api.md} */
  public String logFile() {
    return connection.logFile();
  }

  /** @return whether the broker has welcomed the current connection */
  public boolean isConnected() {
    return connection.isConnected();
  }

  /**
   * Waits until the broker has welcomed the realm.
   *
   * @param timeout the longest wait
   * @throws BrokerUnavailableException when not connected in time
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitConnected(Duration timeout) throws InterruptedException {
    connection.awaitConnected(Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Sends a background event (journalled above the log's footer, outside any job).
   *
   * @param kind {@code log}, {@code info}, {@code warn}, {@code error} or {@code debug}
   * @param text the text
   */
  public void event(String kind, String text) {
    connection.sendEvent(null, kind, System.currentTimeMillis(), text);
  }

  /**
   * Tells the broker what the runtime is doing, shown on the realm's line in {@code daebug.md}, e.g.
   * {@code stopped at main.go:42 (breakpoint)}. Sent again after every reconnect.
   *
   * @param text the status (one line, cut by the broker at 160 characters), or null to clear it
   */
  public void status(String text) {
    connection.sendStatus(text);
  }

  /** Leaves the broker: closes the connection and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    connection.close();
  }
}

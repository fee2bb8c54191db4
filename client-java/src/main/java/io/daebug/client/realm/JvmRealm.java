package io.daebug.client.realm;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.realm.internal.RealmCore;
import java.time.Duration;
import java.util.Objects;

/**
 * Makes the running JVM a Daebug realm: the broker pushes Java snippets appended to the realm's log
 * ({@code daebug/<name>.md}, in {@code ```java} fences) and this JVM evaluates them with JShell, in
 * process, and answers with their values, console output and errors.
 *
 * <pre>{@code
 * JvmRealm realm = JvmRealm.start(RealmOptions.of(URI.create("http://127.0.0.1:8100/")));
 * realm.bind("orders", orderService);   // snippets can now call orders.pending()
 * }</pre>
 *
 * <p><b>Evaluation.</b> Snippets run in this JVM on JShell's local execution engine, so they reach the
 * application's classes (compiled against {@code java.class.path}, loaded through the class loader of
 * this library) and its objects (through {@link #bind}). State persists between jobs: variables,
 * methods, classes and imports declared by one job are there for the next. A job may hold several
 * snippets; they run in order and the job's value is the last snippet's. Jobs run one at a time on the
 * thread {@code daebug-realm-eval} (each snippet on a thread JShell starts from it); a job is stopped
 * when its timeout elapses or the broker cancels it. Output a job's threads write to {@code System.out}
 * and {@code System.err} becomes console events of that job; other output passes through. See
 * {@code docs/jvm-realm.md} for values, errors and limits.
 *
 * <p><b>Lifecycle.</b> {@link #start} returns at once and connects in the background; it reconnects
 * with backoff whenever the connection drops, under the same name, until {@link #close}. Thread-safe.
 */
public final class JvmRealm implements AutoCloseable {
  private final RealmCore core;
  private final RealmOptions options;

  private JvmRealm(RealmCore core, RealmOptions options) {
    this.core = core;
    this.options = options;
  }

  /**
   * Makes this JVM a realm. Installs the console capture ({@code System.setOut}/{@code setErr}) and a
   * default uncaught exception handler (which calls the one installed before), starts JShell in the
   * background and starts connecting. Never waits for the broker; see {@link #awaitConnected}.
   *
   * @param options where the broker is and how the realm behaves
   * @return the realm; close it to leave
   * @throws io.daebug.client.DaebugException when this Java runtime lacks the {@code jdk.jshell} module
   */
  public static JvmRealm start(RealmOptions options) {
    Objects.requireNonNull(options, "options");
    return new JvmRealm(RealmCore.start(options), options);
  }

  /**
   * The realm's name: the one the broker gave in its last welcome (it may have added a suffix such as
   * {@code -2}), or the proposed one before the first welcome.
   *
   * @return the name, never null
   */
  public String name() {
    return core.name();
  }

  /**
   * The realm's log, relative to the broker's root folder, as the broker announced it, e.g.
   * {@code daebug/orders.md}; derived from {@link #name()} before the first welcome.
   *
   * @return the path, never null
   */
  public String logFile() {
    return core.logFile();
  }

  /**
   * @return whether the broker has welcomed the current connection
   */
  public boolean isConnected() {
    return core.isConnected();
  }

  /**
   * Waits until the broker has welcomed the realm.
   *
   * @param timeout the longest wait
   * @throws BrokerUnavailableException when not connected in time; its cause is the last connection failure
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitConnected(Duration timeout) throws InterruptedException {
    core.awaitConnected(Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Exposes an object to snippets as a variable: after {@code bind("orders", service)}, a snippet can
   * write {@code orders.pending()}. The variable is typed as the object's most specific class that a
   * snippet can name (a public class in an exported package; else a public interface, else
   * {@code Object}). Takes effect before any job that arrives after this call returns; binding a name
   * again replaces the value. A snippet may reassign the variable; binding again restores it.
   *
   * @param name a Java identifier, not a keyword, not starting with {@code $}
   * @param value the object; may be null
   * @return this realm
   * @throws IllegalArgumentException when {@code name} is not a usable identifier
   */
  public JvmRealm bind(String name, Object value) {
    core.bind(name, value);
    return this;
  }

  /**
   * @return the options the realm was started with
   */
  public RealmOptions options() {
    return options;
  }

  /**
   * Leaves the broker: closes the connection and stops reconnecting, stops a running job, closes
   * JShell, and puts back {@code System.out}, {@code System.err} and the default uncaught exception
   * handler (when nothing replaced them meanwhile). Idempotent.
   */
  @Override
  public void close() {
    core.close();
  }

  @Override
  public String toString() {
    return "JvmRealm[" + name() + (isConnected() ? ", connected" : ", not connected") + "]";
  }
}

package io.daebug.client.realm.internal;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.DaebugException;
import io.daebug.client.realm.RealmOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import javax.lang.model.SourceVersion;

/**
 * The composition root of a JVM realm: console capture, uncaught-exception reporting, the job runner
 * and the broker {@link Connection} (which speaks the realm protocol, docs/protocol.md), wired together.
 * Public only for {@code JvmRealm}; not an API.
 *
 * <p>Threads: the link's reader (HttpClient threads) calls {@link Link.Handler} and never blocks; jobs
 * run on {@code daebug-realm-eval}; timeouts and reconnects on {@code daebug-realm-timer}; frames leave
 * on {@code daebug-realm-send}.
 */
public final class RealmCore implements Link.Handler, AutoCloseable {
  private final String key = "r" + UUID.randomUUID().toString().replace("-", "");
  private final Connection connection;
  private final ConsoleCapture console;
  private final UncaughtReporter uncaught;
  private final JobRunner jobs;

  private RealmCore(RealmOptions options) {
    if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
      throw new DaebugException("this Java runtime has no jdk.jshell module, which a JVM realm needs to run"
          + " Java snippets: run on a full JDK (or a jlink image with --add-modules jdk.jshell)");
    }
    this.connection = Connection.create(options, new Connection.Identity("jvm", "java", Names::realmUrl));
    ConsoleCapture capture = null;
    UncaughtReporter reporter = null;
    JobRunner runner = null;
    try {
      capture = new ConsoleCapture(key, connection::sendEvent, options.backgroundOutput());
      JobRunner[] jobsRef = new JobRunner[1];
      reporter = new UncaughtReporter(key, connection::sendEvent,
          () -> jobsRef[0] == null ? null : jobsRef[0].activeJob(), capture.originalErr());
      ClassLoader parent = RealmCore.class.getClassLoader();
      String classPath = System.getProperty("java.class.path", "");
      runner = new JobRunner(key, options.maxJobTime(), () -> {
        Evaluator evaluator = new Evaluator(parent, classPath);
        Bindings.all(key).forEach((n, v) -> evaluator.declareBinding(key, n, v));
        return evaluator;
      }, capture, connection::sendEvent, connection::sendResult, connection.timer(), reporter.threadGroup());
      jobsRef[0] = runner;
      this.console = capture;
      this.uncaught = reporter;
      this.jobs = runner;
    } catch (RuntimeException | Error e) {
      // leave the JVM as it was: streams, handler, threads
      if (runner != null) {
        runner.close();
      }
      if (reporter != null) {
        reporter.close();
      }
      if (capture != null) {
        capture.close();
      }
      connection.close();
      throw e;
    }
  }

  /**
   * Makes this JVM a realm of the broker in {@code options}; connects in the background.
   *
   * @param options where the broker is and how to behave
   * @return the running realm
   */
  public static RealmCore start(RealmOptions options) {
    RealmCore core = new RealmCore(options);
    core.connection.start(core.runner());
    return core;
  }

  static RealmCore start(RealmOptions options, Function<Link.Handler, Link> links) {
    RealmCore core = new RealmCore(options);
    core.connection.start(core.runner(), links);
    return core;
  }

  private Connection.Jobs runner() {
    return new Connection.Jobs() {
      @Override
      public void submit(String id, String code, String language, long timeoutMs, long epoch) {
        jobs.submit(new Protocol.Job(id, code, language, timeoutMs, epoch));
      }

      @Override
      public void cancel(String id, String reason) {
        jobs.cancel(id, reason);
      }
    };
  }

  /** @return the name the broker gave, or the proposed one before the first welcome */
  public String name() {
    return connection.name();
  }

  /** @return the log file relative to the broker's root, e.g. {@code daebug/orders.md} */
  public String logFile() {
    return connection.logFile();
  }

  /** @return whether the broker has welcomed the current connection */
  public boolean isConnected() {
    return connection.isConnected();
  }

  /**
   * Waits until the broker welcomed the realm.
   *
   * @param timeout how long to wait
   * @throws BrokerUnavailableException when not connected in time (the cause is the last failure)
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitConnected(Duration timeout) throws InterruptedException {
    connection.awaitConnected(timeout);
  }

  /**
   * Binds {@code value} to a variable named {@code name} in snippets.
   *
   * @param name a Java identifier
   * @param value the object, maybe null
   */
  public void bind(String name, Object value) {
    if (name == null || !SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name) || name.startsWith("$")) {
      throw new IllegalArgumentException("binding name must be a Java identifier (not a keyword, not starting"
          + " with $), got '" + name + "'");
    }
    Bindings.put(key, name, value);
    jobs.bind(name);
  }

  @Override
  public void close() {
    if (connection.isClosed()) {
      return;
    }
    connection.close();
    jobs.close();
    uncaught.close();
    console.close();
    Bindings.forget(key);
  }

  // ---- Link.Handler: the connection's, for tests that play the broker ----

  @Override
  public String hello() {
    return connection.hello();
  }

  @Override
  public void onFrame(String text) {
    connection.onFrame(text);
  }

  @Override
  public void onDisconnected(String why) {
    connection.onDisconnected(why);
  }

  /** For tests: aborts the current connection as a network failure would. */
  void dropConnection() {
    connection.dropConnection();
  }
}

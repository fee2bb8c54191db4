package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.DaebugException;
import io.daebug.client.realm.RealmOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.lang.model.SourceVersion;

/**
 * The composition root of a JVM realm: console capture, uncaught-exception reporting, the job runner
 * and the broker link, wired together; speaks the realm protocol (docs/protocol.md). Public only for
 * {@code JvmRealm}; not an API.
 *
 * <p>Threads: the link's reader (HttpClient threads) calls {@link Link.Handler} and never blocks; jobs
 * run on {@code daebug-realm-eval}; timeouts and reconnects on {@code daebug-realm-timer}; frames leave
 * on {@code daebug-realm-send}.
 */
public final class RealmCore implements Link.Handler, AutoCloseable {
  /** Frames above this many UTF-8 bytes are refused by a default broker; a bigger value is not sent. */
  static final int MAX_FRAME_BYTES = 1_000_000;
  /** Longest event text sent. */
  static final int MAX_EVENT_CHARS = 256 * 1024;
  private static final System.Logger LOG = System.getLogger(RealmCore.class.getName());

  private final RealmOptions options;
  private final String key = "r" + UUID.randomUUID().toString().replace("-", "");
  private final String tab = Names.newTabId();
  private final ScheduledExecutorService timer;
  private final ConsoleCapture console;
  private final UncaughtReporter uncaught;
  private final JobRunner jobs;
  private final Link link;
  private final Object state = new Object();
  private volatile String name;
  private volatile String log;
  private volatile boolean connected;
  private volatile String url;
  private volatile boolean closed;

  private RealmCore(RealmOptions options, Function<Link.Handler, Link> links) {
    if (ModuleLayer.boot().findModule("jdk.jshell").isEmpty()) {
      throw new DaebugException("this Java runtime has no jdk.jshell module, which a JVM realm needs to run"
          + " Java snippets: run on a full JDK (or a jlink image with --add-modules jdk.jshell)");
    }
    this.options = options;
    this.name = options.name();
    this.log = "daebug/" + name + ".md";
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "daebug-realm-timer");
      t.setDaemon(true);
      return t;
    });
    ConsoleCapture capture = null;
    UncaughtReporter reporter = null;
    JobRunner runner = null;
    try {
      capture = new ConsoleCapture(key, this::sendEvent, options.backgroundOutput());
      JobRunner[] jobsRef = new JobRunner[1];
      reporter = new UncaughtReporter(key, this::sendEvent,
          () -> jobsRef[0] == null ? null : jobsRef[0].activeJob(), capture.originalErr());
      ClassLoader parent = RealmCore.class.getClassLoader();
      String classPath = System.getProperty("java.class.path", "");
      runner = new JobRunner(key, options.maxJobTime(), () -> {
        Evaluator evaluator = new Evaluator(parent, classPath);
        Bindings.all(key).forEach((n, v) -> evaluator.declareBinding(key, n, v));
        return evaluator;
      }, capture, this::sendEvent, this::sendResult, timer, reporter.threadGroup());
      jobsRef[0] = runner;
      this.console = capture;
      this.uncaught = reporter;
      this.jobs = runner;
      this.link = links.apply(this);
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
      timer.shutdownNow();
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
    return start(options, handler -> new WsLink(options.realmEndpoint(), options.reconnectDelay(),
        options.maxReconnectDelay(), handler, ((RealmCore) handler).timer));
  }

  static RealmCore start(RealmOptions options, Function<Link.Handler, Link> links) {
    RealmCore core = new RealmCore(options, links);
    core.link.start();
    return core;
  }

  /** @return the name the broker gave, or the proposed one before the first welcome */
  public String name() {
    return name;
  }

  /** @return the log file relative to the broker's root, e.g. {@code daebug/orders.md} */
  public String logFile() {
    return log;
  }

  /** @return whether the broker has welcomed the current connection */
  public boolean isConnected() {
    return connected;
  }

  /**
   * Waits until the broker welcomed the realm.
   *
   * @param timeout how long to wait
   * @throws BrokerUnavailableException when not connected in time (the cause is the last failure)
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (state) {
      while (!connected) {
        if (closed) {
          throw new BrokerUnavailableException("the realm is closed");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new BrokerUnavailableException("not connected to " + options.realmEndpoint() + " within " + timeout,
              link.lastFailure());
        }
        state.wait(Math.max(1, left / 1_000_000));
      }
    }
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
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      connected = false;
      state.notifyAll();
    }
    link.close();
    jobs.close();
    uncaught.close();
    console.close();
    timer.shutdownNow();
    Bindings.forget(key);
  }

  // ---- Link.Handler: called by the link's reader, never blocks ----

  @Override
  public String hello() {
    String u = url;
    if (u == null) {
      u = Names.realmUrl();
      url = u;
    }
    return Protocol.hello(name, u, tab);
  }

  @Override
  public void onFrame(String text) {
    Protocol.Inbound message = Protocol.parse(text);
    if (message instanceof Protocol.Welcome w) {
      name = w.name();
      log = w.log() != null ? w.log() : "daebug/" + w.name() + ".md";
      synchronized (state) {
        connected = !closed;
        state.notifyAll();
      }
      LOG.log(System.Logger.Level.INFO, "daebug realm {0} connected; log {1}", name, log);
      link.welcomed();
    } else if (message instanceof Protocol.Job j) {
      jobs.submit(j.withEpoch(link.jobArrived(j.id())));
    } else if (message instanceof Protocol.Cancel c) {
      jobs.cancel(c.id(), c.reason());
    } else if (message instanceof Protocol.BrokerError e) {
      LOG.log(System.Logger.Level.WARNING, "daebug realm {0}: the broker refused something: {1} {2}", name,
          e.code(), e.message());
    } else if (message instanceof Protocol.Ignored i) {
      LOG.log(System.Logger.Level.DEBUG, "daebug realm {0}: ignored a frame: {1}", name, i.why());
    }
  }

  @Override
  public void onDisconnected(String why) {
    synchronized (state) {
      connected = false;
    }
  }

  // ---- outgoing ----

  private void sendResult(String job, long epoch, Outcome outcome, double durationMs) {
    String json = Protocol.result(job, outcome, durationMs);
    if (json.length() > MAX_FRAME_BYTES / 4 && json.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
      JsonNode tooBig = ValueEncoder.opaque("[the value was not sent: its result frame is over " + MAX_FRAME_BYTES
          + " bytes]", null);
      json = Protocol.result(job, outcome.ok() ? Outcome.value(tooBig)
          : Outcome.failure(outcome.error().name(), cut(outcome.error().message(), 100_000),
              cut(outcome.error().stack(), 100_000)), durationMs);
    }
    link.send(json, job, epoch);
  }

  private void sendEvent(String job, String kind, long time, String text) {
    if (!closed) {
      link.send(Protocol.event(job, kind, time, cut(text, MAX_EVENT_CHARS)), null, 0);
    }
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s
        : s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
  }

  /** For tests: aborts the current connection as a network failure would. */
  void dropConnection() {
    link.drop();
  }
}

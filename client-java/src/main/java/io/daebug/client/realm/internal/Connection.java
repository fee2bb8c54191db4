package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.realm.RealmOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A realm's connection to its broker, whatever runs its jobs: says {@code hello} with the realm's kind,
 * language and url, takes the {@code welcome} (name and log), hands {@code job} and {@code cancel} frames to
 * a {@link Jobs}, and sends results and events through a {@link Link} that reconnects with backoff, resumes
 * under the same tab id and keeps its outbox across reconnects. The JVM realm ({@link RealmCore}) and the
 * debug realm both use it. Public only for {@code io.daebug.client.realm}; not an API.
 *
 * <p>Threads: the link's reader calls {@link Link.Handler} and {@link Jobs}, which must not block; reconnects
 * are scheduled on {@code daebug-realm-timer}, which {@link #timer()} shares with the runtime.
 */
public final class Connection implements Link.Handler, AutoCloseable {
  /** Frames above this many UTF-8 bytes are refused by a default broker; a bigger value is not sent. */
  static final int MAX_FRAME_BYTES = 1_000_000;
  /** Longest event text sent. */
  static final int MAX_EVENT_CHARS = 256 * 1024;
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());

  /** What runs the jobs. Called from the socket's reader: must not block. */
  public interface Jobs {
    /**
     * A job arrived.
     *
     * @param id the job id
     * @param code what to run
     * @param language the language the broker says the code is in, or null
     * @param timeoutMs the job's timeout, 0 when the broker gave none
     * @param epoch the connection it arrived on: pass it back with the result
     */
    void submit(String id, String code, String language, long timeoutMs, long epoch);

    /**
     * The broker no longer waits for job {@code id}.
     *
     * @param id the job
     * @param reason why, or null
     */
    void cancel(String id, String reason);
  }

  /**
   * Who the realm is, as its {@code hello} says.
   *
   * @param kind e.g. {@code jvm} or {@code debug}
   * @param language the language of its jobs, e.g. {@code java} or {@code go}
   * @param url where it lives; asked for once, on the first hello (it may take a DNS lookup)
   */
  public record Identity(String kind, String language, Supplier<String> url) {}

  private final RealmOptions options;
  private final Identity identity;
  private final String tab = Names.newTabId();
  private final ScheduledExecutorService timer;
  private final Object state = new Object();
  private Jobs jobs;
  private Link link;
  private volatile String name;
  private volatile String log;
  private volatile boolean connected;
  private volatile String url;
  private volatile boolean closed;
  private volatile String lastStatus;

  private Connection(RealmOptions options, Identity identity) {
    this.options = options;
    this.identity = identity;
    this.name = options.name();
    this.log = "daebug/" + name + ".md";
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "daebug-realm-timer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A connection that does not connect yet: {@link #start} it once its jobs exist.
   *
   * @param options where the broker is
   * @param identity the hello's kind, language and url
   * @return the connection
   */
  public static Connection create(RealmOptions options, Identity identity) {
    return new Connection(options, identity);
  }

  /**
   * Starts connecting over WebSocket.
   *
   * @param runner what runs the jobs
   */
  public void start(Jobs runner) {
    start(runner, handler -> new WsLink(options.realmEndpoint(), options.reconnectDelay(),
        options.maxReconnectDelay(), handler, timer));
  }

  void start(Jobs runner, Function<Link.Handler, Link> links) {
    this.jobs = runner;
    this.link = links.apply(this);
    link.start();
  }

  /** @return the timer reconnects run on; jobs may schedule their timeouts on it too */
  public ScheduledExecutorService timer() {
    return timer;
  }

  /** @return the options */
  public RealmOptions options() {
    return options;
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
              link == null ? null : link.lastFailure());
        }
        state.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** Closes the connection and stops reconnecting; the timer stops too. Idempotent. */
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
    if (link != null) {
      link.close();
    }
    timer.shutdownNow();
  }

  /** @return whether {@link #close} was called */
  public boolean isClosed() {
    return closed;
  }

  // ---- Link.Handler: called by the link's reader, never blocks ----

  @Override
  public String hello() {
    String u = url;
    if (u == null) {
      u = identity.url().get();
      url = u;
    }
    return Protocol.hello(name, identity.kind(), identity.language(), u, tab);
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
      String status = lastStatus;
      if (status != null) {
        link.send(Protocol.status(status), null, 0);
      }
    } else if (message instanceof Protocol.Job j) {
      jobs.submit(j.id(), j.code(), j.language(), j.timeoutMs(), link.jobArrived(j.id()));
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

  /**
   * Sends a job's result; one over the frame limit is replaced by a note saying so.
   *
   * @param job the job id
   * @param epoch the connection the job arrived on
   * @param outcome its value or error
   * @param durationMs the realm's measure of its time
   */
  public void sendResult(String job, long epoch, Outcome outcome, double durationMs) {
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

  /**
   * Sends an event; its text is cut at {@value #MAX_EVENT_CHARS} characters.
   *
   * @param job the job it belongs to, or null for a background event
   * @param kind e.g. {@code log}, {@code warn}, {@code error}
   * @param time epoch milliseconds
   * @param text the text
   */
  public void sendEvent(String job, String kind, long time, String text) {
    if (!closed) {
      link.send(Protocol.event(job, kind, time, cut(text, MAX_EVENT_CHARS)), null, 0);
    }
  }

  /**
   * Sends a {@code status} frame: what the realm's runtime is doing, for the registry line (e.g. a
   * debuggee's {@code stopped at main.go:42 (breakpoint)}). The latest one is sent again after every
   * welcome, so a broker that restarted knows it too.
   *
   * @param text the status, or null to clear it
   */
  public void sendStatus(String text) {
    lastStatus = text;
    if (!closed) {
      link.send(Protocol.status(text), null, 0);
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

package io.daebug.broker;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.http.BrokerExtension;
import io.daebug.broker.http.DaebugHttpHandler;
import io.daebug.broker.http.DashboardHandler;
import io.daebug.broker.http.HostOriginPolicy;
import io.daebug.broker.http.TokenGate;
import io.daebug.broker.jobs.ControllerSessions;
import io.daebug.broker.jobs.Controllers;
import io.daebug.broker.jobs.Dispatcher;
import io.daebug.broker.jobs.HelloDeadlines;
import io.daebug.broker.jobs.JobRunner;
import io.daebug.broker.jobs.LogChanges;
import io.daebug.broker.jobs.RealmSessions;
import io.daebug.broker.jobs.RegistryPublisher;
import io.daebug.broker.jobs.Scheduler;
import io.daebug.broker.registry.Realms;
import java.time.Clock;
import io.daebug.broker.jobs.SerialExecutor;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.journal.JournalWatcher;
import io.daebug.broker.journal.RegistryFile;
import io.daebug.broker.journal.StaleTemps;
import io.daebug.broker.metrics.PrometheusMetrics;
import io.daebug.broker.protocol.RealmInfo;
import io.daebug.broker.protocol.MessageCodec;
import io.daebug.broker.transport.ws.WsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component through its constructor and owns their lifecycle.
 * Several brokers can run in one JVM (tests do); nothing here is static and mutable.
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final BrokerConfig config;
  private final ScheduledExecutorService core;
  private final Dispatcher dispatcher;
  private final WsServer server;
  private final JournalWatcher watcher;
  private final RegistryFile registry;
  private final List<BrokerExtension> extensions;
  private final BrokerLock lock;
  private final PrometheusMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Broker(BrokerConfig config, ScheduledExecutorService core, Dispatcher dispatcher, WsServer server,
      JournalWatcher watcher, RegistryFile registry, PrometheusMetrics metrics, BrokerLock lock,
      List<BrokerExtension> extensions) {
    this.registry = registry;
    this.metrics = metrics;
    this.lock = lock;
    this.extensions = List.copyOf(extensions);
    this.config = config;
    this.core = core;
    this.dispatcher = dispatcher;
    this.server = server;
    this.watcher = watcher;
  }

  /**
   * Starts a broker: HTTP and WebSocket server, file watcher, registry.
   *
   * @throws IOException when the root is not a folder or the port is busy (the message says what to do)
   */
  public static Broker start(BrokerConfig config) throws IOException {
    return start(config, Ticker.systemTicker(), List.of());
  }

  /** Starts a broker whose timing (timeouts, grace, heartbeats, hello deadlines) reads {@code ticker}: for tests. */
  public static Broker start(BrokerConfig config, Ticker ticker) throws IOException {
    return start(config, ticker, List.of());
  }

  /**
   * Starts a broker with extensions on its HTTP side (the executable jar's MCP endpoint): each answers its
   * path behind the controllers' Host, Origin and token checks, hears {@link BrokerExtension#started} before
   * this returns and {@link BrokerExtension#close()} when the broker stops.
   *
   * @throws IOException when the root is not a folder or the port is busy (the message says what to do)
   */
  public static Broker start(BrokerConfig config, List<BrokerExtension> extensions) throws IOException {
    return start(config, Ticker.systemTicker(), extensions);
  }

  /**
   * Starts a broker with its timing read from {@code ticker} and with extensions on its HTTP side.
   *
   * @throws IOException when the root is not a folder or the port is busy (the message says what to do)
   */
  public static Broker start(BrokerConfig config, Ticker ticker, List<BrokerExtension> extensions)
      throws IOException {
    Path root = config.root().toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IOException("root " + root + " is not a folder; pass an existing folder with --root");
    }
    BrokerLock lock = BrokerLock.acquire(root);
    BrokerConfig rooted = config.withRoot(root);
    BrokerConfig cfg = rooted.token() == null && (!rooted.loopbackOnly() || rooted.requireToken()) ? rooted.withToken(TokenGate.generate())
        : rooted;
    Clock clock = cfg.clock();
    String started = JournalFormat.time(LocalTime.now(clock));
    Broker[] self = new Broker[1];
    Runnable onShutdownRequest = () -> {
      if (self[0] != null) {
        self[0].close();
      }
    };
    WsServer[] bound = new WsServer[1];
    RegistryFile registry = new RegistryFile(root, started, () -> bound[0].uri(cfg.host()).toString());
    Dispatcher[] late = new Dispatcher[1]; // the metrics and the grace periods call the dispatcher built after them
    PrometheusMetrics metrics = new PrometheusMetrics(() -> realmStates(late[0]), clock, ticker::read,
        Dispatcher.VERSION);
    SerialExecutor core = new SerialExecutor(System::nanoTime, metrics::coreTask);
    Realms realms = new Realms(root.resolve("daebug"), cfg.resultCap(), cfg.writes(), cfg.disconnectGrace(), ticker,
        com.github.benmanes.caffeine.cache.Scheduler.systemScheduler(), core, realm -> late[0].expired(realm));
    Dispatcher dispatcher = core(cfg, core, ticker, realms, registry, metrics, onShutdownRequest);
    late[0] = dispatcher;
    WsServer server = null;
    try {
      server = WsServer.start(cfg, site(cfg, () -> health(dispatcher, metrics), metrics, ticker), dispatcher,
          new MessageCodec(), metrics, extensions);
      bound[0] = server;
      lock.publish(server.uri(cfg.host()).toString(), clock);
      StaleTemps.delete(root);
      registry.write(List.of());
      Dispatcher forWatcher = dispatcher;
      JournalWatcher watcher = new JournalWatcher(root, new JournalWatcher.Listener() {
        @Override
        public void logChanged(String fileName) {
          forWatcher.logChanged(fileName);
        }

        @Override
        public void allLogsChanged() {
          forWatcher.allLogsChanged();
        }

        @Override
        public void registryChanged() {
          forWatcher.registryFileChanged();
        }
      }, realms.ownVersions());
      watcher.start();
      dispatcher.start();
      Broker broker = new Broker(cfg, core, dispatcher, server, watcher, registry, metrics, lock, extensions);
      self[0] = broker;
      for (BrokerExtension e : extensions) {
        e.started(broker.uri(), cfg);
      }
      log.info("Daebug broker serving {} at {}", root, server.uri(cfg.host()));
      return broker;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      core.shutdownNow();
      metrics.close();
      lock.close();
      throw e;
    }
  }

  /**
   * The core's parts, each given what it works with: the realm table, the jobs, the sessions of realms and
   * controllers, the log changes and the registry publisher, all confined to {@code core} and timed by its
   * {@link Scheduler} and {@code ticker}.
   */
  private static Dispatcher core(BrokerConfig cfg, SerialExecutor core, Ticker ticker, Realms realms,
      RegistryFile registry, PrometheusMetrics metrics, Runnable onShutdownRequest) {
    Scheduler scheduler = Scheduler.of(core);
    Controllers controllers = new Controllers();
    RegistryPublisher[] publisher = new RegistryPublisher[1]; // the jobs tell it of changes; it shows their state
    ExecutorService journal = JobRunner.journalPool();
    JobRunner jobs = new JobRunner(cfg, scheduler, ticker, () -> publisher[0].changed(), controllers, metrics, journal);
    publisher[0] = new RegistryPublisher(realms, jobs, controllers, registry, scheduler, ticker, cfg.clock(),
        onShutdownRequest);
    Path logDir = cfg.root().resolve("daebug");
    Dispatcher.Parts parts = new Dispatcher.Parts(realms, jobs,
        new RealmSessions(cfg, realms, jobs, publisher[0], ticker),
        new ControllerSessions(cfg, realms, jobs, controllers, publisher[0], ticker),
        new LogChanges(logDir, realms, jobs, scheduler), publisher[0],
        new HelloDeadlines(ticker, HelloDeadlines.TIMEOUT), journal);
    return new Dispatcher(core, scheduler, logDir, cfg.pingInterval(), cfg.writes(), parts);
  }

  /** The HTTP side: who may ask (Host, Origin, tokens) and the handlers that answer. */
  private static WsServer.Site site(BrokerConfig cfg, java.util.function.Supplier<Object> health,
      PrometheusMetrics metrics, Ticker ticker) {
    HostOriginPolicy policy = HostOriginPolicy.withOrigins(cfg.host(), cfg.allowedHosts(),
        cfg.security().allowedOrigins());
    TokenGate gate = new TokenGate(cfg.token());
    TokenGate controlGate = TokenGate.forPrograms(cfg.token(), !cfg.requireToken());
    DaebugHttpHandler files = new DaebugHttpHandler(cfg.root(), policy, gate, health, metrics::scrape, ticker);
    return new WsServer.Site(policy, gate, controlGate,
        new DashboardHandler(cfg.root(), policy, gate, controlGate, files));
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The URL to open in a browser; it carries the token when the broker has one. */
  public URI uri() {
    URI base = server.uri(config.host());
    return config.token() == null ? base : URI.create(base + "?" + TokenGate.PARAM + "=" + config.token());
  }

  /** The dashboard's address (docs/operations.md); it carries the token when the broker has one. */
  public URI dashboardUri() {
    URI base = server.uri(config.host());
    return URI.create(base + "-daebug/" + (config.token() == null ? "" : "?" + TokenGate.PARAM + "=" + config.token()));
  }

  public BrokerConfig config() {
    return config;
  }

  /** Blocks until the broker has stopped (after {@link #close()} or a {@code %%SHUTDOWN%%} line). */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops gracefully: pending jobs get a reply, realms are told, the registry says it shut down. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing watcher: {}", e.toString());
    }
    for (BrokerExtension e : extensions) {
      e.close();
    }
    dispatcher.shutdown(startCommand());
    server.close();
    registry.close();
    core.shutdownNow();
    try {
      core.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.close();
    lock.close();
    log.info("Daebug broker stopped");
    stopped.countDown();
  }

  /** The realms for the metrics' gauges; null when the core did not answer in time. */
  private static List<PrometheusMetrics.RealmState> realmStates(Dispatcher dispatcher) {
    List<RealmInfo> realms = dispatcher == null ? List.of() : dispatcher.realms(Duration.ofSeconds(2));
    if (realms == null) {
      return null;
    }
    List<PrometheusMetrics.RealmState> out = new ArrayList<>(realms.size());
    realms.forEach(r -> out.add(new PrometheusMetrics.RealmState(r.kind(), r.state())));
    return out;
  }

  /** {@code /-daebug/health} (docs/operations.md): the core's status and realms, with the broker's own figures. */
  private static Map<String, Object> health(Dispatcher dispatcher, PrometheusMetrics metrics) {
    Map<String, Object> core = dispatcher.health();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", core.get("status"));
    out.put("version", Dispatcher.VERSION);
    out.put("startedAt", metrics.started().toString());
    out.put("uptimeSeconds", metrics.uptime().toMillis() / 1000.0);
    Map<String, Object> jobs = new LinkedHashMap<>();
    Map<String, Long> byOutcome = metrics.jobsByOutcome();
    jobs.put("total", byOutcome.values().stream().mapToLong(Long::longValue).sum());
    jobs.putAll(byOutcome);
    out.put("jobs", jobs);
    if (core.containsKey("realms")) {
      out.put("realms", core.get("realms"));
    }
    return out;
  }

  private String startCommand() {
    return startCommand(Broker.class.getProtectionDomain().getCodeSource(), config.root());
  }

  /** The command that starts a broker on {@code root} again: the jar this broker runs from, by its real path. */
  static String startCommand(java.security.CodeSource source, Path root) {
    String jar = "daebug.jar";
    try {
      Path location = source == null ? null : Path.of(source.getLocation().toURI());
      if (location != null && Files.isRegularFile(location)) {
        jar = location.toAbsolutePath().normalize().toString();
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      // not a file URL: keep the jar's bare name
    }
    return "java -jar " + quote(jar) + " --root " + quote(root.toString());
  }

  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./:=@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}

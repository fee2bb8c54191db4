package io.daebug.broker.jobs;

import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.FromController;
import io.daebug.broker.protocol.FromRealm;
import io.daebug.broker.protocol.Hello;
import io.daebug.broker.protocol.RealmInfo;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.RealmLink;
import io.daebug.broker.registry.RealmNames;
import io.daebug.broker.registry.Realms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's front door: what the transport and the file watcher report, from any thread, becomes a task on the
 * core (a serial executor that owns all realm and job state, docs/concurrency.md) for the part it concerns:
 * {@link RealmSessions}, {@link ControllerSessions}, {@link LogChanges} or {@link RegistryPublisher}. Also runs the
 * core's periodic checks (heartbeats, pings, the log sweep, hello deadlines), reads big logs ahead of their realm's
 * hello off the core, and shuts the core down. Holds no realm or job state of its own.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** The broker's version, as controllers are told. */
  public static final String VERSION = "0.1.0";
  /** Logs at least this big are read ahead of their realm's hello, off the core. */
  static final long PRIME_ABOVE = 4L << 20;
  /** How often heartbeats and hello deadlines are checked (docs/protocol.md, {@code beat}). */
  static final Duration BEAT_CHECK = Duration.ofMillis(250);
  /** How often every connected realm's log is looked at ({@link LogChanges#sweep}). */
  static final Duration SWEEP = Duration.ofSeconds(1);

  /** The parts the core's tasks call, built by the composition root ({@code Broker.start}). */
  public record Parts(Realms realms, JobRunner jobs, RealmSessions realmSessions,
      ControllerSessions controllerSessions, LogChanges logChanges, RegistryPublisher publisher,
      HelloDeadlines greetings, ExecutorService journal) {}

  private final ScheduledExecutorService core;
  private final Scheduler scheduler;
  private final Path logDir;
  private final Duration pingInterval;
  private final Parts parts;
  private final io.daebug.broker.journal.WriteOptions writes;
  private final List<Scheduler.Timer> timers = new ArrayList<>();
  /** Reads big logs ahead of their realm's hello, off the core (see {@link #hello}). */
  private final ExecutorService primer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "daebug-log-primer");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param core the core executor; {@code scheduler} runs its tasks and timers
   * @param logDir {@code <root>/daebug}
   * @param pingInterval how often realms and controllers are pinged
   * @param writes how logs are written (a big log's history moves out on the primer thread)
   */
  public Dispatcher(ScheduledExecutorService core, Scheduler scheduler, Path logDir, Duration pingInterval,
      io.daebug.broker.journal.WriteOptions writes, Parts parts) {
    this.core = core;
    this.writes = writes;
    this.scheduler = scheduler;
    this.logDir = logDir;
    this.pingInterval = pingInterval;
    this.parts = parts;
  }

  /** Starts the core's periodic checks. */
  public void start() {
    timers.add(scheduler.every(() -> guard("beats", () -> {
      parts.greetings().closeExpired();
      parts.realmSessions().checkBeats();
    }), BEAT_CHECK));
    timers.add(scheduler.every(() -> guard("ping", () -> {
      parts.realmSessions().pingAll();
      parts.controllerSessions().pingAll();
    }), pingInterval));
    timers.add(scheduler.every(() -> guard("sweep", parts.logChanges()::sweep), SWEEP));
  }

  // ---- entry points (any thread) ----

  /** A realm or controller connection opened: it is closed unless its {@code hello} comes in time. */
  public void opened(Object link, BiConsumer<Integer, String> close) {
    submit("open", () -> parts.greetings().opened(link, () -> {
      log.warn("closed {}: no hello within {}s", link, HelloDeadlines.TIMEOUT.toSeconds());
      close.accept(1008, "no hello within " + HelloDeadlines.TIMEOUT.toSeconds() + "s");
    }));
  }

  /** A connection closed before its {@code hello}. */
  public void closedUngreeted(Object link) {
    submit("close", () -> parts.greetings().settled(link));
  }

  /**
   * A realm's first frame; {@code done} runs once the core has dealt with it (the transport reads on then). A
   * realm whose log is big has it read and parsed on the primer thread first, so that adopting it costs the core
   * only its live region: other realms' jobs go on meanwhile.
   */
  public void hello(RealmLink link, Hello hello, Runnable done) {
    submit("hello arrived", () -> parts.greetings().settled(link)); // reading a big log first may take longer
    Path big = bigLog(hello.name());
    if (big == null) {
      submit("hello", () -> parts.realmSessions().hello(link, hello, null), done);
      return;
    }
    parts.realmSessions().priming(link);
    try {
      primer.execute(() -> {
        RealmLog.Primed primed = null;
        try {
          primed = RealmLog.prime(big, writes);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
          // The core reads it then, as for any log.
          log.warn("cannot read {} ahead of its realm's hello: {}", big, e.toString());
        }
        RealmLog.Primed found = primed;
        submit("hello", () -> parts.realmSessions().hello(link, hello, found), done);
      });
    } catch (RejectedExecutionException e) {
      done.run();
    }
  }

  /** The log a hello's name proposes when it is a regular file of at least {@link #PRIME_ABOVE} bytes, else null. */
  private Path bigLog(String proposed) {
    String base = RealmNames.sanitise(proposed);
    if (base.isEmpty()) {
      return null;
    }
    Path file = logDir.resolve(base + ".md");
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() >= PRIME_ABOVE ? file : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Any later frame of a realm; {@code done} runs once the core has dealt with it. */
  public void message(RealmLink link, FromRealm message, Runnable done) {
    submit("message", () -> parts.realmSessions().message(link, message), done);
  }

  /** A pong arrived on a realm's connection. */
  public void pong(RealmLink link) {
    submit("pong", () -> parts.realmSessions().pong(link));
  }

  /** A realm's connection closed. */
  public void closed(RealmLink link, int code, String reason) {
    submit("close", () -> parts.realmSessions().closed(link, code, reason));
  }

  /** A disconnected realm's grace period ended ({@link Realms} calls this on the core). */
  public void expired(Realm realm) {
    guard("expire", () -> parts.realmSessions().expired(realm));
  }

  /** A file in {@code daebug/} was created or changed. */
  public void logChanged(String fileName) {
    submit("log change", () -> parts.logChanges().changed(fileName));
  }

  /** Every log may have changed (the folder appeared, or the watcher overflowed). */
  public void allLogsChanged() {
    submit("rescan", parts.logChanges()::allChanged);
  }

  /** {@code daebug.md} changed: maybe an agent asked the broker to shut down. */
  public void registryFileChanged() {
    submit("registry change", parts.publisher()::fileChanged);
  }

  /** A controller's first frame; {@code done} runs once the core has dealt with it. */
  public void controllerHello(ControllerLink link, ControllerHello hello, Runnable done) {
    submit("controller hello", () -> {
      parts.greetings().settled(link);
      parts.controllerSessions().hello(link, hello);
    }, done);
  }

  /** Any later frame of a controller; {@code done} runs once the core has dealt with it. */
  public void controllerMessage(ControllerLink link, FromController message, Runnable done) {
    submit("controller message", () -> parts.controllerSessions().message(link, message), done);
  }

  /** A controller's connection closed; its jobs carry on and are journalled as usual. */
  public void controllerClosed(ControllerLink link) {
    submit("controller close", () -> parts.controllerSessions().closed(link));
  }

  /** A snapshot for {@code /-daebug/health}. */
  public Map<String, Object> health() {
    try {
      return core.submit(() -> {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Realm r : parts.realms().all()) {
          list.add(Map.of("name", r.name(), "kind", String.valueOf(r.kind()), "state", parts.publisher().state(r)));
        }
        return Map.<String, Object>of("status", "ok", "realms", list);
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return Map.of("status", "busy");
    }
  }

  /**
   * The realms now, as controllers see them, taken on the core thread; null when the core did not answer within
   * {@code wait} (it is stuck), so a caller can keep what it had rather than report no realms.
   */
  public List<RealmInfo> realms(Duration wait) {
    try {
      return core.submit(parts.publisher()::realmInfos).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Ends every pending job with an honest reply, closes realm connections and writes the shut-down
   * registry. Blocks until done.
   */
  public void shutdown(String startCommand) {
    try {
      primer.shutdownNow();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      java.util.concurrent.CompletableFuture<Void> written = core.submit(() -> {
        timers.forEach(Scheduler.Timer::cancel);
        parts.publisher().close();
        parts.controllerSessions().close();
        parts.logChanges().close();
        parts.jobs().close();
        parts.realmSessions().close();
        return parts.jobs().drained();
      }).get(30, TimeUnit.SECONDS);
      // the replies of the jobs ended are written off the core: the registry says the broker is gone after them
      written.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      core.submit(() -> guard("shutdown", () -> parts.publisher().writeShutdown(startCommand)))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      parts.journal().shutdown(); // never interrupted: the journal's channels are interruptible
    } catch (Exception e) {
      log.warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }

  private static void guard(String what, Guard.Body body) {
    Guard.run(what, body);
  }

  /** {@link #submit(String, Guard.Body)}, then {@code done}, whatever happened (also after shutdown). */
  private void submit(String what, Guard.Body body, Runnable done) {
    try {
      core.execute(() -> {
        try {
          Guard.run(what, body);
        } finally {
          done.run();
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("{} after shutdown: ignored", what);
      done.run();
    }
  }

  /** Submits a guarded task to the core; after shutdown, late callbacks (closing sockets) are dropped. */
  private void submit(String what, Guard.Body body) {
    try {
      core.execute(() -> Guard.run(what, body));
    } catch (RejectedExecutionException e) {
      log.debug("{} after shutdown: ignored", what);
    }
  }
}

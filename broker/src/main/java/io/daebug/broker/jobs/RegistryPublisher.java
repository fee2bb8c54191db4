package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.journal.RegistryFile;
import io.daebug.broker.protocol.RealmInfo;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.Realms;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realms as others see them: {@code daebug.md} (through {@link RegistryFile}, which writes on its own thread)
 * and the {@code realm} updates of controllers. Any number of changes within one core task, or queued before the
 * publish task runs, cost one publish ({@link #changed}). Also hears {@code daebug.md} change: a
 * {@code %%SHUTDOWN%%} line stops the broker, a deleted registry is written again. Core-thread confined.
 */
public final class RegistryPublisher {
  private static final Logger log = LoggerFactory.getLogger(RegistryPublisher.class);

  private final Realms realms;
  private final JobRunner jobs;
  private final Controllers controllers;
  private final RegistryFile registry;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Clock clock;
  private final Runnable shutdownRequested;
  private final LogProblems logProblems;
  private boolean scheduled;
  private boolean closed;
  private boolean shutdownStarted;

  /**
   * @param shutdownRequested stops the broker (run on a thread of its own: it waits for the core)
   */
  public RegistryPublisher(Realms realms, JobRunner jobs, Controllers controllers, RegistryFile registry,
      Scheduler scheduler, Ticker ticker, Clock clock, Runnable shutdownRequested) {
    this.realms = realms;
    this.jobs = jobs;
    this.controllers = controllers;
    this.registry = registry;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.clock = clock;
    this.shutdownRequested = shutdownRequested;
    this.logProblems = new LogProblems(registry, this::now);
  }

  /**
   * A realm's state may have changed: publishes once, in a core task after the running one, or, within
   * {@link #MIN_GAP} of the last publish, once that gap is over. A job flips its realm's state two or three times
   * (queued, executing, idle), and every publish renders every realm for the registry and the controllers: without
   * the gap a busy broker spent more of its core on publishing states than on the jobs.
   */
  public void changed() {
    if (!scheduled && !closed) {
      scheduled = true;
      long wait = lastPublished == Long.MIN_VALUE ? 0 : lastPublished + MIN_GAP.toNanos() - ticker.read();
      if (wait <= 0) {
        scheduler.execute(() -> Guard.run("registry", this::publish));
      } else {
        scheduler.schedule(() -> Guard.run("registry", this::publish), Duration.ofNanos(wait));
      }
    }
  }

  /** The least time between two publishes that {@link #changed} starts. */
  static final Duration MIN_GAP = Duration.ofMillis(20);

  /** When the last publish ran ({@link #ticker}), or {@link Long#MIN_VALUE}. */
  private long lastPublished = Long.MIN_VALUE;

  /** Publishes now: the registry's realm lines, and to controllers what changed since they were last told. */
  void publish() {
    scheduled = false;
    lastPublished = ticker.read();
    if (closed) {
      return;
    }
    List<RegistryFile.Entry> entries = new ArrayList<>();
    for (Realm r : realms.all()) {
      entries.add(new RegistryFile.Entry(r.name(), r.url(), r.lastSeen(),
          state(r) + (r.status() == null ? "" : ", " + r.status())));
    }
    registry.publish(entries);
    controllers.realmsNow(realmInfos());
  }

  /**
   * Lists the logs a hello could not use under {@code ## Problems} (each once); publishes when the list changed.
   *
   * @return whether it changed
   */
  boolean problems(String proposed, Realms.Claimed claimed) {
    if (claimed.problems().isEmpty() || !logProblems.report(proposed, claimed)) {
      return false;
    }
    changed();
    return true;
  }

  /** {@code daebug.md} changed: an agent may have asked the broker to stop, deleted it, or appended to it. */
  void fileChanged() {
    if (closed || shutdownStarted) {
      return;
    }
    try {
      if (registry.shutdownRequested()) {
        shutdownStarted = true;
        log.info("{} found in {}: shutting down", RegistryFile.SHUTDOWN, registry.file());
        new Thread(shutdownRequested, "daebug-shutdown").start();
        return;
      }
    } catch (IOException e) {
      log.warn("cannot read {}: {}", registry.file(), e.toString());
      return;
    }
    if (registry.missing()) {
      log.info("{} was deleted: written again", registry.file().getFileName());
      publish();
    } else {
      registry.checkStray();
    }
  }

  /** No more publishing (the broker shuts down). */
  void close() {
    closed = true;
  }

  /** Writes the shut-down registry, which says how to start a broker again. */
  void writeShutdown(String startCommand) throws IOException {
    registry.writeShutdown(now(), startCommand);
  }

  /** The realms now, as controllers see them. */
  List<RealmInfo> realmInfos() {
    List<RealmInfo> out = new ArrayList<>();
    for (Realm r : realms.all()) {
      out.add(new RealmInfo(r.name(), String.valueOf(r.kind()), r.url(), r.language(), state(r),
          "daebug/" + r.name() + ".md", r.title(), r.lastSeen(), jobs.runningId(r)));
    }
    return out;
  }

  /** A realm's state as the registry and controllers show it ({@code idle}, {@code executing ...}, ...). */
  String state(Realm r) {
    if (!r.connected()) {
      return "disconnected";
    }
    if (r.unresponsive()) {
      return "unresponsive";
    }
    if (r.heartbeat().silent()) {
      String busy = jobs.busy(r);
      return "unresponsive (busy: " + (busy != null ? busy : "no heartbeat for "
          + TimeUnit.NANOSECONDS.toSeconds(r.heartbeat().sinceLastBeat(ticker.read())) + "s") + ")";
    }
    return jobs.activity(r);
  }

  /** The wall-clock time of day, as the journal writes it. */
  String now() {
    return JournalFormat.time(LocalTime.now(clock));
  }
}

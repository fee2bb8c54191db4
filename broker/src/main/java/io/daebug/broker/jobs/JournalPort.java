package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.Events;
import io.daebug.broker.journal.JournalEvent;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.journal.PendingStatus;
import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.metrics.BrokerMetrics;
import io.daebug.broker.protocol.Result;
import io.daebug.broker.registry.Realm;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the job state machine ({@link JobRunner}) writes into the realms' logs, and what it learns from each write:
 * replies, 🚫 replies, late replies, placeholders' statuses, controllers' requests and background blocks are handed
 * to the log's {@link LogWriter}, which writes them off the core in the log's next write; that write also accepts
 * new requests and brings every pending placeholder's status up to date. Its end comes back here, on the core, and
 * goes to the {@link Listener}: the requests it accepted, the {@code %%CANCEL%%} lines it took, or why it failed.
 * The journal's own timing lives here too: background blocks batched (one a second at most), a half-written log
 * settled (300 ms), replaced versions of a log watched for late appends. Core-thread confined.
 */
final class JournalPort {
  private static final Logger log = LoggerFactory.getLogger(JournalPort.class);
  private static final Duration BACKGROUND_BATCH = Duration.ofSeconds(1);
  private static final Duration BACKGROUND_COALESCE = Duration.ofMillis(30);
  private static final Duration ORPHAN_CHECK = Duration.ofMillis(250);
  /** How long a log that looks half-written is given to settle before it is read as it is. */
  private static final Duration SETTLE = Duration.ofMillis(300);
  /** The time in a background block's side file name: {@code background-20261207-101502}. */
  private static final DateTimeFormatter SPILL_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
  private static final String STALE = "no result: the broker stopped before this job finished (its realm may have run it)";

  /** What the state machine does with a write's end; on the core. */
  interface Listener {
    /** The write accepted {@code requests} (their placeholders are in the file), numbered from {@code ahead}. */
    void accepted(Realm realm, Lane lane, List<RealmLog.Request> requests, int ahead);

    /** The write took {@code %%CANCEL%%} lines from below the footer (before the requests appended with them). */
    void cancelled(Realm realm, Lane lane);

    /** The write failed: the log cannot be written. */
    void unwritable(Realm realm, Lane lane, IOException error);

    /** Whether the lane is still the realm's (not forgotten) and jobs may still start (not shutting down). */
    boolean active(Realm realm, Lane lane);
  }

  private final BrokerConfig config;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final BrokerMetrics metrics;
  private final Executor pool;
  private final Listener listener;

  JournalPort(BrokerConfig config, Scheduler scheduler, Ticker ticker, BrokerMetrics metrics, Executor pool,
      Listener listener) {
    this.config = config;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.metrics = metrics;
    this.pool = pool;
    this.listener = listener;
  }

  /** A new lane for the realm, with its journal port. */
  Lane lane(Realm realm) {
    EventBuffer background = new EventBuffer(() -> realm.log().spill(
        "background-" + SPILL_TIME.format(LocalDateTime.now(config.clock())), "A background block"));
    return new Lane(background, lane -> new LogWriter(realm.log(), pool, scheduler, ticker, new Writes(realm, lane)));
  }

  /** {@code HH:MM:SS} now, for the journal. */
  String now() {
    return JournalFormat.time(LocalTime.now(config.clock()));
  }

  /** Has new requests read from the log in its next write; {@code force}: even if it seems unchanged. */
  void accept(Lane lane, boolean force) {
    lane.writer.accept(force);
  }

  /** Writes a controller's request with its placeholder; {@code written} runs once it is in the file. */
  void insert(Lane lane, Job job, String now, String info, Runnable written) {
    PendingStatus status = job.status();
    lane.writer.edit(b -> b.insert(job.agent, now, info, job.code, status));
    lane.writer.afterWrite(c -> {
      if (c != null) {
        written.run();
      }
    });
  }

  /** Writes the reply of a running job's result; {@code told} runs once it is in the file (or failed). */
  void reply(Lane lane, Job job, Result r, Duration took, Runnable told) {
    int ordinal = lane.ordinal(job);
    String now = now();
    Supplier<Events> events = job.events.detach();
    lane.writer.edit(r.ok()
        ? b -> b.success(job.anchor, ordinal, job.id, job.agent, now, took, r.value(), events)
        : b -> b.failure(job.id, job.anchor, ordinal, job.agent, now, took, r.failure().display(), events));
    replied(lane, job, told);
  }

  /**
   * Writes a 🚫 reply for a pending job (with its events so far: a late reply must not repeat them); {@code told}
   * runs once it is in the file (or failed).
   *
   * @return the reply's header, under which a late result goes
   */
  String failure(Realm realm, Lane lane, Job job, String error, Duration took, Runnable told) {
    String now = now();
    Supplier<Events> events = job.events.detach();
    int ordinal = lane.ordinal(job);
    lane.writer.edit(b -> b.failure(job.id, job.anchor, ordinal, job.agent, now, took, error, events));
    replied(lane, job, told);
    return realm.log().failureHeader(job.agent, now, took);
  }

  private static void replied(Lane lane, Job job, Runnable told) {
    lane.replying(job);
    lane.writer.afterWrite(c -> {
      lane.answered(job, c == null ? null : c.reply(job.id));
      told.run();
    });
  }

  /** Writes a late result under the 🚫 reply of a job that failed without one; {@code told} runs once it is written. */
  void late(Lane lane, Job done, Result r, Duration took, Runnable told) {
    int ordinal = lane.failedOrdinal(done);
    String now = now();
    Supplier<Events> events = done.events.detach();
    lane.writer.edit(b -> b.late(done.anchor, ordinal, done.failedHeader(), done.id, done.agent, now, took, r.ok(),
        r.value(), r.ok() ? null : r.failure().display(), events));
    done.lateWritten();
    lane.writer.afterWrite(c -> told.run());
  }

  /** Sets a pending job's placeholder status. */
  void status(Lane lane, Job job, PendingStatus status) {
    job.status(status);
    int ordinal = lane.ordinal(job);
    lane.writer.edit(b -> b.status(job.anchor, ordinal, status));
  }

  /** Adds an event to the realm's next background block; true when that pushed an earlier one out of view. */
  boolean background(Lane lane, JournalEvent event) {
    boolean omittedOne = lane.background.add(event);
    long in = lane.backgroundFlushIn(ticker.read(), BACKGROUND_BATCH.toNanos(), BACKGROUND_COALESCE.toNanos());
    if (in >= 0) {
      scheduler.schedule(() -> Guard.run("background", () -> {
        lane.backgroundTimerFired();
        flushBackground(lane);
      }), Duration.ofNanos(in));
    }
    return omittedOne;
  }

  /** Writes the background events waiting, if any, as one block. */
  void flushBackground(Lane lane) {
    if (lane.background.isEmpty()) {
      return;
    }
    lane.backgroundFlushed(ticker.read());
    String now = now();
    Supplier<Events> events = lane.background.detach();
    lane.writer.edit(b -> b.background(now, events));
  }

  /** Brings every pending placeholder's status line up to date in the batch. */
  private void syncStatuses(Realm realm, Lane lane, RealmLog.Batch batch) {
    int ahead = 0;
    List<Job> pending = lane.pendingJobs();
    // each placeholder's rank among those with the same anchor, counted in one pass: a long queue's statuses all
    // change when its head ends, and ranking each one by a scan of the queue held the core for tens of milliseconds
    Map<RealmLog.Anchor, Integer> seen = new HashMap<>();
    for (Job job : pending) {
      int ordinal = seen.merge(job.anchor, 1, Integer::sum) - 1;
      String away = realm.connected() ? null : "realm disconnected at " + realm.lastSeen() + ", waiting up to "
          + JournalFormat.shortDuration(config.disconnectGrace()) + " for it to return";
      // the head of an idle lane starts as soon as its placeholder is written: it says so at once
      boolean starts = job == lane.running() || (ahead == 0 && realm.connected() && !job.refused()
          && listener.active(realm, lane));
      PendingStatus want = starts
          ? job.status() instanceof PendingStatus.Executing ? job.status() : PendingStatus.STARTED
          : new PendingStatus.Queued(ahead, away);
      if (!want.equals(job.status())) {
        job.status(want);
        batch.status(job.anchor, ordinal, want);
      }
      ahead++;
    }
  }

  /** What each write of one realm's log adds, and what its end does (see {@link LogWriter.Owner}). */
  private final class Writes implements LogWriter.Owner {
    private final Realm realm;
    private final Lane lane;
    /** The position of the first request the write in flight accepts, as its placeholder says. */
    private int acceptAhead;
    private boolean orphanCheckScheduled;

    Writes(Realm realm, Lane lane) {
      this.realm = realm;
      this.lane = lane;
    }

    @Override
    public void prepare(RealmLog.Batch batch, boolean accept, boolean force) {
      if (lane.takeAbandonStale()) {
        batch.abandonStale(now(), STALE); // before the accept: its new placeholders are not stale
      }
      if (accept && listener.active(realm, lane)) {
        List<RealmLog.Waiting> waiting = new ArrayList<>();
        for (Job job : lane.pendingJobs()) {
          if (job.journalled()) {
            waiting.add(new RealmLog.Waiting(job.agent, job.anchor, job.status()));
          }
        }
        acceptAhead = waiting.size();
        batch.accept(now(), acceptAhead, waiting, lane.answeredKept(), force);
      }
    }

    @Override
    public void complete(RealmLog.Batch batch) {
      syncStatuses(realm, lane, batch);
    }

    @Override
    public void written(RealmLog.Commit c, IOException error, Duration took) {
      if (error != null) {
        log.warn("cannot write {}: {}", realm.log().file(), error.toString());
        listener.unwritable(realm, lane, error);
        return;
      }
      lane.unwritable(false);
      if (c.wrote()) {
        metrics.journalWrite(took);
      }
      for (RealmLog.Anchor a : c.restored()) {
        Job job = lane.answered(a);
        log.info("realm {}: the reply to job {} was undone by a save, written again", realm.name(),
            job == null ? "?" : job.id);
      }
      if (!listener.active(realm, lane)) {
        return; // forgotten (its realm is gone), or the broker is shutting down: nothing starts
      }
      if (c.cancels() > 0) {
        listener.cancelled(realm, lane);
      }
      if (!c.accepted().isEmpty()) {
        listener.accepted(realm, lane, c.accepted(), acceptAhead);
      }
      if (c.unsettled()) {
        // Half-written, it seems: look again when the writer is done, or act on it as it is if it stays so.
        scheduler.schedule(() -> Guard.run("settle", () -> {
          if (listener.active(realm, lane)) {
            accept(lane, true);
          }
        }), SETTLE);
      } else if (c.mergedUnseen()) {
        // An agent appended while this write was under way, and the watcher may have reported it before.
        accept(lane, false);
      }
      if (c.orphans()) {
        watchOrphans();
      }
    }

    /**
     * Looks at the replaced versions of the log again soon for text a writer appended to them through a descriptor it
     * still held (the next accept carries it over; its commit says whether to look again).
     */
    private void watchOrphans() {
      if (orphanCheckScheduled) {
        return;
      }
      orphanCheckScheduled = true;
      scheduler.schedule(() -> Guard.run("orphans", () -> {
        orphanCheckScheduled = false;
        if (listener.active(realm, lane)) {
          accept(lane, false);
        }
      }), ORPHAN_CHECK);
    }
  }
}

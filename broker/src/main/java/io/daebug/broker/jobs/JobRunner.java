package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.Events;
import io.daebug.broker.journal.JournalEvent;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.journal.PendingStatus;
import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.metrics.BrokerMetrics;
import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.protocol.RealmEvent;
import io.daebug.broker.protocol.Result;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.RealmLink;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job lifecycle of every realm: requests accepted from its log, queued, pushed one at a time,
 * answered, timed out or failed, with their placeholders, replies and events journalled. Confined to the
 * core thread; the {@link Dispatcher} calls it. Past the 500-line budget on purpose: it is one state machine
 * (each transition writes its batch and then tells controllers), and what is not part of it lives in {@link Lane},
 * {@link JobIds}, {@link EventBuffer} and {@link Controllers}.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  private static final Duration REFRESH = Duration.ofSeconds(5);
  private static final Duration BACKGROUND_BATCH = Duration.ofSeconds(1);
  private static final Duration BACKGROUND_COALESCE = Duration.ofMillis(30);
  private static final Duration ORPHAN_CHECK = Duration.ofMillis(250);
  /** How long a log that looks half-written is given to settle before it is read as it is. */
  private static final Duration SETTLE = Duration.ofMillis(300);
  /** Event times beyond year 9999 are nonsense; such events get the broker's time. */
  private static final long MAX_EPOCH_MS = 253_402_300_799_000L;
  /** The time in a background block's side file name: {@code background-20261207-101502}. */
  private static final DateTimeFormatter SPILL_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

  private final BrokerConfig config;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Runnable stateChanged;
  private final Map<Realm, Lane> lanes = new HashMap<>();
  private final Cache<String, Job> finished;
  private final JobIds ids = new JobIds();
  private final Controllers controllers;
  private final BrokerMetrics metrics;
  /** Jobs queued or running, by id (for cancel). */
  private final Map<String, Job> live = new HashMap<>();
  /** Where the logs are written (never the core): a few threads shared by every log, one write per log at a time. */
  private final Executor journal;
  private boolean closed;
  /** Called with each {@code cancel} sent to a realm (the owner relay copies it to the realm's page). */
  java.util.function.BiConsumer<Realm, CancelJob> cancelSent = (realm, cancel) -> {};

  /**
   * @param stateChanged called when a realm's state for the registry may have changed
   * @param journal runs the log writes (see {@link LogWriter}); a test's can hold them to see what waits meanwhile
   */
  public JobRunner(BrokerConfig config, Scheduler scheduler, Ticker ticker, Runnable stateChanged,
      Controllers controllers, BrokerMetrics metrics, Executor journal) {
    this.config = config;
    this.journal = journal;
    this.metrics = metrics;
    this.controllers = controllers;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.stateChanged = stateChanged;
    this.finished = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(Duration.ofMinutes(30))
        .maximumSize(100_000).build();
  }

  /**
   * A realm new to this broker: placeholders in its log belong to an earlier broker run that ended
   * before their results came, so they get an honest 🚫 reply instead of saying "executing" forever.
   */
  void adopt(Realm realm) {
    Lane lane = lane(realm);
    if (lane.pending() == 0) {
      lane.abandonStale = true; // first in the next write, before its accept
      lane.writer.touch();
    }
  }

  /** Starts the next job if the realm is idle (e.g. after it connected). */
  void realmReady(Realm realm) {
    pump(realm, lane(realm));
  }

  /** Fails the running job with an honest reply: its realm went away, or was replaced by a reload. */
  void realmGone(Realm realm, String error) {
    Lane lane = lane(realm);
    if (lane.pending() > 0) {
      if (lane.running != null) {
        failPending(realm, lane, lane.running, error, Outcome.DISCONNECTED);
        lane.running = null;
      }
      lane.writer.touch(); // the queued ones say the realm is away
    }
  }

  /**
   * Ends every job of the realm with {@code error}, writes its pending events, and forgets it when asked.
   *
   * @param outcome what controllers are told ({@code disconnected}, {@code failed})
   */
  void endAll(Realm realm, String error, Outcome outcome, boolean forget) {
    Lane lane = lane(realm);
    List<Job> all = lane.pendingJobs();
    for (Job job : all) {
      failPending(realm, lane, job, error, outcome);
    }
    lane.running = null;
    lane.queue.clear();
    lane.refused = 0;
    flushBackground(realm, lane);
    if (forget) {
      lanes.remove(realm);
      lane.writer.close(); // after its last write
    }
  }

  /**
   * A controller's submission: queued like a request from the log and journalled like one, its request
   * and placeholder written above the footer before the job reaches the realm, so the log holds every
   * job a realm ran, even when the broker is killed right after sending it.
   *
   * @param timeout the request's own timeout; null means the broker's
   */
  Job submit(Realm realm, Controllers.Submission submission, String agent, String code, String language,
      Duration timeout) {
    Lane lane = lane(realm);
    String now = now();
    String jobLanguage = language == null ? realm.language() : realm.dialect().jobLanguage(language);
    String info = realm.dialect().fenceTag(jobLanguage) + (timeout == null ? "" : " timeout=" + timeout.toMillis() + "ms");
    int ahead = lane.pending();
    // Its placeholder is written before it can start: it says executing when it starts right after.
    boolean startsNow = ahead == 0 && realm.connected() && !closed;
    Job job = newJob(realm, jobLanguage, agent, code, timeout != null ? timeout : config.jobTimeout(),
        realm.log().insertedAnchor(agent, code, now), startsNow ? PendingStatus.STARTED : new PendingStatus.Queued(ahead));
    job.submission = submission;
    job.queuedNanos = ticker.read();
    job.journalled = false; // it starts once its request and placeholder are in the file
    lane.queue.add(job);
    live.put(job.id, job);
    lane.writer.edit(batch -> batch.insert(agent, now, info, code, job.status));
    lane.writer.afterWrite(c -> {
      if (c != null && job.state == Job.State.QUEUED) {
        job.journalled = true;
        if (startNext(realm, lane)) {
          registryChanged();
        }
      }
    });
    controllers.queued(job, ahead);
    registryChanged();
    log.debug("submitted {} by {} for {}", job.id, agent, realm.name());
    return job;
  }

  /** A job that is queued or running, or null. */
  Job find(String id) {
    return live.get(id);
  }

  /** Jobs queued or running in the realm. */
  int pending(Realm realm) {
    return lane(realm).pending();
  }

  /**
   * Cancels a queued or running job: a running one is told to stop ({@link CancelJob}); either way it
   * ends now with a 🚫 reply naming who cancelled it. A result that still comes is written as a late reply.
   */
  void cancel(Realm realm, Job job, String by) {
    if (job.state == Job.State.FINISHED) {
      return;
    }
    Lane lane = lane(realm);
    boolean running = lane.running == job;
    if (running) {
      stop(realm, lane, job, "cancelled by " + by);
    }
    failPending(realm, lane, job, "job cancelled by " + by + (running ? "" : " before it ran"), Outcome.CANCELLED);
    log.info("job {} realm={} agent={} cancelled by {}{}", job.id, realm.name(), job.agent, by,
        running ? "" : " before it ran");
    pump(realm, lane);
    registryChanged();
  }

  /**
   * A {@code %%CANCEL%%} line the write just moved above the footer (so it is acted on once): cancels the running
   * job, before the requests appended with it are queued.
   */
  private void cancelFromLog(Realm realm, Lane lane) {
    Job running = lane.running;
    if (running == null) {
      log.info("realm {}: %%CANCEL%% in its log, but no job is running", realm.name());
      return;
    }
    cancel(realm, running, "a %%CANCEL%% line");
  }

  /**
   * Tells the realm to stop its running job, and the page that owns it when it is a worker: a worker stuck in
   * a loop never reads its socket, so its page terminates it and starts a fresh one. No job is pushed to the
   * worker's old connection meanwhile (it would be lost with the worker); the next one goes to the new one.
   *
   * @return whether the realm is a worker its page restarts
   */
  private boolean stop(Realm realm, Lane lane, Job job, String reason) {
    RealmLink link = realm.link();
    if (link == null) {
      return false;
    }
    CancelJob message = new CancelJob(job.id, reason);
    link.send(message);
    cancelSent.accept(realm, message);
    boolean restart = restartable(realm);
    lane.restarting = restart ? link : null;
    return restart;
  }

  /** A worker with a page that owns it: the page terminates and restarts it on a cancel. */
  private static boolean restartable(Realm realm) {
    return "worker".equals(realm.kind()) && realm.parent() != null;
  }

  /** The journal pool of a broker (see {@link LogWriter}): two threads, as the machines this runs on have few cores. */
  public static java.util.concurrent.ExecutorService journalPool() {
    return LogWriter.pool(2);
  }

  /** Completes once everything handed to the logs' writers so far is written (or failed). Core thread. */
  java.util.concurrent.CompletableFuture<Void> drained() {
    List<java.util.concurrent.CompletableFuture<Void>> all = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
      lane.writer.afterWrite(c -> f.complete(null));
      all.add(f);
    }
    return java.util.concurrent.CompletableFuture.allOf(all.toArray(java.util.concurrent.CompletableFuture[]::new));
  }

  /** Stops starting jobs (the broker is shutting down). */
  void close() {
    closed = true;
  }

  /** {@code executing}, {@code queued N} or {@code live}, for a connected realm. */
  String activity(Realm realm) {
    Lane lane = lane(realm);
    if (lane.running != null) {
      return "executing";
    }
    return lane.queue.isEmpty() ? "live" : "queued " + lane.queue.size();
  }

  /** The id of the job the realm runs now, or null. */
  String runningId(Realm realm) {
    Job running = lane(realm).running;
    return running == null ? null : running.id;
  }

  /** {@code job j-7 running 12s} while a job runs, else null; for a realm that stopped beating. */
  String busy(Realm realm) {
    Job running = lane(realm).running;
    if (running == null) {
      return null;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(ticker.read() - running.dispatchedNanos);
    return "job " + running.id + " running " + seconds + "s";
  }

  private void registryChanged() {
    stateChanged.run();
  }

  private String now() {
    return JournalFormat.time(LocalTime.now(config.clock()));
  }

  /**
   * Has the realm's log read for new requests in its next write, which also writes their placeholders; the jobs
   * start once that write is done. The placeholders are in the file before a job reaches the realm, so a broker
   * killed in between leaves requests marked as accepted (a restart gives them an honest 🚫 reply), never requests
   * that run a second time.
   *
   * @param force read even when the file seems unchanged, and accept even when it looks half-written
   */
  void acceptFromLog(Realm realm, boolean force) {
    if (!closed) {
      lane(realm).writer.accept(force);
    }
  }

  /** Turns accepted requests into queued jobs (started by the caller once their placeholders are written). */
  private void enqueue(Lane lane, Realm realm, List<RealmLog.Request> requests, int writtenAhead) {
    int position = writtenAhead;
    for (RealmLog.Request r : requests) {
      Duration timeout = r.timeout() != null ? r.timeout() : config.jobTimeout();
      int ahead = lane.pending();
      String language = realm.dialect().jobLanguage(r.info().split("\\s", 2)[0]);
      // the status the write gave its placeholder (the next write brings it up to date)
      Job job = newJob(realm, language != null ? language : realm.language(), r.agent(), r.code(), timeout, r.anchor(),
          position == 0 ? PendingStatus.STARTED : new PendingStatus.Queued(position));
      position++;
      if (r.refusal() != null) {
        job.refused = true;
        job.refusal = r.refusal();
        lane.refused++;
      } else if (ahead - lane.refused >= config.limits().maxQueuedJobs()) {
        job.refused = true;
        lane.refused++;
      }
      job.queuedNanos = ticker.read();
      lane.enqueueWritten(job);
      live.put(job.id, job);
      controllers.queued(job, ahead);
      log.debug("accepted {} from {} for {}", job.id, job.agent, realm.name());
    }
  }

  /** Starts the next queued job when the realm is connected and idle, and syncs the placeholders. */
  private void pump(Realm realm, Lane lane) {
    if (lane.refused > 0) {
      for (Job job : new ArrayList<>(lane.queue)) {
        if (job.refused && job.refusal != null) {
          failPending(realm, lane, job, job.refusal, Outcome.FAILED);
          log.info("job {} realm={} agent={} refused: {}", job.id, realm.name(), job.agent, job.refusal.lines().findFirst().orElse(""));
        } else if (job.refused) {
          failPending(realm, lane, job, "queue full: realm " + realm.name() + " already has "
              + config.limits().maxQueuedJobs() + " jobs queued or running (--max-queue)", Outcome.FAILED);
          log.warn("realm {}: requests refused, its queue is full ({} jobs, --max-queue)", realm.name(),
              config.limits().maxQueuedJobs());
        }
      }
      lane.refused = 0;
    }
    if (startNext(realm, lane)) {
      registryChanged();
    }
    lane.writer.touch(); // the placeholders' statuses
  }

  /** Pushes the next queued job to the realm when it is connected and idle; writes nothing. */
  private boolean startNext(Realm realm, Lane lane) {
    if (lane.running != null || !realm.connected() || lane.queue.isEmpty() || closed || lane.queue.peek().refused
        || !lane.queue.peek().journalled || lane.unwritable || (lane.restarting != null && lane.restarting == realm.link())) {
      return false;
    }
    Job job = lane.queue.poll();
    lane.running = job;
    job.state = Job.State.RUNNING;
    job.dispatchedNanos = ticker.read();
    metrics.jobStarted(Duration.ofNanos(job.dispatchedNanos - job.queuedNanos));
    RealmLink link = realm.link();
    log.trace("dispatching {} to {}", job.id, realm.name());
    link.send(new RunJob(job.id, job.code, job.language, job.timeout.toMillis())).whenComplete((ok, err) -> {
      if (err != null) {
        scheduler.execute(() -> Guard.run("send failed", () -> sendFailed(realm, job, err)));
      }
    });
    job.timer = scheduler.schedule(() -> Guard.run("timeout", () -> timedOut(realm, job)), job.timeout);
    job.refresher = scheduler.every(() -> Guard.run("refresh", () -> refresh(realm, job)), REFRESH);
    controllers.dispatched(job);
    return true;
  }

  /** Brings every pending placeholder's status line up to date. */
  private void syncStatuses(Realm realm, Lane lane, RealmLog.Batch batch) {
    int ahead = 0;
    List<Job> pending = lane.pendingJobs();
    for (Job job : pending) {
      String away = realm.connected() ? null : "realm disconnected at " + realm.lastSeen() + ", waiting up to "
          + JournalFormat.shortDuration(config.disconnectGrace()) + " for it to return";
      // the head of an idle lane starts as soon as its placeholder is written: it says so at once
      boolean starts = job == lane.running || (ahead == 0 && realm.connected() && !job.refused && !closed);
      PendingStatus want = starts
          ? job.status instanceof PendingStatus.Executing ? job.status : PendingStatus.STARTED
          : new PendingStatus.Queued(ahead, away);
      if (!want.equals(job.status)) {
        job.status = want;
        batch.status(job.anchor, Lane.ordinal(pending, job), want);
      }
      ahead++;
    }
  }

  private void refresh(Realm realm, Job job) {
    Lane lane = lane(realm);
    if (lane.running != job) {
      job.cancelTimers();
      return;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(ticker.read() - job.dispatchedNanos);
    job.status = new PendingStatus.Executing(seconds);
    PendingStatus status = job.status;
    int ordinal = lane.ordinal(job);
    lane.writer.edit(b -> b.status(job.anchor, ordinal, status));
  }

  /** A realm's result: the running job's reply, a late reply, or a diagnostic. */
  void onResult(Realm realm, Result r) {
    log.trace("result {} from {}", r.id(), realm.name());
    Lane lane = lane(realm);
    Job job = lane.running;
    Duration took;
    if (job != null && job.id.equals(r.id())) {
      took = Duration.ofNanos(ticker.read() - job.dispatchedNanos);
      int ordinal = lane.ordinal(job);
      String now = now();
      Supplier<Events> events = job.events.detach();
      Duration tookFinal = took;
      lane.writer.edit(r.ok()
          ? b -> b.success(job.anchor, ordinal, job.id, job.agent, now, tookFinal, r.value(), events)
          : b -> b.failure(job.id, job.anchor, ordinal, job.agent, now, tookFinal, r.failure().display(), events));
      finish(lane, job);
      lane.replying.add(job);
      metrics.jobEnded(Outcome.of(r.ok()).wire(), took);
      lane.writer.afterWrite(c -> {
        keepAnswered(lane, job, c);
        // its reply is in the file (or the log could not be written: the controller is told all the same)
        controllers.finished(job, Outcome.of(r.ok()), r.value(), r.failure(), tookFinal, ticker.read(), false);
      });
      log.info("job {} realm={} agent={} {} in {}", job.id, realm.name(), job.agent, r.ok() ? "ok" : "error",
          JournalFormat.duration(took));
      pump(realm, lane); // the next job starts now: its placeholder is in the file already
      registryChanged();
      return;
    }
    Job done = finished.getIfPresent(r.id());
    if (done != null && done.failedHeader != null && !done.lateWritten && done.realmName.equals(realm.name())) {
      took = Duration.ofNanos(ticker.read() - done.dispatchedNanos);
      int ordinal = lane.failedOrdinal(done);
      String now = now();
      Supplier<Events> events = done.events.detach();
      Duration tookFinal = took;
      lane.writer.edit(b -> b.late(done.anchor, ordinal, done.failedHeader, done.id, done.agent, now, tookFinal,
          r.ok(), r.value(), r.ok() ? null : r.failure().display(), events));
      done.lateWritten = true;
      metrics.lateResult();
      lane.writer.afterWrite(c -> controllers.finished(done, Outcome.of(r.ok()), r.value(), r.failure(), tookFinal,
          ticker.read(), true));
      log.info("job {} realm={} agent={} late {} after {}", done.id, realm.name(), done.agent,
          r.ok() ? "ok" : "error", JournalFormat.duration(took));
      return;
    }
    String why = done != null ? "a second result for job " + r.id() + " (already answered) was ignored"
        : "a result for unknown job " + r.id() + " was ignored";
    log.warn("realm {}: {}", realm.name(), why);
    background(realm, new JournalEvent("daebug", now(), why));
  }

  /** A realm's console call or uncaught error: under the running job, or in a background block. */
  void onEvent(Realm realm, RealmEvent e) {
    Lane lane = lane(realm);
    String time = e.time() == null || e.time() < 0 || e.time() > MAX_EPOCH_MS ? now()
        : JournalFormat.time(LocalTime.ofInstant(Instant.ofEpochMilli(e.time()), config.clock().getZone()));
    JournalEvent event = new JournalEvent(e.kind(), time, e.text());
    boolean ofRunning = e.job() != null && lane.running != null && lane.running.id.equals(e.job());
    metrics.event(ofRunning ? lane.running.events.add(event) : background(realm, event));
    long epochMillis = e.time() == null || e.time() < 0 || e.time() > MAX_EPOCH_MS ? config.clock().millis() : e.time();
    controllers.event(realm.name(), ofRunning ? lane.running : null, e, epochMillis);
  }

  /** Adds an event to the realm's next background block; true when that pushed an earlier one out of view. */
  private boolean background(Realm realm, JournalEvent event) {
    Lane lane = lane(realm);
    boolean omittedOne = lane.background.add(event);
    if (!lane.flushScheduled) {
      lane.flushScheduled = true;
      long next = Math.max(BACKGROUND_COALESCE.toNanos(),
          lane.lastFlushNanos + BACKGROUND_BATCH.toNanos() - ticker.read());
      scheduler.schedule(() -> Guard.run("background", () -> {
        lane.flushScheduled = false;
        flushBackground(realm, lane);
      }), Duration.ofNanos(next));
    }
    return omittedOne;
  }

  private void flushBackground(Realm realm, Lane lane) {
    if (lane.background.isEmpty()) {
      return;
    }
    String now = now();
    Supplier<Events> events = lane.background.detach();
    lane.writer.edit(b -> b.background(now, events));
    lane.lastFlushNanos = ticker.read();
  }

  private void timedOut(Realm realm, Job job) {
    Lane lane = lane(realm);
    if (lane.running != job) {
      return;
    }
    // A worker is restarted to stop the job, as for a cancel; other realms may still send a late result.
    boolean restart = restartable(realm) && stop(realm, lane, job, "timed out after " + job.timeout.toMillis() + "ms");
    failPending(realm, lane, job, "job timed out after " + job.timeout.toMillis() + "ms"
        + (restart ? "\nthe worker is terminated and restarted to stop it (its state is lost); the next job runs"
            + " in the new worker" : ""), Outcome.TIMEOUT);
    lane.running = null;
    log.info("job {} realm={} agent={} timed out after {}", job.id, realm.name(), job.agent,
        JournalFormat.duration(job.timeout));
    pump(realm, lane);
    registryChanged();
  }

  private void sendFailed(Realm realm, Job job, Throwable err) {
    Lane lane = lane(realm);
    if (lane.running != job) {
      return;
    }
    // A send fails when the connection is going away, and the realm may have got the job before it went:
    // from the log's view the realm disconnected while executing (FORMAT.md §2.3). A result that still comes
    // is written as a late reply.
    log.info("job {} to {}: send failed ({}); the realm is disconnecting", job.id, realm.name(), err.toString());
    failPending(realm, lane, job, "realm disconnected while executing", Outcome.DISCONNECTED);
    lane.running = null;
    lane.writer.touch();
    registryChanged();
  }

  /**
   * Writes a 🚫 reply for a job that will not get a result now, keeping it for a late one.
   *
   * @param outcome what its controller is told, once the batch is on disk
   */
  private void failPending(Realm realm, Lane lane, Job job, String error, Outcome outcome) {
    Duration took = job.state == Job.State.RUNNING ? Duration.ofNanos(ticker.read() - job.dispatchedNanos)
        : Duration.ZERO;
    if (outcome == Outcome.TIMEOUT) {
      took = job.timeout; // the realm's time is up exactly, whatever the timer's latency
    }
    String time = now();
    // written with this reply (detach() empties the buffer): a late reply must not repeat them
    Supplier<Events> events = job.events.detach();
    int ordinal = lane.ordinal(job);
    Duration written = took;
    lane.writer.edit(b -> b.failure(job.id, job.anchor, ordinal, job.agent, time, written, error, events));
    if (job.state == Job.State.RUNNING) {
      job.failedHeader = realm.log().failureHeader(job.agent, time, took);
      lane.keepFailed(job);
    }
    lane.queue.remove(job);
    metrics.jobEnded(outcome.wire(), job.state == Job.State.RUNNING ? took : null);
    finish(lane, job);
    long end = ticker.read();
    lane.replying.add(job);
    lane.writer.afterWrite(c -> {
      keepAnswered(lane, job, c);
      controllers.finished(job, outcome, null, Controllers.brokerError(outcome, error), written, end, false);
    });
  }

  /** Keeps a job's reply as written, to write it again where a stale save puts its placeholder back. */
  private static void keepAnswered(Lane lane, Job job, RealmLog.Commit c) {
    lane.replying.remove(job);
    if (c != null) {
      lane.keepAnswered(job, c.reply(job.id));
    }
  }

  private void finish(Lane lane, Job job) {
    live.remove(job.id);
    job.cancelTimers();
    job.state = Job.State.FINISHED;
    if (lane.running == job) {
      lane.running = null;
    }
    finished.put(job.id, job);
  }

  private Lane lane(Realm realm) {
    Lane lane = lanes.get(realm);
    if (lane == null) {
      lane = new Lane(new EventBuffer(() -> realm.log().spill(
          "background-" + SPILL_TIME.format(LocalDateTime.now(config.clock())), "A background block")));
      Journal owner = new Journal(realm, lane);
      lane.writer = new LogWriter(realm.log(), journal, scheduler, ticker, owner);
      lanes.put(realm, lane);
    }
    return lane;
  }

  private Job newJob(Realm realm, String language, String agent, String code, Duration timeout, RealmLog.Anchor anchor,
      PendingStatus status) {
    String id = ids.next();
    return new Job(id, realm.name(), agent, code, language, timeout, anchor, status,
        new EventBuffer(() -> realm.log().spill(id, "The reply to job " + id + " (" + agent + ")")));
  }

  /** What the core adds to each write of a realm's log, and does with its end (see {@link LogWriter.Owner}). */
  private final class Journal implements LogWriter.Owner {
    private final Realm realm;
    private final Lane lane;
    /** The position of the first request the write in flight accepts, as its placeholder says. */
    private int acceptAhead;

    Journal(Realm realm, Lane lane) {
      this.realm = realm;
      this.lane = lane;
    }

    @Override
    public void prepare(RealmLog.Batch batch, boolean accept, boolean force) {
      if (lane.abandonStale) {
        lane.abandonStale = false;
        batch.abandonStale(now(), "no result: the broker stopped before this job finished (its realm may have run it)");
      }
      if (accept && !closed) {
        List<RealmLog.Waiting> waiting = new ArrayList<>();
        for (Job job : lane.pendingJobs()) {
          if (job.journalled) {
            waiting.add(new RealmLog.Waiting(job.agent, job.anchor, job.status));
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
        unwritable(realm, error);
        return;
      }
      lane.unwritable = false;
      if (c.wrote()) {
        metrics.journalWrite(took);
      }
      for (RealmLog.Anchor a : c.restored()) {
        Job job = lane.answered(a);
        log.info("realm {}: the reply to job {} was undone by a save, written again", realm.name(),
            job == null ? "?" : job.id);
      }
      if (lanes.get(realm) != lane) {
        return; // forgotten (its realm is gone): nothing starts
      }
      if (c.cancels() > 0) {
        cancelFromLog(realm, lane);
      }
      if (!c.accepted().isEmpty()) {
        enqueue(lane, realm, c.accepted(), acceptAhead);
        pump(realm, lane); // the first starts now that its placeholder is written
        registryChanged();
      }
      if (c.unsettled()) {
        // Half-written, it seems: look again when the writer is done, or act on it as it is if it stays so.
        scheduler.schedule(() -> Guard.run("settle", () -> acceptFromLog(realm, true)), SETTLE);
      } else if (c.mergedUnseen()) {
        // An agent appended while this write was under way, and the watcher may have reported it before.
        lane.writer.accept(false);
      }
      if (c.orphans()) {
        watchOrphans(realm, lane);
      }
    }
  }

  /**
   * The realm's log cannot be written (it became a folder, a link, a FIFO; no space; no permission): no job may run
   * unjournalled, so none starts, the queued controller jobs fail now with the reason, and the realm is closed
   * with it. A realm that reconnects gets a usable log under another name, or a refusal ({@code Realms.claim}).
   */
  private void unwritable(Realm realm, IOException e) {
    Lane lane = lane(realm);
    boolean first = !lane.unwritable;
    lane.unwritable = true;
    String error = "cannot write its log daebug/" + realm.log().file().getFileName() + ": " + e.getMessage();
    for (Job job : new ArrayList<>(lane.queue)) {
      if (job.submission != null) {
        lane.queue.remove(job);
        finish(lane, job);
        controllers.finished(job, Outcome.FAILED, null, Controllers.brokerError(Outcome.FAILED, error), Duration.ZERO,
            ticker.read(), false);
      }
    }
    if (first && realm.link() != null) {
      realm.link().close(1011, error.length() > 100 ? error.substring(0, 100) : error);
    }
  }

  /**
   * After a write, looks at the replaced versions of the log twice more (soon, and when they are let
   * go) for text a writer appended to them through a descriptor it still held.
   */
  private void watchOrphans(Realm realm, Lane lane) {
    if (closed || lane.orphanCheckScheduled) {
      return; // closed: the core's timer is going away with the broker
    }
    lane.orphanCheckScheduled = true;
    scheduler.schedule(() -> Guard.run("orphans", () -> {
      lane.orphanCheckScheduled = false;
      if (lanes.get(realm) == lane) {
        lane.writer.accept(false); // carries the appends over first; the commit says whether to look again
      }
    }), ORPHAN_CHECK);
  }

}

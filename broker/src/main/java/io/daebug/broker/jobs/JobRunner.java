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
import java.util.concurrent.TimeUnit;
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
  /** Messages to controllers that may only go out once the batch being built is on disk. */
  private final List<Runnable> afterCommit = new ArrayList<>();
  private boolean closed;
  /** Called with each {@code cancel} sent to a realm (the owner relay copies it to the realm's page). */
  java.util.function.BiConsumer<Realm, CancelJob> cancelSent = (realm, cancel) -> {};

  /**
   * @param stateChanged called when a realm's state for the registry may have changed
   */
  public JobRunner(BrokerConfig config, Scheduler scheduler, Ticker ticker, Runnable stateChanged,
      Controllers controllers, BrokerMetrics metrics) {
    this.config = config;
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
    if (lane(realm).pending() == 0) {
      commit(realm, batch(realm).abandonStale(now(),
          "no result: the broker stopped before this job finished (its realm may have run it)"));
    }
  }

  /** Starts the next job if the realm is idle (e.g. after it connected). */
  void realmReady(Realm realm) throws IOException {
    pump(realm, null);
  }

  /** Fails the running job with an honest reply: its realm went away, or was replaced by a reload. */
  void realmGone(Realm realm, String error) {
    Lane lane = lane(realm);
    if (lane.pending() > 0) {
      RealmLog.Batch batch = batch(realm);
      if (lane.running != null) {
        failPending(realm, lane, lane.running, batch, error, Outcome.DISCONNECTED);
        lane.running = null;
      }
      syncStatuses(realm, lane, batch); // the queued ones say the realm is away
      commit(realm, batch);
    }
  }

  /**
   * Ends every job of the realm with {@code error}, writes its pending events, and forgets it when asked.
   *
   * @param outcome what controllers are told ({@code disconnected}, {@code failed})
   */
  void endAll(Realm realm, String error, Outcome outcome, boolean forget) {
    Lane lane = lane(realm);
    RealmLog.Batch batch = batch(realm);
    List<Job> all = lane.pendingJobs();
    for (Job job : all) {
      failPending(realm, lane, job, batch, error, outcome);
    }
    lane.running = null;
    lane.queue.clear();
    lane.refused = 0;
    flushBackground(realm, lane, batch);
    commit(realm, batch);
    if (forget) {
      lanes.remove(realm);
      realm.log().close();
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
    lane.queue.add(job);
    live.put(job.id, job);
    lane.inserts.add(batch -> batch.insert(agent, now, info, code, () -> job.status));
    controllers.queued(job, ahead);
    commit(realm, batch(realm));
    startNext(realm, lane);
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
  void cancel(Realm realm, Job job, String by) throws IOException {
    if (job.state != Job.State.FINISHED) {
      cancel(realm, job, by, batch(realm));
    }
  }

  private void cancel(Realm realm, Job job, String by, RealmLog.Batch batch) throws IOException {
    Lane lane = lane(realm);
    boolean running = lane.running == job;
    if (running) {
      stop(realm, lane, job, "cancelled by " + by);
    }
    failPending(realm, lane, job, batch, "job cancelled by " + by + (running ? "" : " before it ran"), Outcome.CANCELLED);
    log.info("job {} realm={} agent={} cancelled by {}{}", job.id, realm.name(), job.agent, by,
        running ? "" : " before it ran");
    pump(realm, batch);
    commit(realm, batch);
    registryChanged();
  }

  /**
   * A {@code %%CANCEL%%} line below the footer: cancels the running job (before the requests appended with
   * it are queued) and moves the line above the footer, so it is acted on once.
   */
  private void cancelFromLog(Realm realm, Lane lane) throws IOException {
    Job running = lane.running;
    if (running == null) {
      log.info("realm {}: %%CANCEL%% in its log, but no job is running", realm.name());
      commit(realm, batch(realm).takeCancels());
      return;
    }
    cancel(realm, running, "a %%CANCEL%% line", batch(realm).takeCancels());
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
   * Reads the realm's log and turns complete requests below the footer into jobs: writes their placeholders,
   * then pushes the first one to the realm. The placeholders are in the file before a job reaches the realm,
   * so a broker killed in between leaves requests marked as accepted (a restart gives them an honest 🚫
   * reply), never requests that run a second time.
   */
  void acceptFromLog(Realm realm, boolean force) throws IOException {
    if (closed || (!force && !realm.log().changedSinceLastSeen())) {
      return;
    }
    Lane lane = lane(realm);
    realm.log().recoverOrphans();
    if (lane.accept != null) {
      pump(realm, null); // an accept still waiting (none should): written before reading on
    }
    int before = lane.pending();
    String now = now();
    List<RealmLog.Request> requests = realm.log().peek(now, before, !force, lane.answeredAnchors());
    if (requests == null) {
      // Half-written, it seems: look again when the writer is done, or act on it as it is if it stays so.
      scheduler.schedule(() -> Guard.run("settle", () -> acceptFromLog(realm, true)), SETTLE);
      return;
    }
    watchOrphans(realm);
    if (realm.log().cancelsAtLastPeek() > 0) {
      cancelFromLog(realm, lane);
    }
    List<RealmLog.Anchor> undone = realm.log().answeredAtLastPeek();
    if (requests.isEmpty() && undone.isEmpty()) {
      return;
    }
    // The jobs are the requests the write itself accepts (handed 0: all of them are new), not the ones this
    // read saw: an agent's save between the two can change which requests are there.
    lane.accept = requests.isEmpty() ? null : new Lane.PendingAccept(now, before, 0);
    RealmLog.Batch batch = batch(realm);
    for (RealmLog.Anchor a : undone) {
      Job job = lane.answered(a);
      log.info("realm {}: the reply to job {} was undone by a save, written again", realm.name(), job.id);
      batch.restore(a, job.replyLines);
    }
    commit(realm, batch);
    if (!requests.isEmpty()) {
      pump(realm, null); // starts the first job, now that its placeholder is written
      registryChanged();
    }
  }

  /** Turns accepted requests into queued jobs (started by the caller once their placeholders are written). */
  private void enqueue(Lane lane, Realm realm, List<RealmLog.Request> requests) {
    for (RealmLog.Request r : requests) {
      Duration timeout = r.timeout() != null ? r.timeout() : config.jobTimeout();
      int ahead = lane.pending();
      String language = realm.dialect().jobLanguage(r.info().split("\\s", 2)[0]);
      Job job = newJob(realm, language != null ? language : realm.language(), r.agent(), r.code(), timeout, r.anchor(),
          ahead == 0 ? PendingStatus.STARTED : new PendingStatus.Queued(ahead));
      if (r.refusal() != null) {
        job.refused = true;
        job.refusal = r.refusal();
        lane.refused++;
      } else if (ahead - lane.refused >= config.limits().maxQueuedJobs()) {
        job.refused = true;
        lane.refused++;
      }
      job.queuedNanos = ticker.read();
      lane.queue.add(job);
      live.put(job.id, job);
      controllers.queued(job, ahead);
      log.debug("accepted {} from {} for {}", job.id, job.agent, realm.name());
    }
  }

  /** A batch of edits to the realm's log, starting with the accept still waiting to be written, if any. */
  private RealmLog.Batch batch(Realm realm) {
    RealmLog.Batch batch = realm.log().batch();
    Lane lane = lane(realm);
    Lane.PendingAccept pending = lane.accept;
    if (pending != null) {
      lane.accept = null;
      List<RealmLog.Waiting> waiting = new ArrayList<>();
      for (Job job : lane.pendingJobs()) {
        waiting.add(new RealmLog.Waiting(job.agent, job.anchor, job.status));
      }
      batch.accept(pending.now(), pending.ahead(), pending.handed(), waiting, more -> {
        // The requests this write accepts: queued now, started once it (their placeholders) is done.
        enqueue(lane, realm, more);
        afterCommit.add(() -> {
          if (startNext(realm, lane)) {
            registryChanged();
          }
        });
        registryChanged();
      });
    }
    if (!lane.inserts.isEmpty()) {
      lane.inserts.forEach(insert -> insert.accept(batch));
      lane.inserts.clear();
    }
    return batch;
  }

  /** Starts the next queued job when the realm is connected and idle, and syncs the placeholders. */
  private void pump(Realm realm, RealmLog.Batch batch) throws IOException {
    Lane lane = lane(realm);
    boolean own = batch == null;
    RealmLog.Batch b = own ? batch(realm) : batch;
    if (lane.refused > 0) {
      for (Job job : new ArrayList<>(lane.queue)) {
        if (job.refused && job.refusal != null) {
          failPending(realm, lane, job, b, job.refusal, Outcome.FAILED);
          log.info("job {} realm={} agent={} refused: {}", job.id, realm.name(), job.agent, job.refusal.lines().findFirst().orElse(""));
        } else if (job.refused) {
          failPending(realm, lane, job, b, "queue full: realm " + realm.name() + " already has "
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
    syncStatuses(realm, lane, b);
    if (own) {
      commit(realm, b);
    }
  }

  /** Pushes the next queued job to the realm when it is connected and idle; writes nothing. */
  private boolean startNext(Realm realm, Lane lane) {
    if (lane.running != null || !realm.connected() || lane.queue.isEmpty() || closed || lane.queue.peek().refused
        || lane.unwritable || (lane.restarting != null && lane.restarting == realm.link())) {
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
      PendingStatus want = job == lane.running
          ? job.status instanceof PendingStatus.Executing ? job.status : PendingStatus.STARTED
          : new PendingStatus.Queued(ahead, away);
      if (!want.equals(job.status)) {
        job.status = want;
        batch.status(job.anchor, Lane.ordinal(pending, job), want);
      }
      ahead++;
    }
  }

  private void refresh(Realm realm, Job job) throws IOException {
    Lane lane = lane(realm);
    if (lane.running != job) {
      job.cancelTimers();
      return;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(ticker.read() - job.dispatchedNanos);
    job.status = new PendingStatus.Executing(seconds);
    commit(realm, batch(realm).status(job.anchor, lane.ordinal(job), job.status));
  }

  /** A realm's result: the running job's reply, a late reply, or a diagnostic. */
  void onResult(Realm realm, Result r) throws IOException {
    log.trace("result {} from {}", r.id(), realm.name());
    Lane lane = lane(realm);
    Job job = lane.running;
    Duration took;
    if (job != null && job.id.equals(r.id())) {
      took = Duration.ofNanos(ticker.read() - job.dispatchedNanos);
      RealmLog.Batch batch = batch(realm);
      int ordinal = lane.ordinal(job);
      if (r.ok()) {
        batch.success(job.anchor, ordinal, job.id, job.agent, now(), took, r.value(), take(realm, job.events));
      } else {
        batch.failure(job.anchor, ordinal, job.agent, now(), took, r.failure().display(), take(realm, job.events));
      }
      lane.keepAnswered(job, batch.replyLines());
      finish(lane, job);
      metrics.jobEnded(Outcome.of(r.ok()).wire(), took);
      Duration tookFinal = took;
      afterCommit.add(() -> controllers.finished(job, Outcome.of(r.ok()), r.value(), r.failure(), tookFinal,
          ticker.read(), false));
      log.info("job {} realm={} agent={} {} in {}", job.id, realm.name(), job.agent, r.ok() ? "ok" : "error",
          JournalFormat.duration(took));
      pump(realm, batch);
      commit(realm, batch);
      registryChanged();
      return;
    }
    Job done = finished.getIfPresent(r.id());
    if (done != null && done.failedHeader != null && !done.lateWritten && done.realmName.equals(realm.name())) {
      took = Duration.ofNanos(ticker.read() - done.dispatchedNanos);
      commit(realm, batch(realm).late(done.anchor, lane.failedOrdinal(done), done.failedHeader, done.id, done.agent, now(), took, r.ok(),
          r.value(), r.ok() ? null : r.failure().display(), done.events.take()));
      done.lateWritten = true;
      metrics.lateResult();
      controllers.finished(done, Outcome.of(r.ok()), r.value(), r.failure(), took, ticker.read(), true);
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
        RealmLog.Batch batch = batch(realm);
        flushBackground(realm, lane, batch);
        commit(realm, batch);
      }), Duration.ofNanos(next));
    }
    return omittedOne;
  }

  private void flushBackground(Realm realm, Lane lane, RealmLog.Batch batch) {
    if (lane.background.isEmpty()) {
      return;
    }
    batch.background(now(), take(realm, lane.background));
    lane.lastFlushNanos = ticker.read();
  }

  private void timedOut(Realm realm, Job job) throws IOException {
    Lane lane = lane(realm);
    if (lane.running != job) {
      return;
    }
    RealmLog.Batch batch = batch(realm);
    // A worker is restarted to stop the job, as for a cancel; other realms may still send a late result.
    boolean restart = restartable(realm) && stop(realm, lane, job, "timed out after " + job.timeout.toMillis() + "ms");
    failPending(realm, lane, job, batch, "job timed out after " + job.timeout.toMillis() + "ms"
        + (restart ? "\nthe worker is terminated and restarted to stop it (its state is lost); the next job runs"
            + " in the new worker" : ""), Outcome.TIMEOUT);
    lane.running = null;
    log.info("job {} realm={} agent={} timed out after {}", job.id, realm.name(), job.agent,
        JournalFormat.duration(job.timeout));
    pump(realm, batch);
    commit(realm, batch);
    registryChanged();
  }

  private void sendFailed(Realm realm, Job job, Throwable err) throws IOException {
    Lane lane = lane(realm);
    if (lane.running != job) {
      return;
    }
    // A send fails when the connection is going away, and the realm may have got the job before it went:
    // from the log's view the realm disconnected while executing (FORMAT.md §2.3). A result that still comes
    // is written as a late reply.
    log.info("job {} to {}: send failed ({}); the realm is disconnecting", job.id, realm.name(), err.toString());
    RealmLog.Batch batch = batch(realm);
    failPending(realm, lane, job, batch, "realm disconnected while executing", Outcome.DISCONNECTED);
    lane.running = null;
    commit(realm, batch);
    registryChanged();
  }

  /**
   * Writes a 🚫 reply for a job that will not get a result now, keeping it for a late one.
   *
   * @param outcome what its controller is told, once the batch is on disk
   */
  private void failPending(Realm realm, Lane lane, Job job, RealmLog.Batch batch, String error, Outcome outcome) {
    Duration took = job.state == Job.State.RUNNING ? Duration.ofNanos(ticker.read() - job.dispatchedNanos)
        : Duration.ZERO;
    if (outcome == Outcome.TIMEOUT) {
      took = job.timeout; // the realm's time is up exactly, whatever the timer's latency
    }
    String time = now();
    // written with this reply (take() empties the buffer): a late reply must not repeat them
    batch.failure(job.anchor, lane.ordinal(job), job.agent, time, took, error, take(realm, job.events));
    lane.keepAnswered(job, batch.replyLines());
    if (job.state == Job.State.RUNNING) {
      job.failedHeader = realm.log().failureHeader(job.agent, time, took);
      lane.keepFailed(job);
    }
    lane.queue.remove(job);
    metrics.jobEnded(outcome.wire(), job.state == Job.State.RUNNING ? took : null);
    finish(lane, job);
    Duration tookFinal = took;
    long end = ticker.read();
    afterCommit.add(() -> controllers.finished(job, outcome, null, Controllers.brokerError(outcome, error),
        tookFinal, end, false));
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

  /** A block's events for the log, their side file made durable first. */
  private Events take(Realm realm, EventBuffer buffer) {
    return buffer.take();
  }

  private Lane lane(Realm realm) {
    return lanes.computeIfAbsent(realm, r -> new Lane(new EventBuffer(() -> realm.log().spill(
        "background-" + SPILL_TIME.format(LocalDateTime.now(config.clock())), "A background block"))));
  }

  private Job newJob(Realm realm, String language, String agent, String code, Duration timeout, RealmLog.Anchor anchor,
      PendingStatus status) {
    String id = ids.next();
    return new Job(id, realm.name(), agent, code, language, timeout, anchor, status,
        new EventBuffer(() -> realm.log().spill(id, "The reply to job " + id + " (" + agent + ")")));
  }

  private void commit(Realm realm, RealmLog.Batch batch) {
    try {
      long start = ticker.read();
      if (batch.commit()) {
        metrics.journalWrite(Duration.ofNanos(ticker.read() - start));
      }
      lane(realm).unwritable = false;
    } catch (IOException e) {
      log.warn("cannot write {}: {}", realm.log().file(), e.toString());
      unwritable(realm, e);
    }
    if (!afterCommit.isEmpty()) {
      List<Runnable> now = new ArrayList<>(afterCommit);
      afterCommit.clear();
      now.forEach(Runnable::run);
    }
    if (realm.log().mergedUnseen()) {
      // An agent appended while this write was under way, and the watcher may have reported it before.
      scheduler.execute(() -> Guard.run("merged", () -> acceptFromLog(realm, false)));
    }
    watchOrphans(realm);
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
  private void watchOrphans(Realm realm) {
    Lane lane = lane(realm);
    if (closed || lane.orphanCheckScheduled || !realm.log().hasOrphans()) {
      return; // closed: the core's timer is going away with the broker
    }
    lane.orphanCheckScheduled = true;
    scheduler.schedule(() -> Guard.run("orphans", () -> {
      lane.orphanCheckScheduled = false;
      if (realm.log().recoverOrphans()) {
        acceptFromLog(realm, true);
      }
      watchOrphans(realm);
    }), ORPHAN_CHECK);
  }

}

package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
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
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job lifecycle of every realm: requests accepted from its log or submitted by controllers, queued, pushed one
 * at a time, answered, timed out, cancelled or failed. Confined to the core thread; the {@link Dispatcher} calls it.
 * It never writes a file: what goes into a log is handed to the {@link JournalPort}, whose writes run off the core
 * and come back as {@link JournalPort.Listener} calls. A job reaches its realm only once its placeholder is in the
 * file, and a controller hears of its result only once its reply is.
 */
public final class JobRunner implements JournalPort.Listener {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
  private static final Duration REFRESH = Duration.ofSeconds(5);
  /** Event times beyond year 9999 are nonsense; such events get the broker's time. */
  private static final long MAX_EPOCH_MS = 253_402_300_799_000L;

  private final BrokerConfig config;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final Runnable stateChanged;
  private final Map<Realm, Lane> lanes = new HashMap<>();
  private final Cache<String, Job> finished;
  private final JobIds ids = new JobIds();
  private final Controllers controllers;
  private final BrokerMetrics metrics;
  private final JournalPort journal;
  /** Jobs queued or running, by id (for cancel). */
  private final Map<String, Job> live = new HashMap<>();
  private boolean closed;
  /** Called with each {@code cancel} sent to a realm (the owner relay copies it to the realm's page). */
  java.util.function.BiConsumer<Realm, CancelJob> cancelSent = (realm, cancel) -> {};

  /**
   * @param stateChanged called when a realm's state for the registry may have changed
   * @param writes runs the log writes (see {@link LogWriter}); a test's can hold them to see what waits meanwhile
   */
  public JobRunner(BrokerConfig config, Scheduler scheduler, Ticker ticker, Runnable stateChanged,
      Controllers controllers, BrokerMetrics metrics, Executor writes) {
    this.config = config;
    this.metrics = metrics;
    this.controllers = controllers;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.stateChanged = stateChanged;
    this.journal = new JournalPort(config, scheduler, ticker, metrics, writes, this);
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
      lane.abandonStale(); // first in the next write, before its accept
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
      if (lane.running() != null) {
        failPending(realm, lane, lane.running(), error, Outcome.DISCONNECTED);
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
    for (Job job : lane.pendingJobs()) {
      failPending(realm, lane, job, error, outcome);
    }
    lane.clear();
    journal.flushBackground(lane);
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
    String now = journal.now();
    String jobLanguage = language == null ? realm.language() : realm.dialect().jobLanguage(language);
    String info = realm.dialect().fenceTag(jobLanguage) + (timeout == null ? "" : " timeout=" + timeout.toMillis() + "ms");
    int ahead = lane.pending();
    // Its placeholder is written before it can start: it says executing when it starts right after.
    boolean startsNow = ahead == 0 && realm.connected() && !closed;
    String id = ids.next();
    Job job = new Job(id, realm.name(), agent, code, jobLanguage, timeout != null ? timeout : config.jobTimeout(),
        realm.log().insertedAnchor(agent, code, now), startsNow ? PendingStatus.STARTED : new PendingStatus.Queued(ahead),
        events(realm, id, agent), submission, ticker.read(), false);
    lane.queue(job);
    live.put(job.id, job);
    journal.insert(lane, job, now, info, () -> {
      if (!job.finished()) {
        job.journalledNow();
        pump(realm, lane);
      }
    });
    // told in a core task of its own, after the write of its request is on its way (the flush queued first)
    scheduler.execute(() -> Guard.run("queued", () -> controllers.queued(job, ahead)));
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
    if (job.finished()) {
      return;
    }
    Lane lane = lane(realm);
    boolean running = lane.running() == job;
    if (running) {
      stop(realm, lane, job, "cancelled by " + by);
    }
    failPending(realm, lane, job, "job cancelled by " + by + (running ? "" : " before it ran"), Outcome.CANCELLED);
    log.info("job {} realm={} agent={} cancelled by {}{}", job.id, realm.name(), job.agent, by,
        running ? "" : " before it ran");
    pump(realm, lane);
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
    lane.restarting(restart ? link : null);
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

  /**
   * The journal pool of a broker (see {@link LogWriter}): 8 threads. A write spends most of its time waiting for
   * its fsyncs, not on a core, so several logs' writes in flight at once keep the disk busy (the file system's
   * journal commits concurrent fsyncs together) where 2 threads left 200 logs queueing behind two fsyncs.
   */
  public static java.util.concurrent.ExecutorService journalPool() {
    return LogWriter.pool(JOURNAL_THREADS);
  }

  /** How many logs are written at once, at most. */
  static final int JOURNAL_THREADS = 8;

  /** Completes once everything handed to the logs' writers so far is written (or failed). */
  CompletableFuture<Void> drained() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      lane.writer.afterWrite(c -> f.complete(null));
      all.add(f);
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** {@code executing}, {@code queued N} or {@code live}, for a connected realm. */
  String activity(Realm realm) {
    Lane lane = lane(realm);
    if (lane.running() != null) {
      return "executing";
    }
    return lane.queued() == 0 ? "live" : "queued " + lane.queued();
  }

  /** The id of the job the realm runs now, or null. */
  String runningId(Realm realm) {
    Job running = lane(realm).running();
    return running == null ? null : running.id;
  }

  /** {@code job j-7 running 12s} while a job runs, else null; for a realm that stopped beating. */
  String busy(Realm realm) {
    Job running = lane(realm).running();
    if (running == null) {
      return null;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(ticker.read() - running.dispatchedNanos());
    return "job " + running.id + " running " + seconds + "s";
  }

  private void registryChanged() {
    stateChanged.run();
  }

  /**
   * Has the realm's log read for new requests in its next write, which also writes their placeholders; the jobs
   * start once that write is done ({@link #accepted}). The placeholders are in the file before a job reaches the
   * realm, so a broker killed in between leaves requests marked as accepted (a restart gives them an honest 🚫
   * reply), never requests that run a second time.
   *
   * @param force read even when the file seems unchanged, and accept even when it looks half-written
   */
  void acceptFromLog(Realm realm, boolean force) {
    if (!closed) {
      journal.accept(lane(realm), force);
    }
  }

  @Override
  public boolean active(Realm realm, Lane lane) {
    return !closed && lanes.get(realm) == lane;
  }

  /** A write accepted requests: they become queued jobs, and the first starts if the realm is idle. */
  @Override
  public void accepted(Realm realm, Lane lane, List<RealmLog.Request> requests, int ahead) {
    int position = ahead;
    for (RealmLog.Request r : requests) {
      Duration timeout = r.timeout() != null ? r.timeout() : config.jobTimeout();
      String language = realm.dialect().jobLanguage(r.info().split("\\s", 2)[0]);
      String id = ids.next();
      // the status the write gave its placeholder (the next write brings it up to date)
      Job job = new Job(id, realm.name(), r.agent(), r.code(), language != null ? language : realm.language(), timeout,
          r.anchor(), position == 0 ? PendingStatus.STARTED : new PendingStatus.Queued(position),
          events(realm, id, r.agent()), null, ticker.read(), true);
      position++;
      if (r.refusal() != null) {
        job.refuse(r.refusal());
      } else if (lane.runnable() >= config.limits().maxQueuedJobs()) {
        job.refuse(null);
      }
      int queued = lane.pending();
      lane.enqueueWritten(job);
      live.put(job.id, job);
      controllers.queued(job, queued);
      log.debug("accepted {} from {} for {}", job.id, job.agent, realm.name());
    }
    pump(realm, lane);
  }

  /**
   * A {@code %%CANCEL%%} line the write just moved above the footer (so it is acted on once): cancels the running
   * job, before the requests appended with it are queued.
   */
  @Override
  public void cancelled(Realm realm, Lane lane) {
    Job running = lane.running();
    if (running == null) {
      log.info("realm {}: %%CANCEL%% in its log, but no job is running", realm.name());
      return;
    }
    cancel(realm, running, "a %%CANCEL%% line");
  }

  /** Answers refused requests, starts the next queued job when the realm is idle, and syncs the placeholders. */
  private void pump(Realm realm, Lane lane) {
    for (Job job : lane.takeRefused()) {
      if (job.refusal() != null) {
        failPending(realm, lane, job, job.refusal(), Outcome.FAILED);
        log.info("job {} realm={} agent={} refused: {}", job.id, realm.name(), job.agent,
            job.refusal().lines().findFirst().orElse(""));
      } else {
        failPending(realm, lane, job, "queue full: realm " + realm.name() + " already has "
            + config.limits().maxQueuedJobs() + " jobs queued or running (--max-queue)", Outcome.FAILED);
        log.warn("realm {}: requests refused, its queue is full ({} jobs, --max-queue)", realm.name(),
            config.limits().maxQueuedJobs());
      }
    }
    startNext(realm, lane);
    lane.writer.touch(); // the placeholders' statuses
    registryChanged();
  }

  /** Pushes the next queued job to the realm when it is connected and idle; its placeholder is in the file. */
  private void startNext(Realm realm, Lane lane) {
    if (closed || !realm.connected() || lane.startable(realm.link()) == null) {
      return;
    }
    Job job = lane.takeNext();
    long now = ticker.read();
    job.start(now, scheduler.schedule(() -> Guard.run("timeout", () -> timedOut(realm, job)), job.timeout),
        scheduler.every(() -> Guard.run("refresh", () -> refresh(realm, job)), REFRESH));
    metrics.jobStarted(Duration.ofNanos(now - job.queuedNanos));
    RealmLink link = realm.link();
    log.trace("dispatching {} to {}", job.id, realm.name());
    link.send(new RunJob(job.id, job.code, job.language, job.timeout.toMillis())).whenComplete((ok, err) -> {
      if (err != null) {
        scheduler.execute(() -> Guard.run("send failed", () -> sendFailed(realm, job, err)));
      }
    });
    controllers.dispatched(job);
  }

  private void refresh(Realm realm, Job job) {
    Lane lane = lane(realm);
    if (lane.running() != job) {
      job.cancelTimers();
      return;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(ticker.read() - job.dispatchedNanos());
    journal.status(lane, job, new PendingStatus.Executing(seconds));
  }

  /** A realm's result: the running job's reply, a late reply, or a diagnostic. */
  void onResult(Realm realm, Result r) {
    log.trace("result {} from {}", r.id(), realm.name());
    Lane lane = lane(realm);
    Job job = lane.running();
    if (job != null && job.id.equals(r.id())) {
      Duration took = Duration.ofNanos(ticker.read() - job.dispatchedNanos());
      Outcome outcome = Outcome.of(r.ok());
      // its reply is in the file when the controller is told (or the log could not be written: told all the same)
      journal.reply(lane, job, r, took, () -> controllers.finished(job, outcome, r.value(), r.failure(), took,
          ticker.read(), false));
      finish(lane, job);
      metrics.jobEnded(outcome.wire(), took);
      log.info("job {} realm={} agent={} {} in {}", job.id, realm.name(), job.agent, r.ok() ? "ok" : "error",
          JournalFormat.duration(took));
      pump(realm, lane); // the next job starts now: its placeholder is in the file already
      return;
    }
    Job done = finished.getIfPresent(r.id());
    if (done != null && done.awaitsLateResult() && done.realmName.equals(realm.name())) {
      Duration took = Duration.ofNanos(ticker.read() - done.dispatchedNanos());
      journal.late(lane, done, r, took, () -> controllers.finished(done, Outcome.of(r.ok()), r.value(), r.failure(),
          took, ticker.read(), true));
      metrics.lateResult();
      log.info("job {} realm={} agent={} late {} after {}", done.id, realm.name(), done.agent,
          r.ok() ? "ok" : "error", JournalFormat.duration(took));
      return;
    }
    String why = done != null ? "a second result for job " + r.id() + " (already answered) was ignored"
        : "a result for unknown job " + r.id() + " was ignored";
    log.warn("realm {}: {}", realm.name(), why);
    journal.background(lane, new JournalEvent("daebug", journal.now(), why));
  }

  /** A realm's console call or uncaught error: under the running job, or in a background block. */
  void onEvent(Realm realm, RealmEvent e) {
    Lane lane = lane(realm);
    boolean timeless = e.time() == null || e.time() < 0 || e.time() > MAX_EPOCH_MS;
    String time = timeless ? journal.now()
        : JournalFormat.time(LocalTime.ofInstant(Instant.ofEpochMilli(e.time()), config.clock().getZone()));
    JournalEvent event = new JournalEvent(e.kind(), time, e.text());
    Job running = lane.running();
    boolean ofRunning = e.job() != null && running != null && running.id.equals(e.job());
    metrics.event(ofRunning ? running.events.add(event) : journal.background(lane, event));
    controllers.event(realm.name(), ofRunning ? running : null, e, timeless ? config.clock().millis() : e.time());
  }

  private void timedOut(Realm realm, Job job) {
    Lane lane = lane(realm);
    if (lane.running() != job) {
      return;
    }
    // A worker is restarted to stop the job, as for a cancel; other realms may still send a late result.
    boolean restart = restartable(realm) && stop(realm, lane, job, "timed out after " + job.timeout.toMillis() + "ms");
    failPending(realm, lane, job, "job timed out after " + job.timeout.toMillis() + "ms"
        + (restart ? "\nthe worker is terminated and restarted to stop it (its state is lost); the next job runs"
            + " in the new worker" : ""), Outcome.TIMEOUT);
    log.info("job {} realm={} agent={} timed out after {}", job.id, realm.name(), job.agent,
        JournalFormat.duration(job.timeout));
    pump(realm, lane);
  }

  private void sendFailed(Realm realm, Job job, Throwable err) {
    Lane lane = lane(realm);
    if (lane.running() != job) {
      return;
    }
    // A send fails when the connection is going away, and the realm may have got the job before it went:
    // from the log's view the realm disconnected while executing (FORMAT.md §2.3). A result that still comes
    // is written as a late reply.
    log.info("job {} to {}: send failed ({}); the realm is disconnecting", job.id, realm.name(), err.toString());
    failPending(realm, lane, job, "realm disconnected while executing", Outcome.DISCONNECTED);
    lane.writer.touch();
    registryChanged();
  }

  /**
   * Ends a job that will not get a result now with a 🚫 reply, keeping a running one for a late result.
   *
   * @param outcome what its controller is told, once the reply is in the file
   */
  private void failPending(Realm realm, Lane lane, Job job, String error, Outcome outcome) {
    boolean running = job.running();
    Duration took = outcome == Outcome.TIMEOUT ? job.timeout // the realm's time is up exactly, whatever the timer's
        : running ? Duration.ofNanos(ticker.read() - job.dispatchedNanos()) : Duration.ZERO;
    long end = ticker.read();
    String header = journal.failure(realm, lane, job, error, took, () -> controllers.finished(job, outcome, null,
        Controllers.brokerError(outcome, error), took, end, false));
    if (running) {
      job.failedUnder(header);
      lane.keepFailed(job);
    }
    metrics.jobEnded(outcome.wire(), running ? took : null);
    finish(lane, job);
  }

  private void finish(Lane lane, Job job) {
    live.remove(job.id);
    lane.remove(job);
    job.finish();
    finished.put(job.id, job);
  }

  /**
   * The realm's log cannot be written (it became a folder, a link, a FIFO; no space; no permission): no job may run
   * unjournalled, so none starts, the queued controller jobs fail now with the reason, and the realm is closed
   * with it. A realm that reconnects gets a usable log under another name, or a refusal ({@code Realms.claim}).
   */
  @Override
  public void unwritable(Realm realm, Lane lane, IOException e) {
    boolean first = lane.unwritable(true);
    String error = "cannot write its log daebug/" + realm.log().file().getFileName() + ": " + e.getMessage();
    for (Job job : lane.queuedSubmissions()) {
      finish(lane, job);
      controllers.finished(job, Outcome.FAILED, null, Controllers.brokerError(Outcome.FAILED, error), Duration.ZERO,
          ticker.read(), false);
    }
    if (first && realm.link() != null) {
      realm.link().close(1011, error.length() > 100 ? error.substring(0, 100) : error);
    }
    registryChanged();
  }

  private Lane lane(Realm realm) {
    return lanes.computeIfAbsent(realm, journal::lane);
  }

  /** A job's events, those beyond the log's display rule kept whole in a side file (FORMAT.md §2.4). */
  private static EventBuffer events(Realm realm, String id, String agent) {
    return new EventBuffer(() -> realm.log().spill(id, "The reply to job " + id + " (" + agent + ")"));
  }
}

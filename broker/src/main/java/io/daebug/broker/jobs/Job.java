package io.daebug.broker.jobs;

import io.daebug.broker.journal.PendingStatus;
import io.daebug.broker.journal.RealmLog;
import java.time.Duration;
import java.util.List;

/**
 * One request (from a log or a controller): queued, then running in its realm, then finished; its placeholder's
 * status line ({@link PendingStatus}) is what the journal renders while it is pending. Core-thread confined.
 */
final class Job {
  /** Where a job is in its life. */
  enum State { QUEUED, RUNNING, FINISHED }

  final String id;
  final String agent;
  final String code;
  final String language;
  final Duration timeout;
  final RealmLog.Anchor anchor;
  final EventBuffer events;
  final String realmName;
  /** The controller that submitted it; null for a request from the log. */
  final Controllers.Submission submission;
  /** Ticker time it was accepted (from its log, or from its controller). */
  final long queuedNanos;
  private State state = State.QUEUED;
  /** What its placeholder says while it is pending. */
  private PendingStatus status;
  /** Its request and placeholder are in the file: it may start (a controller's waits for its write). */
  private boolean journalled;
  /** Accepted from the log while the realm's queue was full, or refused for a reason: it gets a 🚫 reply. */
  private boolean refused;
  /** Why a request from the log is refused (a bad option, a misaddressed or merged request); null: the queue was full. */
  private String refusal;
  private long dispatchedNanos;
  private Scheduler.Timer timer;
  private Scheduler.Timer refresher;
  /** The 🚫 header written when the job failed without a result (timeout, disconnect), for a late result. */
  private String failedHeader;
  private boolean lateWritten;
  /** The reply written for it, while its lane keeps it (to write it again over a placeholder a stale save put back). */
  private List<String> replyLines;

  /**
   * @param journalled whether its request and placeholder are in the file already (accepted from the log), or
   *     still to be written (a controller's)
   */
  Job(String id, String realmName, String agent, String code, String language, Duration timeout,
      RealmLog.Anchor anchor, PendingStatus status, EventBuffer events, Controllers.Submission submission,
      long queuedNanos, boolean journalled) {
    this.events = events;
    this.id = id;
    this.realmName = realmName;
    this.agent = agent;
    this.code = code;
    this.language = language;
    this.timeout = timeout;
    this.anchor = anchor;
    this.status = status;
    this.submission = submission;
    this.queuedNanos = queuedNanos;
    this.journalled = journalled;
  }

  State state() {
    return state;
  }

  boolean running() {
    return state == State.RUNNING;
  }

  boolean finished() {
    return state == State.FINISHED;
  }

  PendingStatus status() {
    return status;
  }

  /** Its placeholder now says {@code status} (the write that says so is handed over). */
  void status(PendingStatus status) {
    this.status = status;
  }

  boolean journalled() {
    return journalled;
  }

  /** The write holding its request and placeholder returned. */
  void journalledNow() {
    journalled = true;
  }

  /** It will not run: {@code why} (null: the queue was full) goes into its 🚫 reply. */
  void refuse(String why) {
    refused = true;
    refusal = why;
  }

  boolean refused() {
    return refused;
  }

  /** Why it is refused; null when the queue was full (or it is not refused). */
  String refusal() {
    return refusal;
  }

  /** Pushed to its realm at {@code nanos}, with its timeout and status refresh timers. */
  void start(long nanos, Scheduler.Timer timer, Scheduler.Timer refresher) {
    if (state != State.QUEUED) {
      throw new IllegalStateException("job " + id + " is " + state);
    }
    state = State.RUNNING;
    dispatchedNanos = nanos;
    this.timer = timer;
    this.refresher = refresher;
  }

  /** Ticker time it was pushed to its realm; 0 when it never ran. */
  long dispatchedNanos() {
    return dispatchedNanos;
  }

  /** It ended (answered, failed, cancelled): its timers are called off. */
  void finish() {
    state = State.FINISHED;
    cancelTimers();
  }

  void cancelTimers() {
    if (timer != null) {
      timer.cancel();
    }
    if (refresher != null) {
      refresher.cancel();
    }
  }

  /** It ended without a result under the 🚫 header {@code header}: a late result goes below it. */
  void failedUnder(String header) {
    failedHeader = header;
  }

  String failedHeader() {
    return failedHeader;
  }

  /** Whether a result that comes now is written as a late reply (once). */
  boolean awaitsLateResult() {
    return failedHeader != null && !lateWritten;
  }

  void lateWritten() {
    lateWritten = true;
  }

  List<String> replyLines() {
    return replyLines;
  }

  void replyLines(List<String> lines) {
    replyLines = lines;
  }
}

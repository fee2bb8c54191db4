package io.daebug.broker.jobs;

import io.daebug.broker.journal.PendingStatus;
import io.daebug.broker.journal.RealmLog;
import java.time.Duration;

/** One request (from a log or a controller): queued, then running in its realm, then finished. Core-thread confined. */
final class Job {
  enum State { QUEUED, RUNNING, FINISHED }

  final String id;
  final String agent;
  final String code;
  final String language;
  final Duration timeout;
  final RealmLog.Anchor anchor;
  final EventBuffer events;
  State state = State.QUEUED;
  /** What its placeholder says while it is pending. */
  PendingStatus status;
  /** The reply written for it (its 🚫 reply when the broker ended it), while its lane keeps it; else null. */
  java.util.List<String> replyLines;
  /** Ticker time it was accepted (from its log, or from its controller). */
  long queuedNanos;
  long dispatchedNanos;
  Scheduler.Timer timer;
  Scheduler.Timer refresher;
  /** The 🚫 header written when the job failed without a result (timeout, disconnect), for a late result. */
  String failedHeader;
  boolean lateWritten;
  String realmName;
  /** The controller that submitted it; null for a request from the log. */
  Controllers.Submission submission;
  /** Its request and placeholder are in the file: it may start (a controller's waits for its write). */
  boolean journalled = true;
  /** Accepted from the log while the realm's queue was full: it gets a 🚫 reply instead of running. */
  boolean refused;
  /** Why a request from the log is refused (a bad option, a misaddressed or merged request); null: the queue was full. */
  String refusal;

  Job(String id, String realmName, String agent, String code, String language, Duration timeout,
      RealmLog.Anchor anchor, PendingStatus status, EventBuffer events) {
    this.events = events;
    this.id = id;
    this.realmName = realmName;
    this.agent = agent;
    this.code = code;
    this.language = language;
    this.timeout = timeout;
    this.anchor = anchor;
    this.status = status;
  }

  void cancelTimers() {
    if (timer != null) {
      timer.cancel();
    }
    if (refresher != null) {
      refresher.cancel();
    }
  }
}

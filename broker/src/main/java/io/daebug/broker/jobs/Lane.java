package io.daebug.broker.jobs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One realm's job state: its queue, the running job, its background events. Core-thread confined. */
final class Lane {
  final ArrayDeque<Job> queue = new ArrayDeque<>();
  Job running;
  final EventBuffer background;
  /** Jobs that failed without a result (timeout, disconnect), in file order, for late results. */
  final List<Job> failed = new ArrayList<>();
  long lastFlushNanos = Long.MIN_VALUE / 2;
  boolean flushScheduled;
  boolean orphanCheckScheduled;
  /** The journal port of the realm's log: every change to it goes through here, off the core. */
  LogWriter writer;
  /** Placeholders of an earlier broker run are to be answered, first in the next write. */
  boolean abandonStale;
  /** The connection of a worker its page is restarting: no job is pushed to it (null: none). */
  io.daebug.broker.registry.RealmLink restarting;
  /** Jobs in the queue marked {@link Job#refused}, failed by the next pump. */
  int refused;
  /** The last write of the realm's log failed: no job starts (it would run unjournalled) until one succeeds. */
  boolean unwritable;

  /** Failed jobs kept for their late results, at most. */
  private static final int MAX_FAILED_KEPT = 1000;
  /** Answered jobs whose reply is kept, to be written again where a stale save put a placeholder back. */
  private static final int ANSWERED_KEPT = 16;
  /** Replies longer than this (in characters) are not kept. */
  private static final int KEPT_REPLY_CHARS = 256 * 1024;

  /** The last answered jobs, oldest first, with their reply lines. */
  final ArrayDeque<Job> answered = new ArrayDeque<>();
  /** Jobs ended whose reply is not in the file yet (handed to the writer): their placeholders are still there. */
  final List<Job> replying = new ArrayList<>();

  Lane(EventBuffer background) {
    this.background = background;
  }

  int pending() {
    return (running == null ? 0 : 1) + queue.size();
  }

  /** The running job, then the queued ones: the order of their placeholders in the log. */
  List<Job> pendingJobs() {
    List<Job> out = new ArrayList<>(pending());
    if (running != null) {
      out.add(running);
    }
    out.addAll(queue);
    return out;
  }

  /**
   * Queues a job whose placeholder a write just accepted: behind the jobs already in the file, ahead of those whose
   * request is still to be written (controllers' requests go into the next write, below it), as the file has them.
   */
  void enqueueWritten(Job job) {
    if (queue.stream().allMatch(j -> j.journalled)) {
      queue.add(job);
      return;
    }
    List<Job> all = new ArrayList<>(queue);
    int at = 0;
    while (at < all.size() && all.get(at).journalled) {
      at++;
    }
    all.add(at, job);
    queue.clear();
    queue.addAll(all);
  }

  /** Rank of a pending job among the pending jobs with an identical anchor (same code, same header). */
  int ordinal(Job job) {
    return ordinal(pendingJobs(), job);
  }

  /** Rank of {@code job} among the jobs of {@code pending} with an identical anchor. */
  static int ordinal(List<Job> pending, Job job) {
    int n = 0;
    for (Job other : pending) {
      if (other == job) {
        return n;
      }
      if (other.anchor.equals(job.anchor)) {
        n++;
      }
    }
    return n;
  }

  /** Keeps the reply of a job just answered (a few, and not huge ones), for {@link #answeredAnchors}. */
  void keepAnswered(Job job, List<String> lines) {
    if (lines == null || lines.stream().mapToInt(String::length).sum() > KEPT_REPLY_CHARS) {
      return;
    }
    job.replyLines = lines;
    answered.addLast(job);
    if (answered.size() > ANSWERED_KEPT) {
      answered.removeFirst().replyLines = null;
    }
  }

  /**
   * Where the kept replies' placeholders were: only those unique among the kept and pending jobs, so a reply
   * written again cannot take another job's place.
   */
  List<io.daebug.broker.journal.RealmLog.Anchor> answeredAnchors() {
    List<io.daebug.broker.journal.RealmLog.Anchor> out = new ArrayList<>();
    List<Job> pending = pendingJobs();
    for (Job job : answered) {
      boolean unique = answered.stream().filter(o -> o.anchor.equals(job.anchor)).count() == 1
          && pending.stream().noneMatch(o -> o.anchor.equals(job.anchor))
          && replying.stream().noneMatch(o -> o.anchor.equals(job.anchor));
      if (unique) {
        out.add(job.anchor);
      }
    }
    return out;
  }

  /** {@link #answeredAnchors} with the replies to write again where their placeholder is back. */
  List<io.daebug.broker.journal.RealmLog.Answered> answeredKept() {
    List<io.daebug.broker.journal.RealmLog.Answered> out = new ArrayList<>();
    for (io.daebug.broker.journal.RealmLog.Anchor a : answeredAnchors()) {
      out.add(new io.daebug.broker.journal.RealmLog.Answered(a, answered(a).replyLines));
    }
    return out;
  }

  /** The kept job whose placeholder is {@code anchor}, or null. */
  Job answered(io.daebug.broker.journal.RealmLog.Anchor anchor) {
    for (Job job : answered) {
      if (job.anchor.equals(anchor)) {
        return job;
      }
    }
    return null;
  }

  /** Keeps a job that failed without a result (its 🚫 header set), for a late result; the oldest go first. */
  void keepFailed(Job job) {
    failed.add(job);
    if (failed.size() > MAX_FAILED_KEPT) {
      failed.remove(0);
    }
  }

  /** Rank of a failed job among earlier failed jobs whose 🚫 reply looks the same (same code, same header). */
  int failedOrdinal(Job job) {
    int n = 0;
    for (Job other : failed) {
      if (other == job) {
        return n;
      }
      if (other.anchor.code().equals(job.anchor.code()) && other.failedHeader.equals(job.failedHeader)) {
        n++;
      }
    }
    return n;
  }
}

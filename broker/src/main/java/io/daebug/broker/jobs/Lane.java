package io.daebug.broker.jobs;

import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.registry.RealmLink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One realm's job state: the running job and the queue behind it (in the order of their placeholders in the log),
 * the jobs kept for late results and for replies undone by a stale save, its background events and its journal
 * port. Core-thread confined.
 */
final class Lane {
  /** Failed jobs kept for their late results, at most. */
  private static final int MAX_FAILED_KEPT = 1000;
  /** Answered jobs whose reply is kept, to be written again where a stale save put a placeholder back. */
  private static final int ANSWERED_KEPT = 16;
  /** Replies longer than this (in characters) are not kept. */
  private static final int KEPT_REPLY_CHARS = 256 * 1024;

  /** The journal port of the realm's log: every change to it goes through here, off the core. */
  final LogWriter writer;
  /** Events outside any job, for the next background block. */
  final EventBuffer background;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private Job running;
  /** Jobs in the queue that are refused, failed by the next pump. */
  private int refused;
  /** Jobs that failed without a result (timeout, disconnect), in file order, for late results. */
  private final List<Job> failed = new ArrayList<>();
  /** The last answered jobs, oldest first, with their reply lines. */
  private final ArrayDeque<Job> answered = new ArrayDeque<>();
  /** Jobs ended whose reply is not in the file yet (handed to the writer): their placeholders are still there. */
  private final List<Job> replying = new ArrayList<>();
  /** The connection of a worker its page is restarting: no job is pushed to it (null: none). */
  private RealmLink restarting;
  /** The last write of the realm's log failed: no job starts (it would run unjournalled) until one succeeds. */
  private boolean unwritable;
  /** Placeholders of an earlier broker run are to be answered, first in the next write. */
  private boolean abandonStale;

  /** Ticker time the last background block was handed to the writer. */
  private long lastFlushNanos = Long.MIN_VALUE / 2;
  private boolean flushScheduled;

  Lane(EventBuffer background, java.util.function.Function<Lane, LogWriter> writer) {
    this.background = background;
    this.writer = writer.apply(this);
  }

  Job running() {
    return running;
  }

  int pending() {
    return (running == null ? 0 : 1) + queue.size();
  }

  int queued() {
    return queue.size();
  }

  /** Queues a controller's job, whose request is still to be written: last, below everything in the file. */
  void queue(Job job) {
    queue.add(job);
    count(job);
  }

  /**
   * Queues a job whose placeholder a write just accepted: behind the jobs already in the file, ahead of those whose
   * request is still to be written (controllers' requests go into the next write, below it), as the file has them.
   */
  void enqueueWritten(Job job) {
    count(job);
    if (queue.stream().allMatch(Job::journalled)) {
      queue.add(job);
      return;
    }
    List<Job> all = new ArrayList<>(queue);
    int at = 0;
    while (at < all.size() && all.get(at).journalled()) {
      at++;
    }
    all.add(at, job);
    queue.clear();
    queue.addAll(all);
  }

  private void count(Job job) {
    if (job.refused()) {
      refused++;
    }
  }

  /** Queued jobs that are not refused. */
  int runnable() {
    return pending() - refused;
  }

  /** The refused jobs in the queue, now taken out of the count (their 🚫 replies are written by the caller). */
  List<Job> takeRefused() {
    if (refused == 0) {
      return List.of();
    }
    refused = 0;
    return queue.stream().filter(Job::refused).toList();
  }

  /**
   * The next job if it may start now: the lane is idle, its log writable, the head of the queue not refused and
   * journalled, and the realm's connection ({@code link}) not a worker being restarted.
   */
  Job startable(RealmLink link) {
    Job next = queue.peek();
    if (running != null || next == null || next.refused() || !next.journalled() || unwritable
        || (restarting != null && restarting == link)) {
      return null;
    }
    return next;
  }

  /** Takes the head of the queue as the running job. */
  Job takeNext() {
    running = queue.poll();
    return running;
  }

  /** Takes a job out of the queue, or out of the running place. */
  void remove(Job job) {
    if (running == job) {
      running = null;
    } else {
      queue.remove(job);
    }
  }

  /** Forgets every pending job (they were all answered). */
  void clear() {
    running = null;
    queue.clear();
    refused = 0;
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

  /** The queued controllers' jobs (a log that cannot be written fails them). */
  List<Job> queuedSubmissions() {
    return queue.stream().filter(j -> j.submission != null).toList();
  }

  /** The connection of a worker that its page restarts to stop a job; nothing is pushed to it. */
  void restarting(RealmLink link) {
    restarting = link;
  }

  boolean unwritable() {
    return unwritable;
  }

  /** Whether the last write failed; true when this is news (it was writable). */
  boolean unwritable(boolean now) {
    boolean news = now && !unwritable;
    unwritable = now;
    return news;
  }

  /** Has an earlier broker's placeholders answered, first in the next write. */
  void abandonStale() {
    abandonStale = true;
  }

  /** Whether an earlier broker's placeholders are to be answered now (asked once). */
  boolean takeAbandonStale() {
    boolean was = abandonStale;
    abandonStale = false;
    return was;
  }

  /**
   * When the next background block is to be written: in {@code coalesce} at the soonest, {@code batch} after the
   * last one; -1 when one is due already.
   */
  long backgroundFlushIn(long now, long batch, long coalesce) {
    if (flushScheduled) {
      return -1;
    }
    flushScheduled = true;
    return Math.max(coalesce, lastFlushNanos + batch - now);
  }

  void backgroundTimerFired() {
    flushScheduled = false;
  }

  void backgroundFlushed(long now) {
    lastFlushNanos = now;
  }

  /** Rank of a pending job among the pending jobs with an identical anchor (same code, same header). */
  int ordinal(Job job) {
    return ordinal(pendingJobs(), job);
  }

  /** Rank of {@code job} among the jobs of {@code pending} with an identical anchor. */
  private static int ordinal(List<Job> pending, Job job) {
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

  /** A job ended and its reply is handed to the writer: until it is written its placeholder is still there. */
  void replying(Job job) {
    replying.add(job);
  }

  /** The reply of a job is written ({@code lines}; null when the write failed): kept, a few and not huge ones. */
  void answered(Job job, List<String> lines) {
    replying.remove(job);
    if (lines == null || lines.stream().mapToInt(String::length).sum() > KEPT_REPLY_CHARS) {
      return;
    }
    job.replyLines(lines);
    answered.addLast(job);
    if (answered.size() > ANSWERED_KEPT) {
      answered.removeFirst().replyLines(null);
    }
  }

  /**
   * The kept replies to write again where a stale save put their placeholder back: only those whose placeholder is
   * unique among the kept, pending and replying jobs, so a reply written again cannot take another job's place.
   */
  List<RealmLog.Answered> answeredKept() {
    List<RealmLog.Answered> out = new ArrayList<>();
    java.util.Map<RealmLog.Anchor, Integer> kept = new java.util.HashMap<>();
    for (Job job : answered) {
      kept.merge(job.anchor, 1, Integer::sum);
    }
    java.util.Set<RealmLog.Anchor> others = new java.util.HashSet<>();
    pendingJobs().forEach(o -> others.add(o.anchor));
    replying.forEach(o -> others.add(o.anchor));
    for (Job job : answered) {
      if (kept.get(job.anchor) == 1 && !others.contains(job.anchor)) {
        out.add(new RealmLog.Answered(job.anchor, job.replyLines()));
      }
    }
    return out;
  }

  /** The kept job whose placeholder is {@code anchor}, or null. */
  Job answered(RealmLog.Anchor anchor) {
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
      if (other.anchor.code().equals(job.anchor.code()) && other.failedHeader().equals(job.failedHeader())) {
        n++;
      }
    }
    return n;
  }
}

package io.daebug.broker.jobs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** One realm's job state: its queue, the running job, its background events. Core-thread confined. */
final class Lane {
  /** An accept whose placeholders go into the next write: its time, queue position and request count. */
  record PendingAccept(String now, int ahead, int handed) {}

  final ArrayDeque<Job> queue = new ArrayDeque<>();
  Job running;
  final EventBuffer background = new EventBuffer();
  /** Jobs that failed without a result (timeout, disconnect), in file order, for late results. */
  final List<Job> failed = new ArrayList<>();
  long lastFlushNanos = Long.MIN_VALUE / 2;
  boolean flushScheduled;
  boolean orphanCheckScheduled;
  /** Requests accepted whose placeholders are not written yet (none are dispatched before they are). */
  PendingAccept accept;
  /** Controller requests not written yet: each adds its request and placeholder to the next batch. */
  final List<java.util.function.Consumer<io.daebug.broker.journal.RealmLog.Batch>> inserts = new ArrayList<>();
  /** Jobs in the queue marked {@link Job#refused}, failed by the next pump. */
  int refused;

  int pending() {
    return (running == null ? 0 : 1) + queue.size();
  }
}

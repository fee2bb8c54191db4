package io.daebug.broker.jobs;

import io.daebug.broker.journal.EventSpill;
import io.daebug.broker.journal.Events;
import io.daebug.broker.journal.JournalEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects events for one reply or background block, keeping in memory only what the 2/ellipsis/8 rule writes into
 * the log (the first 2, the last 8, and the exact count); every event between is handed to a side file
 * ({@link EventSpill}) as it leaves the last 8, so a realm that floods its console costs bounded memory and loses
 * nothing.
 */
final class EventBuffer {
  private static final int HEAD = 2;
  private static final int TAIL = 8;

  private final List<JournalEvent> head = new ArrayList<>(HEAD);
  private final ArrayDeque<JournalEvent> tail = new ArrayDeque<>(TAIL);
  private final Supplier<EventSpill> spills;
  private EventSpill spill;
  private long count;

  /** @param spills opens the side file of this block's omitted events, when the first one comes */
  EventBuffer(Supplier<EventSpill> spills) {
    this.spills = spills;
  }

  /** Keeps an event; true when that pushed an earlier one out of the last 8 (into the side file). */
  boolean add(JournalEvent e) {
    count++;
    if (head.size() < HEAD) {
      head.add(e);
      return false;
    }
    boolean full = tail.size() == TAIL;
    if (full) {
      if (spill == null) {
        spill = spills.get();
      }
      spill.add(tail.removeFirst());
    }
    tail.addLast(e);
    return full;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /**
   * The events for the log, and the side file of the omitted ones, made durable now (the log's link to it is written
   * next); then starts over, as {@link #clear} does.
   */
  Events take() {
    return detach().get();
  }

  /**
   * The events for the log, to be taken on the thread that writes it: the supplier makes the side file of the
   * omitted ones durable (an fsync, so never on the core) and returns what the log shows. The buffer starts over
   * now, and the detached events are no longer touched here, so the writing thread is their one owner.
   */
  Supplier<Events> detach() {
    List<JournalEvent> kept = new ArrayList<>(head);
    kept.addAll(tail);
    long omitted = count - kept.size();
    EventSpill side = spill;
    spill = null;
    head.clear();
    tail.clear();
    count = 0;
    if (side == null) {
      Events out = new Events(kept, omitted, null);
      return () -> out;
    }
    return () -> new Events(kept, omitted, side.finish());
  }

  /** Forgets the events (a side file already begun is closed with what it holds). */
  void clear() {
    if (spill != null) {
      spill.finish();
      spill = null;
    }
    head.clear();
    tail.clear();
    count = 0;
  }
}

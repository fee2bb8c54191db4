package io.daebug.broker.jobs;

import io.daebug.broker.journal.JournalEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects events for one reply or background block, keeping only what the 2/ellipsis/8 rule writes
 * (the first 2, the last 8, and the exact count), so a realm that floods its console costs O(1) memory.
 */
final class EventBuffer {
  private static final int HEAD = 2;
  private static final int TAIL = 8;

  private final List<JournalEvent> head = new ArrayList<>(HEAD);
  private final ArrayDeque<JournalEvent> tail = new ArrayDeque<>(TAIL);
  private long count;

  /** Keeps an event; true when that pushed an earlier one out (it is only counted from then on). */
  boolean add(JournalEvent e) {
    count++;
    if (head.size() < HEAD) {
      head.add(e);
      return false;
    }
    boolean full = tail.size() == TAIL;
    if (full) {
      tail.removeFirst();
    }
    tail.addLast(e);
    return full;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** The kept events (first 2 and last 8), in order; {@link #omitted()} counts the ones between. */
  List<JournalEvent> events() {
    List<JournalEvent> out = new ArrayList<>(head);
    out.addAll(tail);
    return out;
  }

  /** How many events were dropped between the head and the tail. */
  long omitted() {
    return count - head.size() - tail.size();
  }

  void clear() {
    head.clear();
    tail.clear();
    count = 0;
  }
}

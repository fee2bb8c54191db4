package io.daebug.client.realm.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Frames waiting to be sent, oldest first, kept across reconnects. Bounded: past {@link #MAX_FRAMES}
 * the oldest event is dropped (results never are) and counted. Each frame remembers the connection
 * (epoch) it was queued in, so results from before a reconnect can be told apart. Thread-safe.
 */
final class Outbox {
  static final int MAX_FRAMES = 10_000;

  /**
   * @param json the frame
   * @param resultId the job id when the frame is a result, else null
   * @param epoch the connection it was queued in
   */
  record Frame(String json, String resultId, long epoch) {}

  private final Deque<Frame> frames = new ArrayDeque<>();
  private int droppedEvents;

  synchronized void add(Frame frame) {
    frames.addLast(frame);
    if (frames.size() > MAX_FRAMES) {
      for (Iterator<Frame> it = frames.iterator(); it.hasNext(); ) {
        if (it.next().resultId() == null) {
          it.remove();
          droppedEvents++;
          break;
        }
      }
    }
  }

  /** The oldest frame, or null. */
  synchronized Frame peek() {
    return frames.peekFirst();
  }

  /** Removes {@code frame} when it is still the oldest (it was sent). */
  synchronized void sent(Frame frame) {
    if (frames.peekFirst() == frame) {
      frames.removeFirst();
    }
  }

  /** How many events were dropped since the last call. */
  synchronized int takeDropped() {
    int n = droppedEvents;
    droppedEvents = 0;
    return n;
  }

  /** Whether results queued before connection {@code epoch} wait. */
  synchronized boolean hasResultsBefore(long epoch) {
    return frames.stream().anyMatch(f -> f.resultId() != null && f.epoch() < epoch);
  }

  /** Removes results for job {@code id} queued before connection {@code epoch}; returns their frames. */
  synchronized List<Frame> dropResultsBefore(long epoch, String id) {
    List<Frame> out = new ArrayList<>();
    for (Iterator<Frame> it = frames.iterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (id.equals(f.resultId()) && f.epoch() < epoch) {
        it.remove();
        out.add(f);
      }
    }
    return out;
  }

  synchronized int size() {
    return frames.size();
  }
}

package io.daebug.broker.transport.ws;

import io.daebug.broker.journal.WriteFaults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's write windows, as the broker itself reports them ({@link WriteFaults#checking} to
 * {@link WriteFaults#ended}): from right before it checks that a log is the version its edit was made on to the
 * end of its write. POSIX has no compare-and-swap for files, so a save by someone else inside such a window can
 * meet the broker's write (docs/journal-format.md, "Instants no one can close"); outside every window it cannot.
 * The test's agent runs in the broker's JVM, so {@link System#nanoTime} orders its saves against these windows
 * exactly. A log is written by one thread at a time; the windows of all logs are kept together.
 */
final class WriteWindows implements WriteFaults {
  /** {from, to, 1 for a whole-file write}, in the order they ended. */
  private final List<long[]> closed = new ArrayList<>();
  /** Per writing thread: {from, whole}; from is -1 until the window opens. */
  private final Map<Thread, long[]> open = new HashMap<>();

  @Override
  public synchronized void at(Point point) {
    if (point == Point.TEMP_WRITTEN) {
      open.put(Thread.currentThread(), new long[] {-1, 1});
    }
  }

  @Override
  public synchronized void checking() {
    open.computeIfAbsent(Thread.currentThread(), t -> new long[] {-1, 0})[0] = System.nanoTime();
  }

  @Override
  public synchronized void ended() {
    long[] w = open.remove(Thread.currentThread());
    if (w != null && w[0] >= 0) {
      closed.add(new long[] {w[0], System.nanoTime(), w[1]});
    }
  }

  /** Whether some broker write's window, finished or still open, overlaps {@code from} to {@code to}. */
  boolean overlap(long from, long to) {
    return overlap(from, to, false);
  }

  /**
   * Whether some broker write's window, finished or still open, overlaps {@code from} to {@code to}; only
   * whole-file writes (a temporary file renamed over the log) when {@code wholeOnly}.
   */
  synchronized boolean overlap(long from, long to, boolean wholeOnly) {
    if (open.values().stream().anyMatch(w -> w[0] >= 0 && w[0] <= to && (!wholeOnly || w[1] == 1))) {
      return true;
    }
    for (int i = closed.size() - 1; i >= 0; i--) {
      long[] w = closed.get(i);
      if (w[1] < from) {
        return false; // every earlier one ended earlier
      }
      if (w[0] <= to && (!wholeOnly || w[2] == 1)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a broker write's window is open now. */
  synchronized boolean open() {
    return open.values().stream().anyMatch(w -> w[0] >= 0);
  }

  /** The windows' count, median and longest, for a summary. */
  synchronized String summary() {
    long[] d = closed.stream().mapToLong(w -> w[1] - w[0]).sorted().toArray();
    return d.length == 0 ? "no broker writes" : String.format(java.util.Locale.ROOT,
        "%d broker writes (windows of %d us median, %d us longest)", d.length, d[d.length / 2] / 1000,
        d[d.length - 1] / 1000);
  }
}

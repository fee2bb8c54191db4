package io.daebug.broker.journal;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the journal's write path: named points between the steps of a write where a test stops the
 * broker the way a crash would, so that what a crash at that instant leaves on disk can be checked
 * deterministically; and where each write's critical window begins and ends. The broker runs with {@link #NONE};
 * in-process tests throw from {@link #at}; a broker started with {@code -Ddaebug.crashAt=POINT[:N]} ({@link #halting}) halts its JVM
 * the N-th time (default the first) it reaches POINT, with nothing flushed or closed, as SIGKILL would.
 */
public interface WriteFaults {
  /** Where a write can be stopped. */
  enum Point {
    /** A write that moves history out: the history part is in place (renamed); the log is untouched. */
    HISTORY_WRITTEN,
    /** The temporary file holds the new version (fsynced, for a durable write); the log is untouched. */
    TEMP_WRITTEN,
    /** The temporary file was renamed over the log; the folder is not fsynced yet. */
    RENAMED,
    /**
     * The new version and the folder are fsynced: at the end of a {@link Durability#DURABLE} write, or of the task
     * that makes a {@link Durability#DURABLE_AFTER} one durable.
     */
    SYNCED
  }

  /** No faults: the broker's own. */
  WriteFaults NONE = new WriteFaults() {};

  /** Called at {@code point}; a test throws (or halts) here to stop the write as a crash would. */
  default void at(Point point) {}

  /**
   * Called right before the broker checks that the log is still the version its edit was made on. From here to
   * {@link #ended} is the window in which another writer's save can meet the broker's write
   * (docs/journal-format.md, "Instants no one can close"): tests that race the broker order their saves by it.
   */
  default void checking() {}

  /**
   * Called when a write attempt can no longer meet another writer's save: its rename is done (the fsyncs may
   * follow), or it was given up because the log changed since it was read, or it failed. May be called again for
   * the same attempt; the first call ends it.
   */
  default void ended() {}

  /**
   * {@link #NONE} for a null or blank {@code spec}, else faults that halt the JVM the N-th time (default the first)
   * a write reaches POINT, for {@code spec} {@code POINT[:N]} (the value of {@code -Ddaebug.crashAt}).
   *
   * @throws IllegalArgumentException when POINT is not a {@link Point} or N not a number
   */
  static WriteFaults halting(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    String[] parts = spec.trim().split(":", 2);
    Point target = Point.valueOf(parts[0].toUpperCase(Locale.ROOT));
    int nth = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
    AtomicInteger seen = new AtomicInteger();
    return new WriteFaults() {
      @Override
      public void at(Point point) {
        if (point == target && seen.incrementAndGet() == nth) {
          Runtime.getRuntime().halt(86);
        }
      }
    };
  }
}

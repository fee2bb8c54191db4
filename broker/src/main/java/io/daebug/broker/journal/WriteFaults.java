package io.daebug.broker.journal;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the journal's write path: named points between the write, fsync and rename steps
 * where a test stops the broker the way a crash would, so that what a crash at that instant leaves on disk
 * can be checked deterministically; and where each write's critical window begins and ends. The broker runs with {@link #NONE}; in-process tests throw from
 * {@link #at}; a broker started with {@code -Ddaebug.crashAt=POINT[:N]} ({@link #halting}) halts its JVM the N-th time (default
 * the first) it reaches POINT, with nothing flushed or closed, as SIGKILL would.
 */
public interface WriteFaults {
  /** Where a write can be stopped. */
  enum Point {
    /** Whole-file write: the temporary file is written and fsynced; the log is untouched. */
    TEMP_SYNCED,
    /** Whole-file write: the temporary file was renamed over the log; the folder is not fsynced yet. */
    RENAMED,
    /** In-place write: the redo record is durable; the log is untouched. */
    REDO_SYNCED,
    /** In-place write that grows, cut: while the room it needs is reserved at the end ({@link #cut}). */
    APPENDING,
    /** In-place write that grows: the room is reserved at the end (a blank line); nothing is overwritten yet. */
    RESERVED,
    /** In-place write, cut: while the new end is written over the old one ({@link #cut} says how far it got). */
    OVERWRITING,
    /** In-place write: the new end is written over the old one; a shrinking write has not truncated yet. */
    OVERWRITTEN,
    /** In-place write: the new region is complete; the log is not fsynced yet. */
    TAIL_WRITTEN,
    /** In-place write: the log is fsynced; the redo record is still valid. */
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
   * Called when a write attempt can no longer meet another writer's save: its last change to the log is made (the
   * fsync may follow), or it was given up because the log changed since it was read, or it failed. May be called
   * again for the same attempt; the first call ends it.
   */
  default void ended() {}

  /**
   * How many of {@code length} bytes a write at a cut point ({@link Point#OVERWRITING}, {@link Point#APPENDING})
   * may write before {@link #at} is called for that point: all of them unless a test cuts it short. The
   * writer rounds a cut down to a page boundary of the file, where the kernel stops a write that a kill
   * interrupts.
   */
  default int cut(Point point, int length) {
    return length;
  }

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

      @Override
      public int cut(Point point, int length) {
        return point == target && seen.get() + 1 == nth ? length / 2 : length;
      }
    };
  }
}

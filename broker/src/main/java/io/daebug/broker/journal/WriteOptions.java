package io.daebug.broker.journal;

/**
 * How a log's writes are made (see {@link TailWriter}).
 *
 * @param inPlaceAbove logs whose unchanged part above a write is at least this many bytes are written in
 *     place (a redo record makes that crash-safe); smaller ones get a new file renamed over them (a copy of
 *     the whole log per write: only for small logs)
 * @param faults the fault-injection hook ({@link WriteFaults#NONE} in the broker)
 */
public record WriteOptions(long inPlaceAbove, WriteFaults faults) {
  /**
   * 0: every log is written in place, so a job costs the same however big its log grows, the log stays the
   * same file (its owner, permissions and links, and {@code tail -f}) and a reader sees the old or the new
   * log at every step (docs/big-logs.md). A log created by the broker, and one finished after a crash, is
   * written whole.
   */
  public static final long DEFAULT_IN_PLACE_ABOVE = 0;

  public WriteOptions {
    if (inPlaceAbove < 0) {
      throw new IllegalArgumentException("in-place threshold must be at least 0 bytes, got " + inPlaceAbove);
    }
    if (faults == null) {
      throw new IllegalArgumentException("faults must not be null: use WriteFaults.NONE");
    }
  }

  /**
   * Every log written in place, no faults. The command line's {@code -Ddaebug.journal.inPlaceAbove} and
   * {@code -Ddaebug.crashAt} are read where the broker starts ({@code config.SystemProperties}), never here.
   */
  public static WriteOptions defaults() {
    return new WriteOptions(DEFAULT_IN_PLACE_ABOVE, WriteFaults.NONE);
  }
}

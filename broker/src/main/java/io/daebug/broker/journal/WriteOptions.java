package io.daebug.broker.journal;

/**
 * How a log's writes are made (see {@link TailWriter}).
 *
 * @param inPlaceAbove logs whose unchanged part above a write is at least this many bytes are written in
 *     place (a redo record makes that crash-safe); smaller ones get a new file renamed over them
 * @param faults the fault-injection hook ({@link WriteFaults#NONE} in the broker)
 */
public record WriteOptions(long inPlaceAbove, WriteFaults faults) {
  /** 256 KiB: below it a whole-file write costs about what an in-place one does (docs/big-logs.md). */
  public static final long DEFAULT_IN_PLACE_ABOVE = 256 * 1024;

  public WriteOptions {
    if (inPlaceAbove < 0) {
      throw new IllegalArgumentException("in-place threshold must be at least 0 bytes, got " + inPlaceAbove);
    }
    if (faults == null) {
      throw new IllegalArgumentException("faults must not be null: use WriteFaults.NONE");
    }
  }

  /**
   * The defaults, with {@code -Ddaebug.journal.inPlaceAbove=BYTES} and {@code -Ddaebug.crashAt=POINT[:N]}
   * (for crash tests) applied.
   */
  public static WriteOptions fromSystemProperties() {
    return new WriteOptions(Long.getLong("daebug.journal.inPlaceAbove", DEFAULT_IN_PLACE_ABOVE),
        WriteFaults.fromSystemProperties());
  }
}

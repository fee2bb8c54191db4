package io.daebug.broker.journal;

/**
 * How a log's writes are made (see {@link TailWriter} and {@link History}).
 *
 * @param historyAbove when the finished history in a log (everything between its title and guide and its live
 *     region) grows past this many bytes, the next write moves it into a numbered history file next to the log
 *     ({@code daebug/<realm>.history/0001.md}, ...), so that the log, which every write copies, stays small
 * @param faults the fault-injection hook ({@link WriteFaults#NONE} in the broker)
 * @param durableBeforeTold a write holding a realm's output (a reply, a background block) is fsynced before anyone
 *     is told about it ({@link Durability#DURABLE}, {@code --durable-replies}); by default it is told once the reply
 *     is in the file, which a killed broker leaves there, and fsynced right after ({@link Durability#DURABLE_AFTER})
 */
public record WriteOptions(long historyAbove, WriteFaults faults, boolean durableBeforeTold) {
  /**
   * 256 KiB: a write copies the log (a kernel copy) and fsyncs it, which costs about as much as the fsync alone up
   * to this size and grows beyond it (docs/benchmarks.md, "Big logs"); it is also still a comfortable read for an
   * agent's file tool.
   */
  public static final long DEFAULT_HISTORY_ABOVE = 256 * 1024;

  public WriteOptions {
    if (historyAbove < 1024) {
      throw new IllegalArgumentException("the history threshold must be at least 1024 bytes, got " + historyAbove);
    }
    if (faults == null) {
      throw new IllegalArgumentException("faults must not be null: use WriteFaults.NONE");
    }
  }

  /**
   * History moved out above {@value #DEFAULT_HISTORY_ABOVE} bytes, no faults. The command line's
   * {@code --history-above}, {@code -Ddaebug.journal.historyAbove} and {@code -Ddaebug.crashAt} are read where the
   * broker starts ({@code Main}, {@code config.SystemProperties}), never here.
   */
  public static WriteOptions defaults() {
    return new WriteOptions(DEFAULT_HISTORY_ABOVE, WriteFaults.NONE, false);
  }

  /** Output told once in the file and fsynced after ({@code durableBeforeTold} false). */
  public WriteOptions(long historyAbove, WriteFaults faults) {
    this(historyAbove, faults, false);
  }

  /** These options with another history threshold. */
  public WriteOptions withHistoryAbove(long bytes) {
    return new WriteOptions(bytes, faults, durableBeforeTold);
  }

  /** These options with output fsynced before anyone is told ({@code true}), or after. */
  public WriteOptions withDurableBeforeTold(boolean before) {
    return new WriteOptions(historyAbove, faults, before);
  }

  /** How far a write holding a realm's output goes before its end is acted on. */
  public Durability output() {
    return durableBeforeTold ? Durability.DURABLE : Durability.DURABLE_AFTER;
  }
}

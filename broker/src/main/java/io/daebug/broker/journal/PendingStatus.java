package io.daebug.broker.journal;

/**
 * What a pending job's placeholder says under its header (FORMAT.md §2.2): the job's state as the journal renders it
 * ({@link JournalFormat#status}), never compared as text.
 */
public sealed interface PendingStatus {
  /** Running in its realm for {@code seconds}: {@code executing (3s)}. */
  record Executing(long seconds) implements PendingStatus {}

  /**
   * Waiting behind {@code ahead} jobs: {@code queued (2 ahead)}, followed by {@code : why} when there is a reason
   * beyond the queue (its realm is away).
   */
  record Queued(int ahead, String why) implements PendingStatus {
    public Queued(int ahead) {
      this(ahead, null);
    }
  }

  PendingStatus STARTED = new Executing(0);
}

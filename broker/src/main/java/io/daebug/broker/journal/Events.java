package io.daebug.broker.journal;

import java.util.List;

/**
 * The events of one reply or background block as the log shows them (FORMAT.md §2.4): the kept ones (all of them, or
 * the first 2 and the last 8), how many were left out between, and the side file that holds those whole.
 *
 * @param kept the events written into the log, in order
 * @param omitted how many events between the first 2 and the last 8 are not in the log
 * @param sideFile the side file holding the omitted events, relative to the log's folder
 *     ({@code <realm>.events/<name>.md}); null when none were omitted or the file could not be written
 */
public record Events(List<JournalEvent> kept, long omitted, String sideFile) {
  public static final Events NONE = new Events(List.of(), 0, null);

  public Events {
    kept = List.copyOf(kept);
  }

  /** Events with no side file (all of them kept, or a test's count of omitted ones). */
  public static Events of(List<JournalEvent> kept, long omitted) {
    return new Events(kept, omitted, null);
  }

  /** All of {@code events}, none omitted. */
  public static Events of(List<JournalEvent> events) {
    return of(events, 0);
  }
}

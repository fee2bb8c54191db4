package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of each log the broker itself wrote last (its size, time and file), so that the change events its own
 * renames cause are told apart from an agent's with one stat, off the core ({@link JournalWatcher}): a log that is,
 * as it is now, the broker's own last version holds nothing the broker has not read. Without this every write cost a
 * second, empty read of the log, which held up the log's next write. Only create events (what a rename gives) are
 * filtered so: a modify event can be an append through a descriptor still open on a version the broker replaced,
 * which the kernel reports under the log's name while the log is still the broker's own. Thread-safe.
 */
public final class OwnVersions {
  private final ConcurrentHashMap<Path, AtomicFiles.Stamp> last = new ConcurrentHashMap<>();

  /** The broker is about to rename a version with this stamp into {@code file} (rename keeps the stamp). */
  void writing(Path file, AtomicFiles.Stamp stamp) {
    last.put(file.toAbsolutePath().normalize(), stamp);
  }

  /**
   * Whether {@code file} is now exactly the version the broker wrote last: the same file, size and time. An append,
   * a save or another file put there changes one of them. False when unknown or unreadable.
   */
  public boolean isOwn(Path file) {
    AtomicFiles.Stamp expected = last.get(file.toAbsolutePath().normalize());
    if (expected == null) {
      return false;
    }
    try {
      return expected.equals(AtomicFiles.Stamp.of(file));
    } catch (IOException e) {
      return false;
    }
  }
}

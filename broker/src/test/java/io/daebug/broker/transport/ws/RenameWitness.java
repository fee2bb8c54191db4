package io.daebug.broker.transport.ws;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether anyone else renamed a file into the log's name while the agent did one rename-save. POSIX has
 * no compare-and-swap for names, so an editor cannot know whether the version it replaced is the one it read:
 * the broker may rename its own write in between the editor's last look and its rename. The order of the
 * folder's change events can: a marker file is touched before the last look and after the rename, and the
 * events between the two markers are counted; the log appearing more than once (the agent's own rename is one)
 * means the save replaced a version the agent never saw. An overflow counts as a rename (it can only excuse).
 */
final class RenameWitness implements AutoCloseable {
  private final Path dir;
  private final String name;
  private final WatchService service;
  private int marks;

  RenameWitness(Path log) throws IOException {
    this.dir = log.getParent();
    this.name = log.getFileName().toString();
    this.service = dir.getFileSystem().newWatchService();
    dir.register(service, ENTRY_CREATE);
  }

  /** Touches a new marker (a dotfile, which the broker ignores) and returns its name. */
  String mark() throws IOException {
    String marker = ".witness-" + ++marks;
    Files.createFile(dir.resolve(marker));
    return marker;
  }

  /**
   * How many times the log was renamed into place (or created) between the two markers; -1 when events
   * overflowed. Waits for the second marker's event, which the kernel queues after every earlier one.
   */
  int renamesBetween(String from, String to) throws IOException, InterruptedException {
    boolean started = false;
    int renames = 0;
    while (true) {
      WatchKey key = service.poll(5, TimeUnit.SECONDS);
      if (key == null) {
        throw new AssertionError("no change event for " + to + " within 5 s");
      }
      try {
        for (WatchEvent<?> e : key.pollEvents()) {
          if (e.kind() == OVERFLOW) {
            renames = -1;
            started = true;
            continue;
          }
          String context = e.context().toString();
          if (context.equals(from)) {
            started = true;
          } else if (context.equals(to)) {
            Files.deleteIfExists(dir.resolve(from));
            Files.deleteIfExists(dir.resolve(to));
            return renames;
          } else if (started && renames >= 0 && context.equals(name)) {
            renames += e.count();
          }
        }
      } finally {
        key.reset();
      }
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}

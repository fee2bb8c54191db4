package io.daebug.broker.journal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the root (for {@code daebug.md} and the creation of {@code daebug/}) and {@code daebug/} (for
 * logs) with the file system's change events: inotify on Linux, so there is no polling and no debounce.
 * A rename over a log arrives as a create event and is handled like any edit. Runs one named thread.
 */
public final class JournalWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalWatcher.class);

  /** What the watcher reports; called on the watcher thread, so implementations should hand off quickly. */
  public interface Listener {
    void logChanged(String fileName);

    void allLogsChanged();

    void registryChanged();
  }

  private final Path logDir;
  private final Listener listener;
  private final WatchService service;
  private final Thread thread;
  private WatchKey rootKey;
  private WatchKey logKey;
  private final OwnVersions own;

  public JournalWatcher(Path root, Listener listener) throws IOException {
    this(root, listener, new OwnVersions());
  }

  /**
   * @param own the versions the broker wrote last: a log's create event is not reported when the log is, as it is
   *     now, the broker's own version (the event was the broker's rename); a modify event always is
   */
  public JournalWatcher(Path root, Listener listener, OwnVersions own) throws IOException {
    this.logDir = root.resolve("daebug");
    this.listener = listener;
    this.own = own;
    this.service = root.getFileSystem().newWatchService();
    this.rootKey = root.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
    watchLogDir();
    this.thread = new Thread(this::run, "daebug-watcher");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private boolean watchLogDir() {
    if (logKey != null && logKey.isValid()) {
      return false;
    }
    try {
      if (Files.isDirectory(logDir)) {
        logKey = logDir.register(service, ENTRY_CREATE, ENTRY_MODIFY);
        return true;
      }
    } catch (IOException e) {
      log.warn("cannot watch {}: {}", logDir, e.toString());
    }
    return false;
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = service.take();
        boolean rescan = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == OVERFLOW) {
            rescan = true;
            continue;
          }
          String name = event.context().toString();
          if (key == rootKey) {
            if (name.equals("daebug.md")) {
              listener.registryChanged(); // a deleted registry is written again at once
            } else if (name.equals("daebug") && event.kind() != ENTRY_DELETE) {
              rescan |= watchLogDir();
            }
          } else if (name.endsWith(".md") && !name.startsWith(".")) {
            log.trace("{} {}", event.kind(), name);
            // The broker's own rename is a create; a modify is always someone's write: to the log, or through a
            // descriptor still open on a version the broker replaced (reported under the log's name), whose text
            // is carried over at once rather than by the next orphan check, before an agent's next save can miss it.
            if (event.kind() == ENTRY_MODIFY || !own.isOwn(logDir.resolve(name))) {
              listener.logChanged(name);
            }
          }
        }
        if (!key.reset() && key == logKey) {
          logKey = null;
        }
        if (rescan || (logKey == null && watchLogDir())) {
          listener.allLogsChanged();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("file watcher stopped: {}", e.toString(), e);
    }
  }

  /** Makes sure {@code daebug/} is watched (call after creating it). */
  public void ensureLogDirWatched() {
    if (watchLogDir()) {
      listener.allLogsChanged();
    }
  }

  @Override
  public void close() throws IOException {
    // Closing the service ends take() with ClosedWatchServiceException. The thread is not interrupted:
    // it may be running core tasks (see SerialExecutor), and an interrupt would close the FileChannel
    // of a journal write half-way.
    service.close();
  }
}

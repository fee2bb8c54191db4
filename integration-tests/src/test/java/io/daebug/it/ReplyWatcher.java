package io.daebug.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sees replies arrive in the logs the way a cheap agent would: one inotify watch on {@code daebug/} (the JDK's
 * {@code WatchService}); a log is read only when it changed and a request of ours in it is still unanswered, and
 * every 500 ms the logs with unanswered requests are read anyway (a missed or overflowed event costs latency, never
 * an answer). A request counts as answered when its reply value, the JSON fence {@code "<id>"}, is in the file; the
 * audit after the run checks where it is.
 */
final class ReplyWatcher implements AutoCloseable {
  private static final long RESCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** A request being waited for: when it was appended, and what to call with the nanoseconds to its reply. */
  private record Waiting(long appendedNanos, Consumer<Long> onReply) {}

  private final Path dir;
  private final WatchService watch;
  private final Map<Path, Map<String, Waiting>> pending = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Throwable failure;

  ReplyWatcher(Path dir) throws IOException {
    this.dir = dir;
    this.watch = FileSystems.getDefault().newWatchService();
    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    thread = new Thread(this::loop, "load-reply-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for the reply to request {@code id} in {@code log}, appended at {@code appendedNanos}; call it before the
   * append. {@code onReply} gets the nanoseconds from the append to the moment the reply was seen, on the watcher's
   * thread.
   */
  void expect(Path log, String id, long appendedNanos, Consumer<Long> onReply) {
    pending.computeIfAbsent(log, p -> new ConcurrentHashMap<>()).put(id, new Waiting(appendedNanos, onReply));
  }

  /** How many requests have no reply seen yet. */
  int unanswered() {
    return pending.values().stream().mapToInt(Map::size).sum();
  }

  /** The ids still unanswered, by log. */
  Map<Path, Set<String>> unansweredIds() {
    Map<Path, Set<String>> out = new ConcurrentHashMap<>();
    pending.forEach((log, ids) -> {
      if (!ids.isEmpty()) {
        out.put(log, Set.copyOf(ids.keySet()));
      }
    });
    return out;
  }

  /** What stopped the watcher, if anything did. */
  Throwable failure() {
    return failure;
  }

  private void loop() {
    long lastRescan = System.nanoTime();
    try {
      while (!closed) {
        Set<Path> dirty = new HashSet<>();
        WatchKey key = watch.poll(100, TimeUnit.MILLISECONDS);
        while (key != null) {
          for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
              dirty.addAll(pending.keySet());
            } else if (!e.context().toString().startsWith(".")) {
              dirty.add(dir.resolve((Path) e.context()));
            }
          }
          key.reset();
          key = watch.poll(); // gather whatever else is queued, so a burst costs one read per log
        }
        if (System.nanoTime() - lastRescan > RESCAN_NANOS) {
          dirty.addAll(pending.keySet());
          lastRescan = System.nanoTime();
        }
        for (Path log : dirty) {
          check(log);
        }
      }
    } catch (ClosedWatchServiceException e) {
      // closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void check(Path log) {
    Map<String, Waiting> ids = pending.get(log);
    if (ids == null || ids.isEmpty()) {
      return;
    }
    String text = LogFile.read(log);
    long now = System.nanoTime();
    for (Map.Entry<String, Waiting> e : ids.entrySet()) {
      if (text.contains(LoadAudit.replyValue(e.getKey())) && ids.remove(e.getKey(), e.getValue())) {
        e.getValue().onReply().accept(now - e.getValue().appendedNanos());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      watch.close();
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

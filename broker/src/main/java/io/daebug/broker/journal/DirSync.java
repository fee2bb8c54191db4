package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes renames in the log folder durable with an fsync of the folder, on its own thread
 * ({@code daebug-dirsync}) and coalesced. The rename itself is atomic when it happens; this fsync only
 * makes it survive a power loss, so it need not delay the reply an agent is waiting for. Requests that
 * arrive while a sync runs are served by one more sync.
 */
public final class DirSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirSync.class);

  private final Path dir;
  private final AtomicBoolean requested = new AtomicBoolean();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "daebug-dirsync");
    t.setDaemon(true);
    return t;
  });

  public DirSync(Path dir) {
    this.dir = dir;
  }

  /** Asks for an fsync of the folder soon. */
  void request() {
    if (requested.compareAndSet(false, true)) {
      try {
        thread.execute(this::sync);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        sync();
      }
    }
  }

  private void sync() {
    requested.set(false);
    now(dir);
  }

  /** Fsyncs a folder on the caller's thread (a file created in it then survives a power loss). */
  static void now(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync folder {}: {}", dir, e.toString());
    }
  }

  /** Runs a last pending sync and stops the thread. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

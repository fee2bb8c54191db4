package io.daebug.broker.journal;

import io.daebug.broker.journal.WriteFaults.Point;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fsyncs a version written {@link Durability#DURABLE_AFTER} through a descriptor of it (so it is that file, even if
 * the log was replaced since), then the folder ({@link DirSync#sync}, shared with every other writer's). A task whose
 * log has a later version handed out for its own fsync only closes its descriptor: that version holds everything
 * this one did, and its task runs after this one (under many jobs in flight, one fsync then serves several
 * writes). Thread-safe: it touches nothing of the log's writer.
 */
public final class PendingSync implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PendingSync.class);
  private final FileChannel channel;
  private final DirSync dirSync;
  private final WriteFaults faults;
  private final AtomicLong lastHandedOut;
  private final long seq;

  /** @param lastHandedOut the log's count of versions handed out for an fsync: this one is the next */
  PendingSync(FileChannel channel, DirSync dirSync, WriteFaults faults, AtomicLong lastHandedOut) {
    this.channel = channel;
    this.dirSync = dirSync;
    this.faults = faults;
    this.lastHandedOut = lastHandedOut;
    this.seq = lastHandedOut.incrementAndGet();
  }

  @Override
  public void run() {
    if (lastHandedOut.get() != seq) {
      close(); // a later version's task makes this one durable with its own
      return;
    }
    try {
      channel.force(true);
    } catch (IOException e) {
      log.warn("cannot fsync a log version: {}", e.toString());
    } finally {
      close();
    }
    dirSync.sync();
    faults.at(Point.SYNCED);
  }

  /** Lets the version go without an fsync (a later version holds it all, or the broker stops). */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was pending on it but the fsync
    }
  }
}

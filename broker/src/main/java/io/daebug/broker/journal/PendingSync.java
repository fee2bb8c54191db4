package io.daebug.broker.journal;

import io.daebug.broker.journal.WriteFaults.Point;
import java.io.IOException;
import java.nio.channels.FileChannel;
import org.slf4j.LoggerFactory;

/**
 * Fsyncs a version written {@link Durability#DURABLE_AFTER} through the channel that wrote it (so it is that file,
 * even if the log was replaced since), then the folder ({@link DirSync#sync}, shared with every other writer's).
 * Thread-safe: it touches nothing of the log's writer.
 */
public final class PendingSync implements Runnable, AutoCloseable {
  private final FileChannel channel;
  private final DirSync dirSync;
  private final WriteFaults faults;

  PendingSync(FileChannel channel, DirSync dirSync, WriteFaults faults) {
    this.channel = channel;
    this.dirSync = dirSync;
    this.faults = faults;
  }

  @Override
  public void run() {
    try {
      channel.force(true);
    } catch (IOException e) {
      LoggerFactory.getLogger(PendingSync.class).warn("cannot fsync a log version: {}", e.toString());
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

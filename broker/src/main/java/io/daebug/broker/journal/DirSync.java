package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes renames in a log folder durable with an fsync of the folder, shared by every log in it: a durable write
 * calls {@link #sync()} after its rename, and one fsync serves every rename made before it started, so writers of
 * different logs that commit at the same moment pay for one folder fsync between them (group commit). Thread-safe.
 */
public final class DirSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirSync.class);

  private final Path dir;
  /** Guards {@link #asked} and {@link #synced}. */
  private final Object state = new Object();
  /** Held while an fsync runs: callers that arrive meanwhile wait for it, then see whether it covered them. */
  private final Object syncing = new Object();
  private long asked;
  private long synced;

  /** The versions the broker wrote last in this folder ({@link OwnVersions}). */
  private final OwnVersions own = new OwnVersions();

  public DirSync(Path dir) {
    this.dir = dir;
  }

  /** What the broker itself wrote last in this folder, to tell its own change events from an agent's. */
  public OwnVersions ownVersions() {
    return own;
  }

  /** Returns once every rename in the folder made before this call is durable (one fsync, or none when shared). */
  void sync() {
    long ticket;
    synchronized (state) {
      ticket = ++asked;
    }
    synchronized (syncing) {
      long upTo;
      synchronized (state) {
        if (synced >= ticket) {
          return; // an fsync that started after this call's rename covered it
        }
        upTo = asked;
      }
      now(dir);
      synchronized (state) {
        synced = upTo;
      }
    }
  }

  /** Fsyncs a folder on the caller's thread (a file created or renamed in it then survives a power loss). */
  static void now(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync folder {}: {}", dir, e.toString());
    }
  }

  /** Nothing to stop: every sync runs on its caller's thread. */
  @Override
  public void close() {}
}

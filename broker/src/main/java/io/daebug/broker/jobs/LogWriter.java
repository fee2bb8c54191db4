package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.journal.PendingSync;
import io.daebug.broker.journal.RealmLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal port of one realm's log: the core hands it what is to change in the log, and it writes that as one
 * {@link RealmLog.Batch} on the journal pool, never on the core. At most one write of a log is in flight; whatever
 * becomes ready meanwhile (replies, placeholders, an accept, events) waits here and goes into the next write as one
 * batch (group commit). Writes of different logs do not wait for each other. A write's end comes back to the core
 * ({@link Scheduler#execute}), where the {@link Owner} acts on what it did and the tasks that waited for it run
 * (telling controllers, starting jobs), in the order they were handed over.
 *
 * <p>Thread confinement: this object lives on the core. The {@link RealmLog} is used only by the write in flight, on
 * a pool thread; the next write is handed to the pool only after the previous one's end ran on the core, so every
 * write happens after the one before it (the executors' hand-offs give the happens-before) and the log needs no
 * lock.
 */
final class LogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

  /** What the core adds to a write and does with its end. Called on the core. */
  interface Owner {
    /**
     * Starts the batch about to be written, before the edits handed over: an earlier broker's placeholders answered,
     * the accept. New placeholders go below the ones the edits find, and above the requests inserted for
     * controllers, in the order of the realm's queue.
     *
     * @param accept whether new requests are to be read from the log; {@code force}: even if it seems unchanged
     */
    void prepare(RealmLog.Batch batch, boolean accept, boolean force);

    /** Ends the batch about to be written with what the core's state says now (the placeholders' statuses). */
    void complete(RealmLog.Batch batch);

    /**
     * A write ended: {@code commit} says what it did, or {@code error} why it failed (then commit is null). Runs
     * before the tasks that waited for the write.
     */
    void written(RealmLog.Commit commit, IOException error, Duration took);
  }

  private final RealmLog log;
  private final Executor pool;
  private final Scheduler core;
  private final Ticker ticker;
  private final Owner owner;
  private List<Consumer<RealmLog.Batch>> edits = new ArrayList<>();
  private List<Consumer<RealmLog.Commit>> after = new ArrayList<>();
  private boolean accept;
  private boolean force;
  private boolean inFlight;
  private boolean scheduled;
  private boolean closeAfter;
  private boolean closed;

  LogWriter(RealmLog log, Executor pool, Scheduler core, Ticker ticker, Owner owner) {
    this.log = log;
    this.pool = pool;
    this.core = core;
    this.ticker = ticker;
    this.owner = owner;
  }

  /**
   * The journal pool: a few daemon threads ({@code daebug-journal-N}) shared by every log. They are never
   * interrupted (the journal's channels are interruptible): shut it down with {@code shutdown()}.
   */
  static ExecutorService pool(int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "daebug-journal-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Adds an edit to the next write; {@code edit} is called on the core when that write is put together. */
  void edit(Consumer<RealmLog.Batch> edit) {
    edits.add(edit);
    kick();
  }

  /**
   * Runs {@code task} on the core once everything handed over before it is in the file: with the write's commit, or
   * with null when it failed.
   */
  void afterWrite(Consumer<RealmLog.Commit> task) {
    after.add(task);
    kick();
  }

  /** Reads the log's new requests in the next write; {@code force}: even if it seems unchanged. */
  void accept(boolean force) {
    accept = true;
    this.force |= force;
    kick();
  }

  /** Writes what the core's state says (placeholder statuses) when it differs from the file. */
  void touch() {
    kick();
  }

  /** Closes the log after the writes handed over so far; nothing is written after. */
  void close() {
    closeAfter = true;
    kick();
  }

  /** Whether nothing is waiting or in flight. */
  boolean idle() {
    return !inFlight && !scheduled && edits.isEmpty() && after.isEmpty() && !accept;
  }

  /** Whether a write is in flight (the next one waits for it). */
  boolean writing() {
    return inFlight;
  }

  private void kick() {
    if (!scheduled && !inFlight && !closed) {
      // after the core task running now (and those queued before): what they hand over goes into this write too
      scheduled = true;
      core.execute(() -> Guard.run("journal write", this::flush));
    }
  }

  private void flush() {
    scheduled = false;
    if (inFlight || closed) {
      return;
    }
    RealmLog.Batch batch = log.batch();
    owner.prepare(batch, accept, force);
    accept = false;
    force = false;
    List<Consumer<RealmLog.Batch>> now = edits;
    edits = new ArrayList<>();
    now.forEach(e -> e.accept(batch));
    owner.complete(batch);
    List<Consumer<RealmLog.Commit>> done = after;
    after = new ArrayList<>();
    boolean closing = closeAfter;
    closed = closing;
    if (batch.isEmpty() && !closing) {
      // nothing to write, and no write in flight: everything handed over before is in the file
      done.forEach(task -> Guard.run("after write", () -> task.accept(RealmLog.Commit.NONE)));
      return;
    }
    inFlight = true;
    try {
      pool.execute(() -> write(batch, done, closing));
    } catch (RejectedExecutionException e) {
      inFlight = false;
      ended(null, new IOException("the broker is shutting down", e), Duration.ZERO, done);
    }
  }

  /** On a journal thread: the one write, then its end handed back to the core. */
  private void write(RealmLog.Batch batch, List<Consumer<RealmLog.Commit>> done, boolean closing) {
    long start = ticker.read();
    RealmLog.Commit commit = null;
    IOException error = null;
    PendingSync sync = null;
    try {
      // output durable, or durable right after its end is acted on (DURABLE_AFTER); a placeholder only visible
      commit = batch.commit(batch.durability());
    } catch (IOException e) {
      error = e;
    } catch (RuntimeException e) {
      LOG.warn("writing {} failed", log.file(), e);
      error = new IOException(e.toString(), e);
    } finally {
      sync = log.takeSync();
    }
    if (closing) {
      log.close();
    }
    Duration took = Duration.ofNanos(ticker.read() - start);
    RealmLog.Commit c = commit;
    IOException err = error;
    core.execute(() -> Guard.run("journal written", () -> {
      inFlight = false;
      ended(c, err, took, done);
    }));
    if (sync != null) {
      // its own task: the version is fsynced after the core tells whoever waited, without holding this log's next
      // write (which holds everything this one did)
      try {
        pool.execute(sync);
      } catch (RejectedExecutionException e) {
        sync.run(); // shutting down: still made durable, on this thread
      }
    }
    log.cleanUp(); // after the end is handed on: nothing waits for it
  }

  private void ended(RealmLog.Commit commit, IOException error, Duration took, List<Consumer<RealmLog.Commit>> done) {
    try {
      owner.written(commit, error, took);
    } finally {
      done.forEach(task -> Guard.run("after write", () -> task.accept(commit)));
      if (!idle()) {
        kick();
      }
    }
  }
}

package io.daebug.broker.jobs;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The broker's core "thread": runs tasks one at a time, in submission order, on the thread that submits
 * them when no other task is running (otherwise the running one picks them up when it is done), in the
 * manner of Jetty's {@code SerializedExecutor}. State confined to the core needs no locks, exactly as
 * with a dedicated thread, but a frame or a file event is handled without a hand-off to another thread;
 * on a busy two-core machine each hand-off (a park and an unpark) costs about a millisecond, and a job
 * crossed three of them. Delayed tasks are timed by one daemon thread ({@code daebug-timer}) and then
 * run like any other task. Threads that may run core tasks must never be interrupted (journal writes use
 * interruptible channels).
 *
 * <p>A borrowed thread drains for at most {@link #SLICE_NANOS} and then hands the queue to the core's own
 * thread ({@code daebug-core}), which drains for as long as tasks keep coming. Without that, under sustained
 * load the first thread that found the core idle (a Jetty thread reading one connection, the watcher, the
 * timer) stayed in it for as long as other threads kept submitting, and its own connection or duty was not
 * served meanwhile: a realm's results went unread until the load stopped (found by {@code LoadIT}).
 *
 * <p>Each task's run time is reported to an observer ({@code daebug_core_task_seconds}): every realm waits while a
 * task runs, so the longest tasks are the longest stalls one client's work can cause the others.
 */
public final class SerialExecutor extends AbstractExecutorService implements ScheduledExecutorService {
  /** How long a borrowed thread drains before it hands the rest of the queue to {@code daebug-core}. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor relay;
  private volatile Thread relayThread;
  private volatile boolean shutdown;
  private final LongSupplier nanoTime;
  private final LongConsumer taskRan;

  /** A core that reports nothing about its tasks. */
  public SerialExecutor() {
    this(System::nanoTime, nanos -> {});
  }

  /**
   * @param nanoTime the monotonic clock that times each task and a borrowed thread's slice
   * @param taskRan told each task's run time in nanoseconds, on the thread that ran it, right after; must be cheap
   */
  public SerialExecutor(LongSupplier nanoTime, LongConsumer taskRan) {
    this.nanoTime = nanoTime;
    this.taskRan = taskRan;
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "daebug-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    relay = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "daebug-core");
      t.setDaemon(true);
      relayThread = t;
      return t;
    });
  }

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("the broker's core is shut down");
    }
    tasks.add(task);
    drain();
  }

  /**
   * Runs queued tasks on this thread unless another thread is already doing so; a thread other than
   * {@code daebug-core} hands what is left after {@link #SLICE_NANOS} to {@code daebug-core}.
   */
  private void drain() {
    boolean borrowed = Thread.currentThread() != relayThread;
    while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
      boolean sliceOver = false;
      try {
        long start = nanoTime.getAsLong();
        long taskStart = start;
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
          }
          long now = nanoTime.getAsLong();
          taskRan.accept(now - taskStart);
          taskStart = now;
          if (borrowed && now - start > SLICE_NANOS && !tasks.isEmpty()) {
            sliceOver = true;
            break;
          }
        }
      } finally {
        running.set(false);
      }
      // released before the hand-off, so daebug-core (or a thread submitting meanwhile) can take the queue
      if (sliceOver && handOff()) {
        return;
      }
    }
  }

  private boolean handOff() {
    try {
      relay.execute(this::drain);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // shutting down: this thread goes on draining
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return timer.schedule(() -> execute(command), delay, unit);
  }

  /** Runs the callable as a core task after the delay; the timer thread waits for that task's turn. */
  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return timer.schedule(() -> {
      FutureTask<V> task = new FutureTask<>(callable);
      execute(task);
      return task.get();
    }, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return timer.scheduleAtFixedRate(() -> execute(command), initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
      TimeUnit unit) {
    return timer.scheduleWithFixedDelay(() -> execute(command), initialDelay, delay, unit);
  }

  @Override
  public void shutdown() {
    shutdown = true;
    timer.shutdown();
    relay.shutdown();
  }

  /**
   * Like {@link #shutdown()}, and drops queued tasks. Never interrupts: the timer thread may be running
   * core tasks, and an interrupt would close the FileChannel of a journal write half-way.
   */
  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    timer.shutdown();
    relay.shutdown();
    List<Runnable> left = List.copyOf(tasks);
    tasks.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && timer.isTerminated() && relay.isTerminated() && !running.get();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    return timer.awaitTermination(timeout, unit)
        && relay.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}

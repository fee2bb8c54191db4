package io.daebug.broker.jobs;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker's core "thread": runs tasks one at a time, in submission order, on the thread that submits
 * them when no other task is running (otherwise the running one picks them up when it is done), in the
 * manner of Jetty's {@code SerializedExecutor}. State confined to the core needs no locks, exactly as
 * with a dedicated thread, but a frame or a file event is handled without a hand-off to another thread;
 * on a busy two-core machine each hand-off (a park and an unpark) costs about a millisecond, and a job
 * crossed three of them. Delayed tasks are timed by one daemon thread ({@code daebug-timer}) and then
 * run like any other task. Threads that may run core tasks must never be interrupted (journal writes use
 * interruptible channels).
 */
public final class SerialExecutor extends AbstractExecutorService implements ScheduledExecutorService {
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor timer;
  private volatile boolean shutdown;

  public SerialExecutor() {
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "daebug-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("the broker's core is shut down");
    }
    tasks.add(task);
    drain();
  }

  /** Runs queued tasks on this thread unless another thread is already doing so. */
  private void drain() {
    while (!tasks.isEmpty() && running.compareAndSet(false, true)) {
      try {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException | Error e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
          }
        }
      } finally {
        running.set(false);
      }
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
  }

  /**
   * Like {@link #shutdown()}, and drops queued tasks. Never interrupts: the timer thread may be running
   * core tasks, and an interrupt would close the FileChannel of a journal write half-way.
   */
  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    timer.shutdown();
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
    return shutdown && timer.isTerminated() && !running.get();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return timer.awaitTermination(timeout, unit);
  }
}

package io.daebug.broker.jobs;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the core runs work: soon (after the task running now) or after a delay. The job state machine
 * ({@link JobRunner}) schedules all its timers (timeouts, status refreshes, background batches, the settle wait)
 * through this, so its tests drive time by hand with a fake ticker and a fake scheduler, with no real time.
 */
public interface Scheduler {
  /** A scheduled task that can be called off. */
  interface Timer {
    void cancel();
  }

  /** Runs {@code task} on the core after the task running now. */
  void execute(Runnable task);

  /** Runs {@code task} on the core once, {@code delay} from now. */
  Timer schedule(Runnable task, Duration delay);

  /** Runs {@code task} on the core every {@code period}, the first time {@code period} from now. */
  Timer every(Runnable task, Duration period);

  /** The broker's own: the core executor's timer. */
  static Scheduler of(ScheduledExecutorService core) {
    return new Scheduler() {
      @Override
      public void execute(Runnable task) {
        core.execute(task);
      }

      @Override
      public Timer schedule(Runnable task, Duration delay) {
        return timer(core.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
      }

      @Override
      public Timer every(Runnable task, Duration period) {
        long nanos = period.toNanos();
        return timer(core.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS));
      }

      private Timer timer(ScheduledFuture<?> f) {
        return () -> f.cancel(false);
      }
    };
  }
}

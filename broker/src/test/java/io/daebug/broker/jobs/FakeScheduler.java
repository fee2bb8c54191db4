package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Time by hand for the job state machine: a ticker that moves only in {@link #advance}, and a scheduler whose tasks
 * run on the test's thread when their time comes. {@link Scheduler#execute} tasks run at the next {@link #runDue}
 * or {@link #advance}, after the current call, as on the broker's serial core.
 */
final class FakeScheduler implements Scheduler, Ticker {
  private final class Task implements Timer {
    final Runnable body;
    final long period;
    final long seq = next++;
    long due;
    boolean cancelled;

    Task(Runnable body, long due, long period) {
      this.body = body;
      this.due = due;
      this.period = period;
    }

    @Override
    public void cancel() {
      cancelled = true;
      tasks.remove(this);
    }
  }

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));
  private long now = 1_000_000_000L;
  private long next;

  @Override
  public long read() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(new Task(task, now, 0));
  }

  @Override
  public Timer schedule(Runnable task, Duration delay) {
    Task t = new Task(task, now + delay.toNanos(), 0);
    tasks.add(t);
    return t;
  }

  @Override
  public Timer every(Runnable task, Duration period) {
    Task t = new Task(task, now + period.toNanos(), period.toNanos());
    tasks.add(t);
    return t;
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way, at its own time. */
  void advance(Duration d) {
    long until = now + d.toNanos();
    while (!tasks.isEmpty() && tasks.peek().due <= until) {
      Task t = tasks.poll();
      now = Math.max(now, t.due);
      if (t.period > 0) {
        t.due += t.period;
        tasks.add(t);
      }
      t.body.run();
    }
    now = until;
  }

  /** Runs the tasks due now (those handed to {@link #execute} included). */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Tasks waiting (cancelled ones are gone). */
  int pending() {
    return tasks.size();
  }
}

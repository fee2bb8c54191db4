package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final SerialExecutor core = new SerialExecutor();

  @AfterEach
  void stop() {
    core.shutdownNow();
  }

  @Test
  void anIdleExecutorRunsTheTaskOnTheSubmittingThread() {
    List<Thread> ran = new ArrayList<>();
    core.execute(() -> ran.add(Thread.currentThread()));
    assertThat(ran).containsExactly(Thread.currentThread());
  }

  @Test
  void aTaskSubmittedFromATaskRunsAfterItNotInsideIt() {
    // synchronized, and awaited: on a busy machine the borrowed thread's 5 ms slice can end after the outer task,
    // and the inner one then runs on daebug-core, after execute returned here
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    core.execute(() -> {
      order.add("outer start");
      core.execute(() -> order.add("inner"));
      order.add("outer end");
    });
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(order).containsExactly("outer start", "outer end", "inner"));
  }

  @Test
  void tasksFromManyThreadsNeverOverlapAndAllRun() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    int threads = 8;
    int perThread = 2000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      Thread w = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          int n = base + i;
          core.execute(() -> {
            if (inside.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            done.add(n);
            inside.decrementAndGet();
          });
        }
      });
      w.start();
      workers.add(w);
    }
    go.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(30));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == threads * perThread);
    assertThat(overlaps).hasValue(0);
    assertThat(done).doesNotHaveDuplicates();
  }

  @Test
  void delayedTasksRunThroughTheSameSerialQueue() {
    AtomicInteger ran = new AtomicInteger();
    core.schedule(ran::incrementAndGet, 10, TimeUnit.MILLISECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1);
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() {
    // synchronized and awaited, as above: "next" may run on daebug-core once the borrowed thread's slice ended
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> order.add("reported " + e.getMessage()));
    try {
      core.execute(() -> {
        core.execute(() -> order.add("next"));
        throw new IllegalStateException("boom");
      });
    } finally {
      Thread.currentThread().setUncaughtExceptionHandler(previous);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(order).containsExactly("reported boom", "next"));
  }

  @Test
  void eachTaskIsTimedOnTheGivenClock() {
    long[] now = {1_000};
    List<Long> took = Collections.synchronizedList(new ArrayList<>());
    SerialExecutor timed = new SerialExecutor(() -> now[0], took::add);
    Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {});
    try {
      timed.execute(() -> now[0] += 7_000_000);
      timed.execute(() -> {});
      timed.execute(() -> {
        now[0] += 3;
        throw new IllegalStateException("a failing task is timed too");
      });
    } finally {
      Thread.currentThread().setUncaughtExceptionHandler(previous);
      timed.shutdownNow();
    }
    assertThat(took).containsExactly(7_000_000L, 0L, 3L);
  }

  /**
   * Regression (found by {@code LoadIT}/{@code LoadBench}): the thread that found the core idle went on running
   * every task other threads submitted for as long as they kept coming. Under load that thread, a Jetty thread
   * reading one realm's socket, stayed in the core for the whole run: that realm's result frames were not read
   * until the load stopped, so its job timed out after 60 s and its background events piled up. A thread borrowed
   * from a connection must give the queue back (to the core's own thread) after a short slice.
   */
  @Test
  void aSubmitterIsNotKeptDrainingWhileOthersKeepSubmitting() throws Exception {
    AtomicBoolean returned = new AtomicBoolean();
    AtomicBoolean feederGaveUp = new AtomicBoolean();
    AtomicBoolean feederDone = new AtomicBoolean();
    AtomicInteger submitted = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    AtomicReference<Thread> feederThread = new AtomicReference<>();
    // task k ends only once task k + 1 is queued, so the queue is never empty while the feeder feeds (a task the
    // feeder itself runs does not wait for it)
    Runnable task = () -> {
      int me = started.incrementAndGet();
      while (submitted.get() <= me && !feederDone.get() && Thread.currentThread() != feederThread.get()) {
        LockSupport.parkNanos(10_000);
      }
      ran.incrementAndGet();
    };
    Thread feeder = new Thread(() -> {
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!returned.get()) {
        if (System.nanoTime() > giveUp) {
          feederGaveUp.set(true);
          break;
        }
        if (submitted.get() <= started.get() + 1) {
          core.execute(task);
          submitted.incrementAndGet();
        } else {
          LockSupport.parkNanos(10_000);
        }
      }
      feederDone.set(true);
    }, "feeder");
    feederThread.set(feeder);
    core.execute(() -> {
      feeder.start();
      while (submitted.get() == 0) { // the queue is not empty when this task ends: this thread goes on draining
        LockSupport.parkNanos(10_000);
      }
    });
    returned.set(true);
    feeder.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(feederGaveUp).as("execute() returned only once the other thread stopped submitting").isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == submitted.get());
  }

  @Test
  void aShutDownExecutorRefusesWork() {
    core.shutdown();
    assertThatThrownBy(() -> core.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }
}

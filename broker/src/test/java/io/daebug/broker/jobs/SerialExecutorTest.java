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
import java.util.concurrent.atomic.AtomicInteger;
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
    List<String> order = new ArrayList<>();
    core.execute(() -> {
      order.add("outer start");
      core.execute(() -> order.add("inner"));
      order.add("outer end");
    });
    assertThat(order).containsExactly("outer start", "outer end", "inner");
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
    List<String> order = new ArrayList<>();
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
    assertThat(order).containsExactly("reported boom", "next");
  }

  @Test
  void aShutDownExecutorRefusesWork() {
    core.shutdown();
    assertThatThrownBy(() -> core.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }
}

package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 12, item 9: a connection that never says hello is closed after the hello timeout (a fake ticker). */
class HelloDeadlinesTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final HelloDeadlines deadlines = new HelloDeadlines(now::get, Duration.ofSeconds(10));
  private final List<String> closed = new ArrayList<>();

  @Test
  void closesOnlyWhatWaitedTheWholeTimeout() {
    deadlines.opened("a", () -> closed.add("a"));
    advance(Duration.ofSeconds(4));
    deadlines.opened("b", () -> closed.add("b"));
    deadlines.opened("c", () -> closed.add("c"));
    advance(Duration.ofMillis(5_999));
    assertThat(deadlines.closeExpired()).isZero();
    advance(Duration.ofMillis(1));
    assertThat(deadlines.closeExpired()).isEqualTo(1);
    assertThat(closed).containsExactly("a");
    deadlines.settled("b"); // said hello
    advance(Duration.ofSeconds(4));
    assertThat(deadlines.closeExpired()).isEqualTo(1);
    assertThat(closed).containsExactly("a", "c");
    assertThat(deadlines.size()).isZero();
  }

  @Test
  void aConnectionThatGreetedOrClosedIsNeverClosedByIt() {
    deadlines.opened("a", () -> closed.add("a"));
    deadlines.settled("a");
    advance(Duration.ofMinutes(5));
    assertThat(deadlines.closeExpired()).isZero();
    assertThat(closed).isEmpty();
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }
}

package io.daebug.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** A generator that always returns the same fraction. */
  private static RandomGenerator fixed(double fraction) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public double nextDouble() {
        return fraction;
      }
    };
  }

  @Test
  void doublesUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), fixed(1.0));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(400));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(800));
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void jitterKeepsEachDelayBetweenHalfAndAllOfItsStep() {
    Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), fixed(0.0));
    assertThat(low.next()).isEqualTo(Duration.ofMillis(50));
    assertThat(low.next()).isEqualTo(Duration.ofMillis(100));
    Backoff random = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), RandomGenerator.getDefault());
    for (int i = 0; i < 50; i++) {
      random.reset();
      assertThat(random.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }
  }

  @Test
  void resetStartsOver() {
    Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), fixed(1.0));
    b.next();
    b.next();
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(10));
  }
}

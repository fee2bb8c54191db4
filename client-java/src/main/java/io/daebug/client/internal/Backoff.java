package io.daebug.client.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from {@code initial} up to {@code max}, with "equal jitter" (each delay
 * is uniformly between half and all of its exponential step), so clients of a restarted broker do not
 * all come back at the same instant. Not thread-safe (used on the client's thread only).
 */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private final RandomGenerator random;
  private int failures;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  Duration next() {
    long step = failures >= 62 ? maxNanos : Math.min(maxNanos, initialNanos << Math.min(failures, 62));
    if (step <= 0 || step > maxNanos) {
      step = maxNanos;
    }
    failures++;
    long half = step / 2;
    return Duration.ofNanos(half + (long) (random.nextDouble() * (step - half)));
  }

  /** After a successful connection, the next delay is the initial one again. */
  void reset() {
    failures = 0;
  }
}

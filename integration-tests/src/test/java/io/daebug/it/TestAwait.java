package io.daebug.it;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The one way these tests wait: Awaitility with a preset ceiling and a short poll interval
 * (Caffeine's {@code Awaits.await()}). No {@code Thread.sleep}, no retries.
 */
final class TestAwait {
  /** Generous: a cold headless Chromium on a 2-core CI box can take several seconds to connect. */
  static final Duration AT_MOST = Duration.ofSeconds(30);
  static final Duration POLL = Duration.ofMillis(20);

  private TestAwait() {}

  static ConditionFactory await() {
    return await(AT_MOST);
  }

  static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(POLL);
  }
}

package io.daebug.broker.transport.ws;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The one way these tests wait: Awaitility with a preset limit and a short poll (Caffeine's {@code Awaits}). */
final class TestAwait {
  static final Duration AT_MOST = Duration.ofSeconds(5);
  static final Duration POLL = Duration.ofMillis(20);

  private TestAwait() {}

  static ConditionFactory await() {
    return await(AT_MOST);
  }

  static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(POLL).pollDelay(Duration.ZERO)
        .ignoreExceptions();
  }
}

package io.daebug.client.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The one way these tests wait: Awaitility with a preset limit and a short poll (Caffeine's {@code Awaits}). */
public final class TestAwait {
  /** The longest any single condition may take. */
  public static final Duration AT_MOST = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(10);

  private TestAwait() {}

  /** A condition factory with the preset limit. */
  public static ConditionFactory await() {
    return await(AT_MOST);
  }

  /** A condition factory with another limit. */
  public static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(POLL).pollDelay(Duration.ZERO).ignoreExceptions();
  }
}

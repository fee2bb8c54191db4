package io.daebug.client.realm;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The one way these tests wait: Awaitility with a preset limit and a short poll. The limit is generous
 * because a realm's first job compiles with a cold javac (seconds on a busy machine).
 */
public final class TestAwait {
  public static final Duration AT_MOST = Duration.ofSeconds(60);
  public static final Duration POLL = Duration.ofMillis(20);

  private TestAwait() {}

  public static ConditionFactory await() {
    return await(AT_MOST);
  }

  public static ConditionFactory await(Duration atMost) {
    return Awaitility.await().atMost(atMost).pollInterval(POLL).pollDelay(Duration.ZERO).ignoreExceptions();
  }
}

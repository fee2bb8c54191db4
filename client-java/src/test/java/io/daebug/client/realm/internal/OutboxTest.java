package io.daebug.client.realm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxTest {
  @Test
  void pastTheLimitTheOldestEventIsDroppedNeverAResult() {
    Outbox outbox = new Outbox();
    outbox.add(new Outbox.Frame("result", "j-1", 1));
    for (int i = 0; i < Outbox.MAX_FRAMES; i++) {
      outbox.add(new Outbox.Frame("event " + i, null, 1));
    }
    assertThat(outbox.size()).isEqualTo(Outbox.MAX_FRAMES);
    assertThat(outbox.takeDropped()).isEqualTo(1);
    assertThat(outbox.takeDropped()).isZero();
    Outbox.Frame first = outbox.peek();
    assertThat(first.json()).isEqualTo("result");
    outbox.sent(first);
    assertThat(outbox.peek().json()).isEqualTo("event 1");
  }

  @Test
  void resultsFromEarlierConnectionsAreFoundAndDroppedById() {
    Outbox outbox = new Outbox();
    outbox.add(new Outbox.Frame("old j-1", "j-1", 1));
    outbox.add(new Outbox.Frame("old j-2", "j-2", 1));
    outbox.add(new Outbox.Frame("new j-3", "j-3", 2));
    assertThat(outbox.hasResultsBefore(2)).isTrue();
    assertThat(outbox.hasResultsBefore(1)).isFalse();
    assertThat(outbox.dropResultsBefore(2, "j-1")).extracting(Outbox.Frame::json).containsExactly("old j-1");
    assertThat(outbox.dropResultsBefore(2, "j-3")).isEmpty();
    assertThat(outbox.peek().json()).isEqualTo("old j-2");
  }

  @Test
  void backoffDoublesUpToTheCapWithJitter() {
    Duration first = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(2);
    assertThat(WsLink.backoff(first, max, 0)).isBetween(70L, 130L);
    assertThat(WsLink.backoff(first, max, 3)).isBetween(560L, 1040L);
    assertThat(WsLink.backoff(first, max, 40)).isBetween(1400L, 2600L);
  }
}

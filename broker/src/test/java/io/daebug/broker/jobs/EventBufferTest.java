package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.journal.EventSpill;
import io.daebug.broker.journal.Events;
import io.daebug.broker.journal.JournalEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer keeps the display rule's events in memory and hands every other one to the side file: none is lost. */
class EventBufferTest {
  @TempDir
  Path dir;

  private int spills;

  private EventBuffer buffer(String name) {
    return new EventBuffer(() -> {
      spills++;
      return new EventSpill(dir.resolve("app.md"), "app", name, "test");
    });
  }

  @Test
  void tenOrFewerEventsAreAllKeptAndNoSideFileIsMade() {
    EventBuffer b = buffer("j-1");
    for (int i = 1; i <= 10; i++) {
      b.add(event(i));
    }
    Events e = b.take();
    assertThat(e.kept()).extracting(JournalEvent::text).containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7",
        "e8", "e9", "e10");
    assertThat(e.omitted()).isZero();
    assertThat(e.sideFile()).isNull();
    assertThat(spills).isZero();
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void everyEventBetweenTheFirstTwoAndTheLastEightIsInTheSideFileInOrder() throws Exception {
    EventBuffer b = buffer("j-2");
    int total = 25_000;
    for (int i = 1; i <= total; i++) {
      b.add(event(i));
    }
    Events e = b.take();

    assertThat(e.kept()).extracting(JournalEvent::text).containsExactly("e1", "e2", "e24993", "e24994", "e24995",
        "e24996", "e24997", "e24998", "e24999", "e25000");
    assertThat(e.omitted()).isEqualTo(total - 10);
    assertThat(e.sideFile()).isEqualTo("app.events/j-2.md");
    Matcher m = Pattern.compile("\n10:00:00 e(\\d+)\n").matcher(Files.readString(dir.resolve(e.sideFile())));
    int next = 3;
    while (m.find()) {
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(next++);
    }
    assertThat(next).isEqualTo(total - 8 + 1);
    assertThat(spills).isEqualTo(1);
  }

  @Test
  void takeStartsANewBlockWithItsOwnSideFile() throws Exception {
    EventBuffer b = new EventBuffer(() -> new EventSpill(dir.resolve("app.md"), "app", "background-x", "test"));
    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 11; i++) {
        b.add(event(i));
      }
      Events e = b.take();
      assertThat(e.omitted()).isEqualTo(1);
      assertThat(e.sideFile()).isEqualTo(round == 0 ? "app.events/background-x.md" : "app.events/background-x-1.md");
      assertThat(Files.readString(dir.resolve(e.sideFile()))).contains("\n10:00:00 e3\n").doesNotContain(" e4\n");
    }
  }

  private static JournalEvent event(int i) {
    return new JournalEvent("log", "10:00:00", "e" + i);
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side file of omitted events holds every event it was given, whole and in order, rendered as the log does. */
class EventSpillTest {
  @TempDir
  Path dir;

  @Test
  void holdsEveryEventWholeAndInOrderAcrossBufferFlushes() throws Exception {
    Path log = dir.resolve("app.md");
    EventSpill spill = new EventSpill(log, "app", "j-ab12-7", "The reply to job j-ab12-7 (agent)");
    List<String> expected = new ArrayList<>();
    String big = "x".repeat(3000) + "\n```\nnot a fence end";
    int n = 2 * EventSpill.BUFFER_CHARS / 1000; // several flushes of the buffer
    for (int i = 0; i < n; i++) {
      JournalEvent e = new JournalEvent(i % 3 == 0 ? "error" : "log", "10:00:00", "event " + i + " " + big);
      spill.add(e);
      expected.addAll(Replies.event(e));
    }

    assertThat(spill.count()).isEqualTo(n);
    assertThat(spill.finish()).isEqualTo("app.events/j-ab12-7.md");
    String text = Files.readString(dir.resolve("app.events/j-ab12-7.md"));
    assertThat(text).startsWith("# Events omitted from app.md\n\nThe reply to job j-ab12-7 (agent): every event");
    assertThat(text).endsWith(String.join("\n", expected) + "\n");
    assertThat(new ReferenceMarkdown(text).fences).allMatch(ReferenceMarkdown.Fence::closed);
  }

  @Test
  void aNameTakenAlreadyGetsASuffixAndNothingIsOverwritten() throws Exception {
    Path log = dir.resolve("app.md");
    Files.createDirectories(dir.resolve("app.events"));
    Files.writeString(dir.resolve("app.events/background-20261207-101502.md"), "earlier");
    EventSpill spill = new EventSpill(log, "app", "background-20261207-101502", "A background block");
    spill.add(new JournalEvent("log", "10:15:02", "one"));

    assertThat(spill.finish()).isEqualTo("app.events/background-20261207-101502-1.md");
    assertThat(Files.readString(dir.resolve("app.events/background-20261207-101502.md"))).isEqualTo("earlier");
    assertThat(Files.readString(dir.resolve("app.events/background-20261207-101502-1.md"))).contains("10:15:02 one");
  }

  @Test
  void aFolderThatIsALinkOutOfTheRootIsNeverWrittenThrough() throws Exception {
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Path logs = Files.createDirectory(dir.resolve("daebug"));
    Files.createSymbolicLink(logs.resolve("app.events"), outside);
    EventSpill spill = new EventSpill(logs.resolve("app.md"), "app", "j-1", "t");
    for (int i = 0; i < 3000; i++) {
      spill.add(new JournalEvent("log", "10:00:00", "secret " + i + " " + "x".repeat(40)));
    }

    assertThat(spill.finish()).as("no link to a side file that was not written").isNull();
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void noEventsNoFile() {
    EventSpill spill = new EventSpill(dir.resolve("app.md"), "app", "j-1", "t");
    assertThat(spill.finish()).isNull();
    assertThat(dir.resolve("app.events")).doesNotExist();
  }

  @Test
  void theLogLinksTheSideFileRightAfterTheLastKeptEventAndKeepsTheOmissionLineExact() {
    List<JournalEvent> kept = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      kept.add(new JournalEvent("log", "10:00:00", "e" + i));
    }
    List<String> lines = Replies.events(new Events(kept, 5, "app.events/j-1.md"));
    assertThat(lines).contains("... (5 more background events omitted) ...");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("Omitted events: [app.events/j-1.md](app.events/j-1.md)");
    assertThat(lines.get(lines.size() - 2)).isEqualTo("```");
    assertThat(lines.get(lines.size() - 3)).isEqualTo("10:00:00 e10");
    assertThat(Replies.isEventsLink(lines.get(lines.size() - 1))).isTrue();
  }
}

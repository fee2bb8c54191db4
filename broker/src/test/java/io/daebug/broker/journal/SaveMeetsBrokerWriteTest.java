package io.daebug.broker.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's save in place (truncate, then write the whole file) that meets a broker write, in the instant between
 * the broker's check that the log is the version it read and its rename (docs/journal-format.md, "Instants no one can
 * close"). Neither the broker's write nor the agent's second save may corrupt the log.
 *
 * <p>Regressions (ConcurrentEditsTest, seed -5596881314259601808): the broker took the last bytes a replaced version
 * must keep for its growth to count as an append ({@link Orphans}) from that version after the rename, so from the
 * agent's save into it, and carried the end of the save over as if appended; once the agent saved again, as the merge
 * rule tells it to, the log held the end of the save twice. And a save that shortened the log between the broker's read
 * and its check made the broker's write fail.
 */
class SaveMeetsBrokerWriteTest {
  @TempDir Path dir;

  /**
   * The agent: its first save rewrites the log through a descriptor opened before the broker's rename, right after
   * it; its second lands while the broker's next write (if any) is under way, between that write's read and check.
   */
  private static final class Agent implements WriteFaults {
    final Path file;
    byte[] saved;
    FileChannel first;
    boolean savedAgain;

    Agent(Path file) {
      this.file = file;
    }

    @Override
    public void at(Point point) {
      try {
        if (point == Point.RENAMED && first != null) {
          try (FileChannel ch = first) {
            first = null;
            ch.truncate(0);
            write(ch);
          }
        } else if (point == Point.TEMP_WRITTEN && first == null && saved != null && !savedAgain) {
          saveAgain();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void saveAgain() throws IOException {
      savedAgain = true;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        write(ch);
      }
    }

    private void write(FileChannel ch) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(saved);
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
    }
  }

  @Test
  void aSaveThatShortensTheLogWhileTheBrokerWritesMakesTheWriteStartAgain() throws Exception {
    // The broker's write carries a short append over from a replaced version; the agent's save in place, made between
    // the write's read and its check, shortens the log. Before the fix, the write failed (an
    // ArrayIndexOutOfBoundsException reading the new version's last bytes from the shorter log).
    Path file = dir.resolve("app.md");
    String[] saved = new String[1];
    boolean[] armed = {false};
    WriteFaults shortenAtTempWritten = new WriteFaults() {
      @Override
      public void at(Point point) {
        if (point == Point.TEMP_WRITTEN && armed[0] && saved[0] == null) {
          try {
            saved[0] = Files.readString(file, UTF_8).replaceFirst("(?s)\\n.*\\n-{10}", "\\ntop-m1\\n----------");
            Files.writeString(file, saved[0], UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, "app", "javascript", 64 * 1024, sync,
        new WriteOptions(WriteOptions.DEFAULT_HISTORY_ABOVE, shortenAtTempWritten))) {
      log.create();
      log.peek("10:00:00", 0, true, List.of());
      try (java.io.FileOutputStream held = new java.io.FileOutputStream(file.toFile(), true)) {
        log.batch().background("10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "tick")), 0)).commit();
        held.write("p-m2\n".getBytes(UTF_8)); // into the version the broker just replaced
      }
      armed[0] = true;
      assertThat(log.recoverOrphans()).isTrue();

      String text = Files.readString(file, UTF_8);
      assertThat(saved[0]).as("the save was made").isNotNull();
      assertThat(text).as("the save, with the carried append").startsWith(saved[0]).endsWith("p-m2\n");
    }
  }

  @Test
  void aSaveInPlaceThatRewroteTheReplacedVersionIsNotCarriedOverFromIt() throws Exception {
    Path file = dir.resolve("app.md");
    Agent agent = new Agent(file);
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, "app", "javascript", 64 * 1024, sync,
        new WriteOptions(WriteOptions.DEFAULT_HISTORY_ABOVE, agent))) {
      log.create();
      log.peek("10:00:00", 0, true, List.of());
      String read = Files.readString(file, UTF_8);
      String saved = read.replaceFirst("\n", "\ntop-m1\n") + "```js\n'm2'\n```\np-m2\n";
      agent.first = FileChannel.open(file, StandardOpenOption.WRITE);
      agent.saved = saved.getBytes(UTF_8);

      log.batch().background("10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "tick")), 0)).commit();
      assertThat(agent.first).as("the first save was made").isNull();
      if (!agent.savedAgain) {
        agent.saveAgain();
      }
      log.recoverOrphans();
      log.peek("10:00:02", 0, true, List.of());

      String text = Files.readString(file, UTF_8);
      for (String line : List.of("top-m1", "'m2'", "p-m2")) {
        assertThat(Arrays.stream(text.split("\n")).filter(line::equals)).as("copies of " + line + " in\n" + text)
            .hasSize(1);
      }
      assertThat(text).as("the agent's save, whole").isEqualTo(saved);
    }
  }
}

package io.daebug.broker.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: an agent's request appended just before a broker write (a background block, a status refresh)
 * was carried into the new file by the write, which then counted as "seen"; when the watcher's event for the
 * append was handled after the write, the log looked unchanged and the request never ran.
 */
class AppendMergedByBrokerWriteTest {
  @TempDir Path dir;

  @Test
  void aWriteThatCarriesUnreadTextLeavesTheLogMarkedChanged() throws Exception {
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(dir.resolve("app.md"), "app", "javascript",
        64 * 1024, sync)) {
      log.create();
      assertThat(log.peek("10:00:00", 0, true, List.of())).isEmpty();
      assertThat(log.changedSinceLastSeen()).isFalse();

      Files.writeString(dir.resolve("app.md"), "```js\n1 + 1\n```\n", UTF_8, StandardOpenOption.APPEND);
      log.batch().background("10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "tick")), 0)).commit();

      assertThat(log.mergedUnseen()).isTrue();
      assertThat(log.changedSinceLastSeen()).isTrue();
      assertThat(log.peek("10:00:02", 0, true, List.of())).extracting(RealmLog.Request::code).containsExactly("1 + 1");
      assertThat(log.mergedUnseen()).isFalse();
    }
  }

  @Test
  void theBrokersOwnWritesAloneDoNotMarkTheLogChanged() throws Exception {
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(dir.resolve("app.md"), "app", "javascript",
        64 * 1024, sync)) {
      log.create();
      log.peek("10:00:00", 0, true, List.of());
      log.batch().background("10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "one")), 0)).commit();
      log.batch().background("10:00:02", Events.of(List.of(new JournalEvent("log", "10:00:02", "two")), 0)).commit();
      assertThat(log.mergedUnseen()).isFalse();
      assertThat(log.changedSinceLastSeen()).isFalse();
    }
  }

  @Test
  void textAppendedToAReplacedVersionGoesBeforeWhatWasAppendedToTheNewOne() throws Exception {
    // A writer that appends in several opens (a script's >> lines): the first open raced the broker's rename, so its
    // text went into the version just replaced; the second went into the new one. Order as written.
    Path file = dir.resolve("app.md");
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, "app", "javascript", 64 * 1024, sync)) {
      log.create();
      log.peek("10:00:00", 0, true, List.of());
      try (java.io.FileOutputStream first = new java.io.FileOutputStream(file.toFile(), true)) {
        log.batch().background("10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "tick")), 0)).commit();
        first.write("```js\n1 +".getBytes(UTF_8));
      }
      Files.writeString(file, " 1\n```\n", UTF_8, StandardOpenOption.APPEND);
      assertThat(log.recoverOrphans()).isTrue();
      assertThat(Files.readString(file)).endsWith(JournalFormat.footer("javascript") + "```js\n1 + 1\n```\n");
      assertThat(log.peek("10:00:02", 0, true, List.of())).extracting(RealmLog.Request::code).containsExactly("1 + 1");
    }
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change events of the broker's own writes are told from an agent's ({@link OwnVersions}). */
class OwnVersionsTest {
  @TempDir
  Path root;

  private static AtomicFiles.Stamp write(Path f, String tail, DirSync sync, Orphans orphans) throws Exception {
    byte[] all = Files.readAllBytes(f);
    return new TailWriter(f, sync, orphans, WriteFaults.NONE).write(AtomicFiles.Stamp.of(f), all.length, 0,
        tail.getBytes(StandardCharsets.UTF_8), Durability.VISIBLE);
  }

  @Test
  void aLogIsTheBrokersOwnUntilSomeoneElseChangesIt() throws Exception {
    Path dir = Files.createDirectories(root.resolve("daebug"));
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    try (DirSync sync = new DirSync(dir); Orphans orphans = new Orphans()) {
      OwnVersions own = sync.ownVersions();
      assertThat(own.isOwn(f)).as("never written by the broker").isFalse();
      write(f, "broker\n", sync, orphans);
      assertThat(own.isOwn(f)).as("just written by the broker").isTrue();
      Files.writeString(f, "agent\n", StandardOpenOption.APPEND);
      assertThat(own.isOwn(f)).as("appended to by an agent").isFalse();
      write(f, "broker again\n", sync, orphans);
      assertThat(own.isOwn(f)).isTrue();
      // An editor's save: a new file renamed over the log, the same text.
      Path saved = dir.resolve(".a.md.editor");
      Files.write(saved, Files.readAllBytes(f));
      Files.move(saved, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(own.isOwn(f)).as("replaced by an editor with the same text").isFalse();
      Files.delete(f);
      assertThat(own.isOwn(f)).as("deleted").isFalse();
    }
  }

  /** Starts {@code watcher} and returns once it runs: a write to {@code marker} was reported. */
  private static void running(JournalWatcher watcher, Path marker, List<String> changed) throws Exception {
    watcher.start();
    Files.writeString(marker, "first\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("marker.md"));
  }

  /** A watcher of {@link #root} that records the logs it reports changed. */
  private JournalWatcher watcher(DirSync sync, List<String> changed) throws java.io.IOException {
    return new JournalWatcher(root, new JournalWatcher.Listener() {
      @Override
      public void logChanged(String fileName) {
        changed.add(fileName);
      }

      @Override
      public void allLogsChanged() {}

      @Override
      public void registryChanged() {}
    }, sync.ownVersions());
  }

  @Test
  void theWatcherReportsAnAgentsChangeButNotTheBrokersOwnWrite() throws Exception {
    Path dir = Files.createDirectories(root.resolve("daebug"));
    Path f = dir.resolve("a.md");
    Path marker = dir.resolve("marker.md");
    Files.writeString(f, "start\n");
    List<String> changed = new CopyOnWriteArrayList<>();
    try (DirSync sync = new DirSync(dir);
        Orphans orphans = new Orphans();
        JournalWatcher watcher = watcher(sync, changed)) {
      running(watcher, marker, changed);
      changed.clear();
      write(f, "broker\n", sync, orphans);
      Files.writeString(marker, "second\n", StandardOpenOption.APPEND);
      // Events come in order: once the marker's is in, the broker's write had its chance to be reported.
      await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("marker.md"));
      assertThat(changed).doesNotContain("a.md");
      Files.writeString(f, "agent\n", StandardOpenOption.APPEND);
      await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("a.md"));
    }
  }

  @Test
  void anAppendThroughADescriptorOnAReplacedVersionIsReportedThoughTheLogIsTheBrokersOwn() throws Exception {
    Path dir = Files.createDirectories(root.resolve("daebug"));
    Path f = dir.resolve("a.md");
    Path marker = dir.resolve("marker.md");
    Files.writeString(f, "start\n");
    List<String> changed = new CopyOnWriteArrayList<>();
    try (DirSync sync = new DirSync(dir);
        Orphans orphans = new Orphans();
        JournalWatcher watcher = watcher(sync, changed);
        java.nio.channels.FileChannel agent = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      running(watcher, marker, changed);
      write(f, "broker\n", sync, orphans); // replaces the version the agent holds open
      Files.writeString(dir.resolve("second.md"), "second\n");
      // events come in order: once this one is in, the broker's write had its chance to be reported
      await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("second.md"));
      assertThat(changed).doesNotContain("a.md");
      agent.write(java.nio.ByteBuffer.wrap("an agent's line\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(sync.ownVersions().isOwn(f)).as("the log is still the broker's version").isTrue();
      // without it, the line waits for the next orphan check (250 ms), and a save read meanwhile misses it
      await().atMost(Duration.ofSeconds(30)).until(() -> changed.contains("a.md"));
    }
  }
}

package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.jobs.CoreRig.RealmConn;
import io.daebug.broker.protocol.RunJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes in {@code daebug/} on their own: a log of no connected realm gets its note only when no realm of that name
 * came within {@link LogChanges#STRAY_NOTE} (fake time), and a change the watcher missed is found by the sweep.
 */
class LogChangesTest {
  @TempDir
  Path root;

  private CoreRig rig;

  @BeforeEach
  void start() throws Exception {
    rig = new CoreRig(root, c -> c);
    Files.createDirectories(root.resolve("daebug"));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  @Test
  void aStrayLogIsToldWhichRealmsAreLiveOnceItsWaitIsOver() throws Exception {
    rig.connect("app", "tab-1");
    Path ghost = root.resolve("daebug/ghost.md");
    Files.writeString(ghost, "```js\n1\n```\n");

    rig.logChanges.changed("ghost.md");
    rig.time.advance(LogChanges.STRAY_NOTE.minusMillis(1));
    assertThat(Files.readString(ghost)).isEqualTo("```js\n1\n```\n");

    rig.time.advance(Duration.ofMillis(1));
    assertThat(Files.readString(ghost)).contains("no realm named `ghost`", "Live realms: app");
  }

  @Test
  void aStrayLogWhoseRealmConnectsInTimeIsItsRealmsLog() throws Exception {
    Path early = root.resolve("daebug/early.md");
    Files.writeString(early, "```js\n1\n```\n");
    rig.logChanges.changed("early.md");

    RealmConn link = rig.connect("early", "tab-1");
    rig.time.advance(LogChanges.STRAY_NOTE.plusSeconds(1));

    assertThat(Files.readString(early)).doesNotContain("no realm named");
    assertThat(link.sent(RunJob.class)).extracting(RunJob::code).containsExactly("1");
  }

  @Test
  void theSweepFindsAChangeTheWatcherNeverReported() throws Exception {
    RealmConn link = rig.connect("app", "tab-1");
    Files.writeString(root.resolve("daebug/app.md"), "```js\n2\n```\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    assertThat(link.sent(RunJob.class)).isEmpty();

    rig.logChanges.sweep();
    rig.time.runDue();

    assertThat(link.sent(RunJob.class)).extracting(RunJob::code).containsExactly("2");
  }
}

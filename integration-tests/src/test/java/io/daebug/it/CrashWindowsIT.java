package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two windows in which a SIGKILL still costs an agent something, found by {@link CrashIT} and shown here one at a
 * time, with a broker jar and a {@link CrashRealm} named {@code w}. Both fail until the broker closes them (the
 * first needs the kill to land within the 20 ms before the placeholder write, as it does unless the machine is
 * starved); {@code CrashIT} counts what they cost under load (and fails on it with {@code -Dcrash.strict=true}).
 */
class CrashWindowsIT {
  @TempDir
  Path root;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private BrokerProcess first;
  private BrokerProcess second;
  private CrashRealm realm;
  private LogFile log;
  private URI uri;

  @BeforeEach
  void start() throws Exception {
    first = BrokerProcess.start(root);
    uri = first.awaitUri();
    realm = CrashRealm.start("w", uri, HttpClient.newHttpClient(), scheduler);
    log = new LogFile("w", root.resolve("daebug/w.md"));
    await().untilAsserted(() -> assertThat(realm.welcomes()).isEqualTo(1));
    await().untilAsserted(() -> assertThat(log.read()).endsWith(LogFile.FOOTER));
  }

  @AfterEach
  void stop() {
    realm.close();
    first.close();
    if (second != null) {
      second.close();
    }
    scheduler.shutdownNow();
  }

  /**
   * An agent's request is pushed to its realm as soon as the broker reads it; its placeholder reaches the disk up
   * to 20 ms later, or with the reply (journal-format.md, "Accepting a request"). A broker killed in between
   * leaves the request below the footer with nothing under it, and the next broker runs it again, although
   * journal-format.md says code never runs twice, even when a file is adopted after a crash. Here the realm kills
   * the broker the moment it gets the job, before it answers. Closing it takes a durable acceptance before the push.
   */
  @Test
  void aRequestPushedBeforeItsPlaceholderWasWrittenIsNotRunAgainAfterAKill() throws Exception {
    realm.beforeAnswer(tag -> first.process().destroyForcibly());
    log.append("### 🗣️claude to w at 10:11:12\n```js\ncrash(\"once\")\n```\n");
    await().until(() -> !first.process().isAlive());
    first.kill();
    AtomicInteger runs = realm.runs().get("once");
    assertThat(runs).as("runs of the job before the restart").hasValue(1);
    // Usually the request is still below the footer now; on a machine so busy that the placeholder write came
    // before the kill, the restart answers it with its 🚫 reply instead, and this test cannot show the window.
    String left = log.read();

    realm.beforeAnswer(tag -> {});
    second = BrokerProcess.startOnPort(root, uri.getPort());
    await().untilAsserted(() -> assertThat(realm.welcomes()).isEqualTo(2));
    await().untilAsserted(() -> assertThat(CrashReading.log("w", "log of w", log.read()).waiting())
        .as("requests below the footer").isZero());
    assertThat(runs).as("runs of the job after the restart; the killed broker left:%n%s", left).hasValue(1);
  }

  /**
   * An agent appending through a descriptor it opened before the broker's last write (a shell's {@code { ...; } >>
   * log}, or any open-then-write that a rename overtakes) writes into the replaced version of the log. The broker
   * keeps that version open and carries what is appended to it over to the current file at its next look, up to
   * 250 ms later (Orphans, journal-format.md "Writing: the merge rule"). Until then the text exists only in an
   * unlinked file the broker alone holds open: a broker killed in between takes it along, although the agent's
   * {@code write} had returned. Closing it takes replaced versions a restart can still find (or in-place writes).
   */
  @Test
  void textAppendedToTheReplacedVersionSurvivesAKill() throws Exception {
    try (FileChannel held = FileChannel.open(log.path(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      log.append("### 🗣️claude to w at 10:11:12\n```js\ncrash(\"first\")\n```\n");
      log.awaitFind("#### 👍w to claude at {time} ({ms})\n```JSON\n\"done first\"\n```\n");

      String late = "### 🗣️claude to w at 10:11:13\nWhy: written through a descriptor opened before.\n";
      held.write(ByteBuffer.wrap(late.getBytes(StandardCharsets.UTF_8)));
      first.kill();

      assertThat(log.read()).as("the log after the kill: the agent's write had returned before it").contains(late);
    }
  }
}

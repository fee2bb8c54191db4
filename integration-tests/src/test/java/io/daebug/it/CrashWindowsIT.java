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
 * Two windows in which a SIGKILL used to cost an agent something, found by {@link CrashIT} and kept shut here one
 * at a time, with a broker jar and a {@link CrashRealm} named {@code w}: a request run again after a restart, and
 * an append lost with a replaced version of the log.
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
    await().untilAsserted(() -> assertThat(log.read()).endsWith(LogFile.REALM_FOOTER));
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
   * A broker used to push an agent's request to its realm as soon as it read it and write its placeholder up to
   * 20 ms later; a broker killed in between left the request below the footer and the next one ran it again. Now
   * the placeholder is written before the push (journal-format.md, "Accepting a request"). Here the realm kills
   * the broker the moment it gets the job, before it answers.
   */
  @Test
  void aRequestPushedBeforeItsPlaceholderWasWrittenIsNotRunAgainAfterAKill() throws Exception {
    realm.beforeAnswer(tag -> first.process().destroyForcibly());
    log.append("### 🗣️claude to w at 10:11:12\n```js\ncrash(\"once\")\n```\n");
    await().until(() -> !first.process().isAlive());
    first.kill();
    AtomicInteger runs = realm.runs().get("once");
    assertThat(runs).as("runs of the job before the restart").hasValue(1);
    String left = log.read();
    assertThat(left).as("the placeholder was written before the job was pushed")
        .contains("#### 👍w to claude at ");

    realm.beforeAnswer(tag -> {});
    second = BrokerProcess.startOnPort(root, uri.getPort());
    await().untilAsserted(() -> assertThat(realm.welcomes()).isEqualTo(2));
    await().untilAsserted(() -> assertThat(CrashReading.log("w", "log of w", log.read()).waiting())
        .as("requests below the footer").isZero());
    assertThat(runs).as("runs of the job after the restart; the killed broker left:%n%s", left).hasValue(1);
  }

  /**
   * An agent appending through a descriptor it opened before the broker's last write (a shell's {@code { ...; } >>
   * log}, or any open-then-write) used to write into a version of the log that a broker write had replaced; the
   * broker carried it over up to 250 ms later, and a broker killed in between took it along. Every write still
   * replaces the log (so that readers see whole versions), but the replaced version stays linked beside the log
   * ({@code .w.md.<hex>.<length>.kept}) until its appends are carried over, and the next broker carries what a killed
   * one left when it starts.
   */
  @Test
  void textAppendedToTheReplacedVersionSurvivesAKill() throws Exception {
    try (FileChannel held = FileChannel.open(log.path(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      log.append("### 🗣️claude to w at 10:11:12\n```js\ncrash(\"first\")\n```\n");
      log.awaitFind("#### 👍w to claude at {time} ({ms})\n```JSON\n\"done first\"\n```\n");

      String late = "### 🗣️claude to w at 10:11:13\nWhy: written through a descriptor opened before.\n";
      held.write(ByteBuffer.wrap(late.getBytes(StandardCharsets.UTF_8)));
      first.kill();

      second = BrokerProcess.startOnPort(root, uri.getPort());
      await().untilAsserted(() -> assertThat(log.read())
          .as("the log once the next broker runs: the agent's write had returned before the kill").contains(late));
      // The next broker's own writes keep the versions they replace linked for a moment too: all go once idle.
      await().untilAsserted(() -> {
        try (var kept = java.nio.file.Files.list(root.resolve("daebug"))) {
          assertThat(kept.map(p -> p.getFileName().toString())).as("replaced versions removed once carried over")
              .noneMatch(n -> n.endsWith(".kept"));
        }
      });
    }
  }
}

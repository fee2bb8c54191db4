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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A known broker bug that {@link CrashIT} found: an agent that appends through a descriptor it opened before the
 * broker's last write (a shell's {@code { ...; } >> log}, or any {@code open}-then-{@code write} that a rename
 * overtakes) writes into the replaced version of the log. The broker keeps that version open and carries what is
 * appended to it over to the current file at its next look, up to 250 ms later (Orphans, journal-format.md "Writing:
 * the merge rule"). Until then the text exists only in an unlinked file that the broker alone holds open: a broker
 * killed in between takes it along, and the agent's text is lost although its {@code write} had returned. Fails
 * until replaced versions stay reachable (or the tail is written in place) so that a restart can recover them.
 */
class AppendToReplacedLogIT {
  @TempDir
  Path root;

  @Test
  void textAppendedToTheReplacedVersionSurvivesAKill() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    BrokerProcess broker = BrokerProcess.start(root);
    CrashRealm realm = null;
    try {
      URI uri = broker.awaitUri();
      realm = CrashRealm.start("replaced", uri, HttpClient.newHttpClient(), scheduler);
      LogFile log = new LogFile("replaced", root.resolve("daebug/replaced.md"));
      await().untilAsserted(() -> assertThat(log.read()).endsWith(LogFile.FOOTER));
      try (FileChannel held = FileChannel.open(log.path(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        log.append("### 🗣️claude to replaced at 10:11:12\n```js\ncrash(\"first\")\n```\n");
        log.awaitFind("#### 👍replaced to claude at {time} ({ms})\n```JSON\n\"done first\"\n```\n");

        String late = "### 🗣️claude to replaced at 10:11:13\nWhy: written through a descriptor opened before.\n";
        held.write(ByteBuffer.wrap(late.getBytes(StandardCharsets.UTF_8)));
        broker.kill();

        assertThat(log.read()).as("the log after the kill: the agent's write had returned before it")
            .contains(late);
      }
    } finally {
      if (realm != null) {
        realm.close();
      }
      broker.close();
      scheduler.shutdownNow();
    }
  }
}

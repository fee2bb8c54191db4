package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A known broker bug that {@link CrashIT} found: an agent's request is pushed to its realm as soon as the broker
 * reads it, and its placeholder reaches the disk up to 20 ms later (or with the reply; journal-format.md,
 * "Accepting a request"). A broker killed in between leaves the request below the footer with nothing under it, so
 * the next broker runs it again: the code runs twice, although journal-format.md says code never runs twice, even
 * when a file is adopted after a crash. Here the realm kills the broker the moment it gets the job, before it
 * answers. Fails until the broker makes the request's acceptance durable before it pushes the job.
 */
class RerunAfterKillIT {
  @TempDir
  Path root;

  @Test
  void aRequestPushedBeforeItsPlaceholderWasWrittenIsNotRunAgainAfterAKill() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    BrokerProcess first = BrokerProcess.start(root);
    BrokerProcess second = null;
    CrashRealm realm = null;
    try {
      URI uri = first.awaitUri();
      realm = CrashRealm.start("rerun", uri, HttpClient.newHttpClient(), scheduler);
      LogFile log = new LogFile("rerun", root.resolve("daebug/rerun.md"));
      CrashRealm r = realm;
      await().untilAsserted(() -> assertThat(r.welcomes()).isEqualTo(1));
      await().untilAsserted(() -> assertThat(log.read()).endsWith(LogFile.FOOTER));
      realm.beforeAnswer(tag -> first.process().destroyForcibly());

      log.append("### 🗣️claude to rerun at 10:11:12\n```js\ncrash(\"once\")\n```\n");
      await().until(() -> !first.process().isAlive());
      first.kill();
      AtomicInteger runs = realm.runs().get("once");
      assertThat(runs).as("runs of the job before the restart").hasValue(1);
      assertThat(log.read()).as("the log the killed broker left").endsWith(LogFile.FOOTER
          + "### 🗣️claude to rerun at 10:11:12\n```js\ncrash(\"once\")\n```\n");

      realm.beforeAnswer(tag -> {});
      second = BrokerProcess.startOnPort(root, uri.getPort());
      await().untilAsserted(() -> assertThat(r.welcomes()).isEqualTo(2));
      await().untilAsserted(() -> assertThat(CrashReading.log("rerun", "log of rerun", log.read()).waiting())
          .as("requests below the footer").isZero());
      assertThat(runs).as("runs of the job after the restart (the new broker ran it again)").hasValue(1);
    } finally {
      if (realm != null) {
        realm.close();
      }
      first.close();
      if (second != null) {
        second.close();
      }
      scheduler.shutdownNow();
    }
  }
}

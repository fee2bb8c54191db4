package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.protocol.JobOutcome;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.RunJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12, items 4 to 6: the working folder is not trusted. A log path that is a symbolic link (to a file outside
 * the root), a FIFO, a folder or a file the broker may not write is never opened: the realm journals under a
 * suffixed name, the broker's log and {@code daebug.md} say why, and a log that stops being writable stops its
 * jobs (controllers get the reason) instead of running them unjournalled. Real links, FIFOs, folders and file
 * modes (as root, with the broker in a child JVM under uid 65534: {@link UnprivilegedBroker}).
 */
class HostileFolderRegressionTest extends BrokerAndRealms {
  @TempDir Path elsewhere;
  private Path logs;

  @BeforeEach
  void startBroker() throws IOException {
    broker = TestBroker.start(root);
    logs = Files.createDirectories(root.resolve("daebug"));
  }

  @Test
  @DisplayName("a log that is a symbolic link out of the root is never written: the realm journals as <name>-2")
  void symlinkedLog() throws Exception {
    Path outside = Files.writeString(elsewhere.resolve("bashrc"), "export PATH=/usr/bin\n");
    Files.createSymbolicLink(logs.resolve("victim.md"), outside);
    FakeRealm realm = connect();
    assertThat(realm.hello("victim", "tab-v").name()).isEqualTo("victim-2");
    runsAJob(realm, "victim-2");
    assertThat(Files.readString(outside)).isEqualTo("export PATH=/usr/bin\n");
    await().untilAsserted(() -> assertThat(broker.registry()).contains("## Problems\n\n* daebug/victim.md is a symbolic link (never followed), "
        + "not a regular file: realm victim-2 journals in daebug/victim-2.md instead ("));
  }

  @Test
  @DisplayName("a FIFO at a log's path never blocks the broker: the realm journals as <name>-2, health stays ok")
  void fifoLog() throws Exception {
    Path fifo = logs.resolve("pipe.md");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    FakeRealm realm = connect();
    assertThat(realm.hello("pipe", "tab-p").name()).isEqualTo("pipe-2");
    runsAJob(realm, "pipe-2");
    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + broker.port() + "/-daebug/health")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.body()).contains("\"status\":\"ok\"");
    await().untilAsserted(() -> assertThat(broker.registry()).contains("* daebug/pipe.md is a FIFO, socket or device, not a regular file: realm "
        + "pipe-2 journals in daebug/pipe-2.md instead"));
  }

  @Test
  @DisplayName("a folder at a log's path: the realm journals as <name>-2")
  void folderLog() throws Exception {
    Files.createDirectories(logs.resolve("dir.md"));
    FakeRealm realm = connect();
    assertThat(realm.hello("dir", "tab-d").name()).isEqualTo("dir-2");
    runsAJob(realm, "dir-2");
    await().untilAsserted(() -> assertThat(broker.registry())
        .contains("* daebug/dir.md is a folder, not a regular file: realm dir-2 journals"));
  }

  @Test
  @DisplayName("a log folder that is a link out of the root: the realm is refused with the reason")
  void symlinkedLogFolder() throws Exception {
    Files.move(logs, root.resolve("daebug-was")); // with what the broker keeps there (its lock)
    Files.createSymbolicLink(logs, Files.createDirectories(elsewhere.resolve("logs")));
    FakeRealm realm = connect();
    realm.sendHello("any", "tab-a");
    assertThat(realm.awaitClosed()).isEqualTo(new FakeRealm.Closed(1011,
        "no usable log: the log folder daebug/ is a symbolic link (never followed), not a folder"));
    assertThat(elsewhere.resolve("logs")).isEmptyDirectory();
    await().untilAsserted(() -> assertThat(broker.registry()).contains("## Problems\n\n* the log folder daebug/ is a "
        + "symbolic link (never followed), not a folder: realm 'any' refused: no usable log ("));
  }

  @Test
  @DisplayName("a log that becomes a folder: a controller's job fails with the reason, and never reaches the realm")
  void logGoneBad() throws Exception {
    FakeRealm realm = connect();
    assertThat(realm.hello("app", "tab-a").name()).isEqualTo("app");
    await().untilAsserted(() -> assertThat(broker.log("app")).endsWith(FOOTER));
    Files.delete(logs.resolve("app.md"));
    Files.createDirectories(logs.resolve("app.md"));
    FakeController controller = controller(Map.of());
    controller.hello("ci");
    controller.submit("c-1", "app", "'never run'");
    controller.next(JobQueued.class);
    JobOutcome outcome = controller.next(JobOutcome.class);
    assertThat(outcome.outcome()).isEqualTo("failed");
    assertThat(outcome.error().message()).contains("cannot write its log daebug/app.md")
        .contains("daebug/app.md is a folder, not a regular file");
    assertThat(realm.awaitClosed().status()).isEqualTo(1011);
  }

  @ParameterizedTest(name = "mode {0}: cannot be {1}")
  @CsvSource({"---------, read", "r--r--r--, written"})
  @DisplayName("a log the broker may not read or write (permissions): the realm journals as <name>-2")
  void logWithoutPermission(String mode, String verb) throws Exception {
    String why = UnprivilegedBroker.unavailable();
    Assumptions.assumeTrue(why == null, why);
    // As root (CI, containers) the broker runs as uid 65534 in a child JVM: root's file access ignores modes.
    try (UnprivilegedBroker child = UnprivilegedBroker.asRoot() ? UnprivilegedBroker.start(elsewhere) : null) {
      Path project = child != null ? child.root() : root;
      Path log = Files.writeString(project.resolve("daebug").resolve("locked.md"), "# locked\n");
      Files.setPosixFilePermissions(log, PosixFilePermissions.fromString(mode));
      FakeRealm realm = connect(child != null ? child.realmUri() : broker.realmUri());
      assertThat(realm.hello("locked", "tab-l").name()).as(child == null ? "" : child.output()).isEqualTo("locked-2");
      runsAJob(realm, project, "locked-2");
      await().untilAsserted(() -> assertThat(TestBroker.read(project.resolve("daebug.md")))
          .contains("* daebug/locked.md cannot be " + verb + " by the broker (permissions): realm locked-2 journals in"
              + " daebug/locked-2.md instead"));
      assertThat(Files.readString(log)).isEqualTo("# locked\n");
    }
  }

  private void runsAJob(FakeRealm realm, String name) throws Exception {
    runsAJob(realm, root, name);
  }

  private static void runsAJob(FakeRealm realm, Path project, String name) throws Exception {
    Path log = project.resolve("daebug").resolve(name + ".md");
    await().untilAsserted(() -> assertThat(TestBroker.read(log)).endsWith(FOOTER));
    Files.writeString(log, "```js\n1 + 1\n```\n", StandardOpenOption.APPEND);
    RunJob job = realm.awaitJob();
    realm.sendResult(job.id(), "2");
    await().untilAsserted(() -> assertThat(TestBroker.read(log)).contains("```JSON\n2\n```\n"));
  }
}

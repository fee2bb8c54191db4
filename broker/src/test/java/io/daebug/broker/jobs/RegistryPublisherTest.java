package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daebug.broker.jobs.CoreRig.ControllerConn;
import io.daebug.broker.jobs.CoreRig.RealmConn;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.RealmUpdate;
import io.daebug.broker.protocol.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry publisher on its own: changes coalesce into one publish per core turn, controllers hear each realm's
 * change once, {@code daebug.md} follows (written on its own thread, so awaited), and what agents do to
 * {@code daebug.md} is answered.
 */
class RegistryPublisherTest {
  @TempDir
  Path root;

  private CoreRig rig;
  private ControllerConn controller;

  @BeforeEach
  void start() {
    rig = new CoreRig(root, c -> c);
    controller = new ControllerConn();
    rig.controllerSessions.hello(controller, new ControllerHello("agent", 1));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  private String registry() throws Exception {
    Path file = root.resolve("daebug.md");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Test
  void changesBeforeThePublishRunCostOnePublish() throws Exception {
    RealmConn link = new RealmConn("127.0.0.1");
    rig.realmSessions.hello(link, CoreRig.hello("app", "tab-1"), null); // changed() inside
    int tasks = rig.time.pending();
    rig.realmSessions.message(link, new Status("loading"));
    rig.publisher.changed();
    rig.publisher.changed();
    assertThat(rig.time.pending()).as("one publish task, however many changes").isEqualTo(tasks);

    rig.time.runDue();

    assertThat(controller.sent(RealmUpdate.class)).hasSize(1);
    assertThat(controller.sent(RealmUpdate.class).get(0).realm().name()).isEqualTo("app");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(registry()).contains("app").contains("loading"));

    int idle = rig.time.pending();
    rig.publisher.changed();
    rig.publisher.changed();
    assertThat(rig.time.pending()).as("a change after the publish is published again, once").isEqualTo(idle + 1);
  }

  @Test
  void changesWithinTheGapAfterAPublishArePublishedOnceTheGapIsOver() throws Exception {
    rig.realmSessions.hello(new RealmConn("127.0.0.1"), CoreRig.hello("app", "tab-1"), null);
    rig.time.runDue();
    int told = controller.sent(RealmUpdate.class).size();

    // Another change right after that publish (here a second realm): nothing is published until the gap is over.
    rig.realmSessions.hello(new RealmConn("127.0.0.1"), CoreRig.hello("web", "tab-2"), null);
    rig.time.runDue();
    assertThat(controller.sent(RealmUpdate.class)).as("within the gap").hasSize(told);

    rig.time.advance(RegistryPublisher.MIN_GAP);
    assertThat(controller.sent(RealmUpdate.class)).as("once the gap is over").hasSize(told + 1);
    assertThat(controller.sent(RealmUpdate.class).get(told).realm().name()).isEqualTo("web");
  }

  @Test
  void aPublishWithNothingNewTellsControllersNothing() throws Exception {
    rig.connect("app", "tab-1");
    int told = controller.sent(RealmUpdate.class).size();

    rig.publisher.changed();
    rig.time.runDue();

    assertThat(controller.sent(RealmUpdate.class)).hasSize(told);
    assertThat(told).isEqualTo(1);
  }

  @Test
  void afterCloseNothingIsPublished() {
    rig.publisher.close();
    rig.publisher.changed();
    assertThat(rig.time.pending()).isZero();
  }

  @Test
  void aShutdownLineStopsTheBrokerOnce() throws Exception {
    Files.writeString(root.resolve("daebug.md"), "# registry\n\n%%SHUTDOWN%%\n");

    rig.publisher.fileChanged();
    rig.publisher.fileChanged();

    await().atMost(Duration.ofSeconds(20)).until(() -> rig.shutdowns.get() == 1);
    assertThat(rig.shutdowns.get()).isEqualTo(1);
  }

  @Test
  void aDeletedRegistryIsWrittenAgain() throws Exception {
    rig.connect("app", "tab-1");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(registry()).contains("app"));
    Files.delete(root.resolve("daebug.md"));

    rig.publisher.fileChanged();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(registry()).contains("app"));
    assertThat(rig.shutdowns.get()).isZero();
  }
}

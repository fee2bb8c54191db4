package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.daebug.broker.jobs.CoreRig.RealmConn;
import io.daebug.broker.protocol.Beat;
import io.daebug.broker.protocol.ErrorMessage;
import io.daebug.broker.protocol.Result;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.Status;
import io.daebug.broker.protocol.Welcome;
import io.daebug.broker.registry.Realm;
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
 * Realm sessions on their own ({@link RealmSessions} with the real realm table, jobs and registry publisher): who may
 * resume a name (the tab that held it, docs/protocol.md {@code tab}), grace periods ending on a fake clock, heartbeats,
 * refusals. The test's thread is the core; no socket is opened and no real time passes.
 */
class RealmSessionsTest {
  @TempDir
  Path root;

  private CoreRig rig;

  @BeforeEach
  void start() {
    rig = new CoreRig(root, c -> c);
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  private Path log(String realm) {
    return root.resolve("daebug").resolve(realm + ".md");
  }

  private void append(String realm, String text) throws Exception {
    Files.writeString(log(realm), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    rig.logChanges.changed(realm + ".md");
    rig.time.runDue();
  }

  @Test
  void theSameTabResumesItsNameItsLogAndItsQueue() throws Exception {
    RealmConn first = rig.connect("app", "tab-1");
    assertThat(first.sent(Welcome.class)).containsExactly(new Welcome("app", "daebug/app.md"));
    append("app", "```js\n1\n```\n```js\n2\n```\n");
    assertThat(first.sent(RunJob.class)).extracting(RunJob::code).containsExactly("1");

    rig.realmSessions.closed(first, 1001, "reload");
    rig.time.runDue();
    assertThat(rig.publisher.state(rig.realms.get("app"))).isEqualTo("disconnected");
    assertThat(Files.readString(log("app"))).contains("realm disconnected while executing");

    RealmConn second = rig.connect("app", "tab-1");
    assertThat(second.sent(Welcome.class)).containsExactly(new Welcome("app", "daebug/app.md"));
    assertThat(second.sent(RunJob.class)).as("the queued request waited for its realm").extracting(RunJob::code)
        .containsExactly("2");
    assertThat(rig.realms.all()).extracting(Realm::name).containsExactly("app");
  }

  @Test
  void anotherTabOrNoTabNeverGetsADisconnectedRealmsName() throws Exception {
    RealmConn first = rig.connect("app", "tab-1");
    append("app", "```js\n1\n```\n```js\n2\n```\n");
    rig.realmSessions.closed(first, 1001, "gone");

    RealmConn noTab = rig.connect("app", null);
    RealmConn otherTab = rig.connect("app", "tab-2");

    assertThat(noTab.sent(Welcome.class)).extracting(Welcome::name).containsExactly("app-2");
    assertThat(otherTab.sent(Welcome.class)).extracting(Welcome::name).containsExactly("app-3");
    assertThat(noTab.sent(RunJob.class)).isEmpty();
    assertThat(otherTab.sent(RunJob.class)).isEmpty();
    assertThat(rig.publisher.state(rig.realms.get("app"))).isEqualTo("disconnected");
    assertThat(rig.jobs.pending(rig.realms.get("app"))).as("its queue is still the tab's").isEqualTo(1);
  }

  @Test
  void aLiveRealmTakenOverByItsOwnTabClosesTheOldConnection() throws Exception {
    RealmConn first = rig.connect("app", "tab-1");
    append("app", "```js\nwhile (true) {}\n```\n");

    RealmConn second = rig.connect("app", "tab-1");

    assertThat(first.closeCode).isEqualTo(1000);
    assertThat(first.closeReason).contains("replaced");
    assertThat(second.sent(Welcome.class)).extracting(Welcome::name).containsExactly("app");
    assertThat(Files.readString(log("app"))).contains("realm disconnected while executing");
    rig.realmSessions.closed(first, 1000, "replaced"); // the old socket's close comes late: it changes nothing
    assertThat(rig.realms.get("app").connected()).isTrue();
  }

  @Test
  void theGracePeriodEndsOnTheInjectedClockAndItsQueuedJobsAreAnswered() throws Exception {
    RealmConn link = rig.connect("app", "tab-1");
    append("app", "```js\n1\n```\n```js\n2\n```\n");
    rig.realmSessions.closed(link, 1006, "");
    rig.time.runDue();

    rig.time.advance(rig.config.disconnectGrace().minusSeconds(1));
    assertThat(rig.realms.get("app")).as("still in its grace period").isNotNull();
    assertThat(Files.readString(log("app"))).doesNotContain("realm disconnected before the job could run");

    rig.time.advance(Duration.ofSeconds(5));
    assertThat(rig.realms.get("app")).as("removed after its grace period").isNull();
    assertThat(Files.readString(log("app"))).contains("realm disconnected before the job could run");

    RealmConn again = rig.connect("app", "tab-1");
    assertThat(again.sent(Welcome.class)).extracting(Welcome::name).containsExactly("app");
    assertThat(again.sent(RunJob.class)).as("its queue was answered, not kept").isEmpty();
  }

  @Test
  void aResumeWithinTheGracePeriodCancelsItsExpiry() throws Exception {
    RealmConn link = rig.connect("app", "tab-1");
    rig.realmSessions.closed(link, 1006, "");
    rig.time.advance(Duration.ofMinutes(1));
    rig.connect("app", "tab-1");

    rig.time.advance(Duration.ofMinutes(5));

    assertThat(rig.realms.get("app")).isNotNull();
    assertThat(rig.realms.get("app").connected()).isTrue();
  }

  @Test
  void aRealmThatStopsBeatingIsListedBusyAndBeatsAgain() throws Exception {
    RealmConn link = rig.connect("app", "tab-1");
    rig.realmSessions.message(link, new Beat(1000L, false));

    rig.time.advance(Duration.ofSeconds(10));
    rig.realmSessions.checkBeats();
    assertThat(rig.publisher.state(rig.realms.get("app"))).startsWith("unresponsive (busy: no heartbeat for 10s");

    rig.realmSessions.message(link, new Beat(1000L, false));
    assertThat(rig.publisher.state(rig.realms.get("app"))).isEqualTo(rig.jobs.activity(rig.realms.get("app")));
  }

  @Test
  void aResultGoesToTheRealmsJobAndASecondHelloIsAnError() throws Exception {
    RealmConn link = rig.connect("app", "tab-1");
    append("app", "```js\n1+1\n```\n");
    RunJob job = link.sent(RunJob.class).get(0);

    rig.realmSessions.message(link, new Result(job.id(), true, IntNode.valueOf(2), null, null));
    rig.realmSessions.message(link, CoreRig.hello("app", "tab-1"));
    rig.realmSessions.message(link, new Status("loading"));
    rig.time.runDue();

    assertThat(Files.readString(log("app"))).contains("```JSON\n2\n```");
    assertThat(link.sent(ErrorMessage.class)).extracting(ErrorMessage::code).containsExactly("duplicate-hello");
    assertThat(rig.realms.get("app").status()).isEqualTo("loading");
  }

  @Test
  void helloesAreRefusedWithAReason() throws Exception {
    RealmConn unnamed = rig.connect("!!!", "tab-1");
    assertThat(unnamed.closeCode).isEqualTo(1008);
    assertThat(unnamed.closeReason).contains("bad realm name");

    CoreRig small = new CoreRig(root.resolve("other"), c -> c.withLimits(
        new io.daebug.broker.config.BrokerConfig.Limits(1 << 20, 64 * 1024, 1, 1000)));
    Files.createDirectories(root.resolve("other"));
    try {
      small.connect("one", "tab-1");
      RealmConn two = small.connect("two", "tab-2");
      assertThat(two.closeCode).isEqualTo(1008);
      assertThat(two.closeReason).contains("--max-realms-per-address");
      RealmConn reload = small.connect("one", "tab-1");
      assertThat(reload.closeCode).as("a reload of the same tab is not another realm").isNull();
    } finally {
      small.close();
    }
  }

  @Test
  void noHelloIsWelcomedOnceClosing() throws Exception {
    rig.realmSessions.close();
    RealmConn late = rig.connect("app", "tab-1");
    assertThat(late.closeCode).isEqualTo(1001);
    assertThat(late.sent).isEmpty();
  }

  @Test
  void aRealmThatClosedWhileItsBigLogWasReadIsNeverAttached() throws Exception {
    RealmConn link = new RealmConn("127.0.0.1");
    rig.realmSessions.priming(link); // its hello waits for its log to be read off the core
    rig.realmSessions.closed(link, 1001, "gone");

    rig.realmSessions.hello(link, CoreRig.hello("app", "tab-1"), null);

    assertThat(link.sent).isEmpty();
    assertThat(rig.realms.get("app")).isNull();
    RealmConn next = rig.connect("app", "tab-1");
    assertThat(next.sent(Welcome.class)).extracting(Welcome::name).containsExactly("app");
  }
}

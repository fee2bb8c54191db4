package io.daebug.client.realm.internal;

import static io.daebug.client.realm.BrokerRig.FAIL;
import static io.daebug.client.realm.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.client.realm.BrokerRig;
import io.daebug.client.realm.RealmOptions;
import io.daebug.client.realm.TestAwait;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results of jobs that were running when the connection went away. */
class LateResultTest {
  @TempDir Path root;
  private BrokerRig rig;
  private RealmCore core;

  private void start(String name) throws Exception {
    rig = BrokerRig.start(root);
    core = RealmCore.start(RealmOptions.of(rig.uri()).withName(name)
        .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(300)));
    core.awaitConnected(TestAwait.AT_MOST);
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("daebug.test.late");
    System.clearProperty("daebug.test.started");
    if (core != null) {
      core.close();
    }
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void aJobRunningWhenTheConnectionDropsIsAnsweredAsALateReplyAfterTheReconnect() throws Exception {
    start("drops");
    String code = "System.setProperty(\"daebug.test.started\", \"yes\");\nSystem.out.println(\"working\");\n"
        + "while (System.getProperty(\"daebug.test.late\") == null) Thread.sleep(10);\n7";
    rig.request("drops", "java", code);
    // The placeholder is written before the job is pushed: wait for the realm to be running it.
    await().untilAsserted(() -> assertThat(rig.log("drops")).contains("executing ("));
    await().until(() -> System.getProperty("daebug.test.started") != null);
    core.dropConnection();
    assertThat(await().until(() -> rig.reply("drops", "java", code), r -> r != null))
        .startsWith(FAIL + "drops to tester at ").contains("```Error\nrealm disconnected while executing\n```\n");
    await().until(core::isConnected);
    System.setProperty("daebug.test.late", "go");
    await().untilAsserted(() -> assertThat(rig.log("drops")).containsPattern(
        "\\(late\\)\n```JSON\n7\n```\n"));
  }

  @Test
  void aResultHeldOverABrokerRestartNeverAnswersTheNewBrokersJobOfTheSameId() throws Exception {
    start("held");
    String old = "System.setProperty(\"daebug.test.started\", \"yes\");\n"
        + "while (System.getProperty(\"daebug.test.late\") == null) Thread.sleep(10);\n\"old\"";
    rig.request("held", "java", old);
    await().untilAsserted(() -> assertThat(rig.log("held")).contains("executing ("));
    await().until(() -> System.getProperty("daebug.test.started") != null); // the realm is running it
    rig.stop();
    System.setProperty("daebug.test.late", "go");
    // the old job's result (for j-1 of the stopped broker) now waits in the realm's outbox
    rig.request("held", "java", "\"new\"");
    rig.restart(); // numbers its jobs from j-1 again, and sends the new request as j-1 right after welcome
    assertThat(await().until(() -> rig.reply("held", "java", "\"new\""), r -> r != null))
        .endsWith("\n```JSON\n\"new\"\n```\n");
    assertThat(rig.log("held")).doesNotContain("```JSON\n\"old\"");
  }
}

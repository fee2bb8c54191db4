package io.daebug.client.realm;

import static io.daebug.client.realm.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A realm of a runtime of its own (here: one that echoes) on the JVM realm's connection, with a real broker. */
class RealmConnectionTest {
  @TempDir Path root;

  @Test
  void jobsReachTheExecutorAndItsAnswersEventsAndStatusReachTheLogAndRegistry() throws Exception {
    List<String> cancelled = new CopyOnWriteArrayList<>();
    List<RealmJob> held = new CopyOnWriteArrayList<>();
    JobExecutor echo = new JobExecutor() {
      @Override
      public void execute(RealmJob job) {
        if (job.code().equals("hold")) {
          held.add(job);
          return;
        }
        job.event("log", "running " + job.code() + " as " + job.language());
        if (job.code().equals("fail")) {
          job.fail("EchoError", "asked to fail");
        } else {
          job.succeed(JsonNodeFactory.instance.textNode(job.code().toUpperCase()));
        }
        assertThat(job.succeed(JsonNodeFactory.instance.nullNode())).as("a second answer is dropped").isFalse();
      }

      @Override
      public void cancel(RealmJob job, String reason) {
        cancelled.add(job.id() + ": " + reason);
        job.fail("Cancelled", reason);
      }
    };
    try (BrokerRig rig = BrokerRig.start(root);
        RealmConnection realm = RealmConnection.open(RealmOptions.of(rig.uri()).withName("echo"), "debug", "go",
            "echo://here", echo)) {
      realm.awaitConnected(TestAwait.AT_MOST);
      assertThat(realm.logFile()).isEqualTo("daebug/echo.md");
      realm.status("stopped at main.go:42 (breakpoint)");
      await().untilAsserted(() -> assertThat(rig.registry())
          .contains("* [echo](daebug/echo.md) (echo://here) at ", ": live, stopped at main.go:42 (breakpoint)"));
      assertThat(rig.log("echo")).contains("> Append your Go expression below");

      rig.request("echo", "go", "hello");
      assertThat(await().until(() -> rig.reply("echo", "go", "hello"), r -> r != null))
          .contains("```JSON\n\"HELLO\"\n```", "running hello as go");
      rig.request("echo", "dap", "fail");
      assertThat(await().until(() -> rig.reply("echo", "dap", "fail"), r -> r != null))
          .startsWith(BrokerRig.FAIL).contains("EchoError: asked to fail", "running fail as dap");

      rig.request("echo", "go", "hold");
      await().until(() -> !held.isEmpty());
      assertThat(held.get(0).timeout()).isEqualTo(Duration.ofMillis(held.get(0).timeout().toMillis()))
          .isPositive();
      rig.append("echo", "%%CANCEL%%\n");
      await().until(() -> !cancelled.isEmpty());
      assertThat(cancelled.get(0)).startsWith(held.get(0).id() + ": ");
      realm.status(null);
      await().untilAsserted(() -> assertThat(rig.registry()).contains(": live\n"));
    }
  }
}

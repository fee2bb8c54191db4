package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker killed (SIGKILL: no shutdown, nothing told to anyone) and started again on the same port and root: a
 * headless Chromium tab and a Node realm reconnect by themselves, with their names, their state (no page reload,
 * the same process) and their logs, and run what is appended afterwards. A job that was running when the broker
 * died ends while no broker runs: its result, kept in the realm's outbox, reaches the new broker and must not be
 * taken for the reply to the new broker's first job.
 */
class BrokerRestartIT {
  @TempDir
  Path root;

  @Test
  void aTabAndANodeRealmReconnectByThemselvesWithTheirNames() throws IOException {
    Pages.write(root, "restart.html");
    Registry registry = new Registry(root);
    BrokerProcess first = BrokerProcess.start(root);
    BrokerProcess second = null;
    try (Chromium chromium = Chromium.launch()) {
      String base = first.awaitUri().toString();
      int port = first.port();
      String page = base + "restart.html";
      NodeRealmProcess node = NodeRealmProcess.start(first.awaitUri(), "restart-node", root);
      try (node) {
        chromium.openTab(page);
        LogFile tab = registry.awaitLive(page);
        LogFile nodeLog = registry.awaitNode("restart-node", node, "live", first::output);

        tab.append("```js\nglobalThis.marker = 'set before the restart'; performance.getEntriesByType('navigation')"
            + "[0].type\n```\n");
        tab.awaitAppended(reply(tab, "globalThis.marker = 'set before the restart'; performance.getEntriesByType"
            + "('navigation')[0].type", "\"navigate\""));
        nodeLog.append("```js\nglobalThis.marker = 'set before the restart'; process.pid\n```\n");
        nodeLog.awaitAppended(reply(nodeLog, "globalThis.marker = 'set before the restart'; process.pid",
            String.valueOf(node.pid())));

        first.kill();
        assertThat(first.process().exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(137);

        second = BrokerProcess.start(root, "--port", String.valueOf(port));
        // The new broker writes an empty registry before it prints its URL, so what is listed from now on is its own.
        assertThat(second.awaitUri().toString()).isEqualTo(base);
        BrokerProcess restarted = second;
        assertThat(registry.awaitLive(page).realm()).as("the tab's name after the restart").isEqualTo(tab.realm());
        registry.awaitNode("restart-node", node, "live", restarted::output);
        await().untilAsserted(() -> assertThat(restarted.output())
            .contains("realm " + tab.realm() + " connected (page, " + page + ")")
            .contains("realm restart-node connected (node, node://" + node.pid() + "@"));

        tab.append("```js\n[marker, performance.getEntriesByType('navigation')[0].type, daebug.name]\n```\n");
        tab.awaitAppended(reply(tab, "[marker, performance.getEntriesByType('navigation')[0].type, daebug.name]", """
            [
              "set before the restart",
              "navigate",
              "%s"
            ]""".formatted(tab.realm())));
        nodeLog.append("```js\n[marker, process.pid]\n```\n");
        nodeLog.awaitAppended(reply(nodeLog, "[marker, process.pid]", """
            [
              "set before the restart",
              %d
            ]""".formatted(node.pid())));
      }
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  @Test
  void aResultOfAJobOfTheKilledBrokerIsNotTakenForTheReplyToAnotherJob() throws IOException {
    Registry registry = new Registry(root);
    BrokerProcess first = BrokerProcess.start(root);
    BrokerProcess second = null;
    try (NodeRealmProcess node = NodeRealmProcess.start(first.awaitUri(), "orphan", root)) {
      int port = first.port();
      LogFile log = registry.awaitNode("orphan", node, "live", first::output);
      String old = "const fs = require('node:fs'); fs.writeFileSync('orphan.started', '');\n"
          + "while (!fs.existsSync('orphan.go')) await new Promise(r => setTimeout(r, 20));\n"
          + "fs.writeFileSync('orphan.done', ''); 'from the job of the killed broker'";
      log.append("```js\n" + old + "\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to orphan at {time}
          ```js
          %s
          ```
          #### 👍orphan to agent at {time}
          executing (0s)

          """.formatted(old));
      // The placeholder is written before the job is pushed: only the job itself can say the realm has it.
      await().untilAsserted(() -> assertThat(root.resolve("orphan.started")).exists());
      first.kill();
      await().untilAsserted(() -> assertThat(node.output()).contains("disconnected (1006); reconnecting"));

      // While no broker runs, the old job ends (its result waits in the realm's outbox) and an agent appends.
      Files.writeString(root.resolve("orphan.go"), "");
      await().untilAsserted(() -> assertThat(root.resolve("orphan.done")).exists());
      log.appendMore("### 🗣️claude to orphan at 10:11:12\n```js\n'asked while the broker was down'\n```\n");

      second = BrokerProcess.start(root, "--port", String.valueOf(port));
      BrokerProcess restarted = second;
      registry.awaitNode("orphan", node, "live", restarted::output);
      log.awaitAppended("""
          ### 🗣️agent to orphan at {time}
          ```js
          %s
          ```
          #### 🚫orphan to agent at {time} (0ms)
          ```Error
          no result: the broker stopped before this job finished (its realm may have run it)
          ```

          ### 🗣️claude to orphan at 10:11:12
          ```js
          'asked while the broker was down'
          ```
          #### 👍orphan to claude at {time} ({ms})
          ```JSON
          "asked while the broker was down"
          ```

          ### 🗣️orphan background at {time}
          ##### 🚫daebug
          ```Error daebug
          {time} a result for unknown job {job} was ignored
          ```

          """.formatted(old));
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  /** The template of an agent's request without a header, and its JSON reply. */
  private static String reply(LogFile log, String code, String json) {
    return """
        ### 🗣️agent to %1$s at {time}
        ```js
        %2$s
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        %3$s
        ```

        """.formatted(log.realm(), code, json);
  }
}

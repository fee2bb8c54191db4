package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker killed (SIGKILL) and started again on the same port and root: a standalone Python realm reconnects by
 * itself, with its name, its state (the same process, the same globals) and its log, and runs what is appended.
 */
class PythonBrokerRestartIT {
  @TempDir
  Path root;

  @Test
  void aPythonRealmComesBackByItselfWithItsNameAndState() throws IOException {
    Registry registry = new Registry(root);
    BrokerProcess first = BrokerProcess.start(root);
    BrokerProcess second = null;
    try (PythonRealmProcess python = PythonRealmProcess.start(first.awaitUri(), "py-restart", root)) {
      int port = first.port();
      LogFile log = registry.awaitPython("py-restart", python, "live", first::output);
      log.append("```python\nmarker = 'set before the restart'\nimport os\nos.getpid()\n```\n");
      log.awaitFind("```JSON\n" + python.pid() + "\n```\n");

      first.kill();
      await().untilAsserted(() -> assertThat(python.output()).contains("disconnected ("));
      second = BrokerProcess.start(root, "--port", String.valueOf(port));
      BrokerProcess restarted = second;
      registry.awaitPython("py-restart", python, "live", restarted::output);
      await().untilAsserted(() -> assertThat(restarted.output())
          .contains("realm py-restart connected (python, python://"));

      log.append("```python\n(marker, os.getpid())\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to py-restart at {time}
          ```python
          (marker, os.getpid())
          ```
          #### 👍py-restart to agent at {time} ({ms})
          ```Text
          ('set before the restart', %d)
          ```

          """.formatted(python.pid()));
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }
}

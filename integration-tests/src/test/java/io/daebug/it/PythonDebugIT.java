package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug realm on a Python script under Debian's debugpy ({@code /usr/bin/python3 -m debugpy.adapter},
 * which speaks DAP over stdin and stdout and answers {@code launch} only after {@code configurationDone}). One
 * session from entry to exit; the waits and a dead adapter are covered on Go and C.
 */
class PythonDebugIT {
  @TempDir
  static Path root;
  @TempDir
  static Path work;

  static DebugRig rig;
  static DebugRig.Realm job;

  @BeforeAll
  static void start() throws Exception {
    Path src = Files.createDirectories(work.resolve("src"));
    DebugRig.resource("/debug/job.py", src);
    rig = new DebugRig(root);
    job = rig.realm("job", "--program", "job.py", "--cwd", src.toString(), "--", "/usr/bin/python3", "-m",
        "debugpy.adapter");
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void aSessionFromEntryToExit() {
    job.awaitListed("stopped at job.py:1 (entry)");
    assertThat(job.read()).contains("> Append your Python expression below to evaluate in the debugged program");
    assertThat(job.ask("dap", "break job.py:29\ncontinue")).contains("stopped (breakpoint) at job.py:29 in main",
        "29 | count = add(count, i)", "count = 0");
    assertThat(job.ask("py", "count + 40")).contains("```JSON\n40\n```");
    assertThat(job.ask("python", "order")).contains("\"@type\": \"Order\"", "\"id\": 7",
        "\"items\": [\n    \"tea\",\n    \"cake\"\n  ]");
    assertThat(job.ask("py", "nosuch + 1")).startsWith("#### \uD83D\uDEABjob to")
        .contains("NameError: name 'nosuch' is not defined");
    assertThat(job.ask("dap", "fly")).contains("unknown command 'fly'; commands:");
    assertThat(job.ask("dap", "step\nstack 2")).contains("stopped (step) at job.py:12 in add",
        "* #0 add at job.py:12\n  #1 main at job.py:29");
    assertThat(job.ask("dap", "clear job.py:29\ncontinue")).contains("the program exited with code 3");
    job.awaitListed("exited 3");
    assertThat(job.awaitLogContains("debuggee exited with code 3"))
        .containsPattern("console\\.log\n\\d\\d:\\d\\d:\\d\\d count 3 7\n")
        .containsPattern("console\\.error\n\\d\\d:\\d\\d:\\d\\d to stderr\n");
    assertThat(job.ask("dap", "restart")).contains("> restart\nrestarted: ");
    job.awaitListed("stopped at job.py:1 (entry)");
    assertThat(job.ask("dap", "continue")).contains("the program exited with code 3");
  }
}

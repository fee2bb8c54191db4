package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug realm on a C program ({@code gcc -g -O0}) under the real {@code lldb-vscode-15} (Debian's
 * {@code lldb-15}), which speaks DAP over its stdin and stdout. Realm {@code tool} walks a run from entry to
 * exit; realm {@code spin} loops forever, for an evaluation while running, an adapter killed mid-job and a
 * new adapter started by {@code restart}. The tests are steps of one session, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CDebugIT {
  static final String ADAPTER = "lldb-vscode-15";

  @TempDir
  static Path root;
  @TempDir
  static Path work;

  static DebugRig rig;
  static DebugRig.Realm tool;
  static DebugRig.Realm spin;

  @BeforeAll
  static void build() throws Exception {
    Path src = Files.createDirectories(work.resolve("src"));
    DebugRig.resource("/debug/main.c", src);
    Path program = src.resolve("tool");
    DebugRig.run(src, List.of("gcc", "-g", "-O0", "-o", program.toString(), "main.c"));
    rig = new DebugRig(root);
    tool = rig.realm("tool", "--program", program.toString(), "--cwd", src.toString(), "--", ADAPTER);
    spin = rig.realm("spin", "--program", program.toString(), "--args", "loop", "--no-stop-on-entry",
        "--cwd", src.toString(), "--", ADAPTER);
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  @Order(1)
  void breakpointContinueAndExpressionsOverLocals() {
    tool.awaitListed("live, stopped");
    assertThat(tool.read()).contains("> Append your C expression below to evaluate in the debugged program");
    String reply = tool.ask("dap", "break main.c:25\ncontinue");
    assertThat(reply).contains("> break main.c:25\nbreakpoint 1 at main.c:25",
        "stopped (breakpoint) at main.c:25 in main", "25 | count = add(count, i);", "count = 0");
    tool.awaitListed("stopped at main.c:25 (breakpoint)");
    assertThat(tool.ask("c", "count + 40")).contains("```JSON\n40\n```");
    assertThat(tool.ask("c", "p")).contains("\"@type\": \"point\"", "\"x\": 3", "\"y\": 4");
  }

  @Test
  @Order(2)
  void badExpressionAndBadCommand() {
    assertThat(tool.ask("c", "nosuch + 1")).startsWith("#### \uD83D\uDEABtool to").contains("nosuch");
    assertThat(tool.ask("dap", "jump 3")).startsWith("#### \uD83D\uDEABtool to")
        .contains("unknown command 'jump'; commands: break FILE:LINE [if COND]");
  }

  @Test
  @Order(3)
  void stepAndStack() {
    String reply = tool.ask("dap", "step\nstack 2");
    assertThat(reply).contains("stopped (step) at main.c:7 in add", "7 | int sum = a + b;",
        "* #0 add at main.c:7\n  #1 main at main.c:25");
  }

  @Test
  @Order(4)
  void exitsWithItsCodeAndOutput() {
    String reply = tool.ask("dap", "clear main.c:25\ncontinue");
    assertThat(reply).contains("> continue\nthe program exited with code 3");
    tool.awaitListed("live, exited 3");
    assertThat(tool.awaitLogContains("debuggee exited with code 3"))
        .containsPattern("console\\.log\n\\d\\d:\\d\\d:\\d\\d count 3 3\n");
  }

  @Test
  @Order(5)
  void evaluatesWhileRunningThenTheAdapterIsKilledMidJob() {
    spin.awaitListed("live, running");
    assertThat(spin.ask("c", "ticks > 0")).contains("the program was running: paused it in");
    spin.awaitListed("live, running");
    assertThat(spin.ask("dap", "pause")).contains("> pause\nstopped (");
    spin.append("### \uD83D\uDDE3\uFE0Fvictim to spin at 00:00:00\n```dap\ncontinue\n```\n");
    spin.awaitStarted("victim");
    spin.killAdapter("lldb-vscode");
    assertThat(spin.awaitReply("victim")).startsWith("#### \uD83D\uDEABspin to").contains("AdapterError");
    spin.awaitListed("adapter died");
    assertThat(spin.ask("c", "ticks")).startsWith("#### \uD83D\uDEABspin to").contains("AdapterError",
        "`restart` in a dap fence starts a new debug adapter");
    assertThat(spin.ask("dap", "help")).contains("commands: break FILE:LINE");
    assertThat(spin.ask("dap", "restart")).contains("> restart\nrestarted: running");
    spin.awaitListed("live, running");
    assertThat(spin.ask("c", "ticks > 0")).contains("the program was running: paused it in");
    // the other realm's session is its own: it restarts and stops on entry as launched
    assertThat(tool.ask("dap", "restart")).contains("> restart\nrestarted: stopped");
  }
}

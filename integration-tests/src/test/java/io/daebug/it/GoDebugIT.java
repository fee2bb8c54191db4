package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug realm on a Go program under the real {@code dlv dap} (Debian's delve), built here with
 * {@code go build -gcflags='all=-N -l'} (offline: no modules). One broker; realm {@code api} walks a run from
 * entry to exit, realm {@code spin} runs a loop forever for the waits: evaluate while running, timeout, cancel,
 * and its adapter killed mid-job. The tests run in order: they are steps of one debugging session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoDebugIT {
  @TempDir
  static Path root;
  @TempDir
  static Path work;

  static DebugRig rig;
  static Path program;
  static DebugRig.Realm api;
  static DebugRig.Realm spin;

  @BeforeAll
  static void build() throws Exception {
    Path src = Files.createDirectories(work.resolve("src"));
    DebugRig.resource("/debug/main.go", src);
    Files.copy(DebugRig.class.getResourceAsStream("/debug/go.mod.txt"), src.resolve("go.mod"));
    Path cache = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/go-cache");
    program = src.resolve("demo");
    DebugRig.run(src, List.of("go", "build", "-gcflags=all=-N -l", "-o", program.toString(), "."),
        "GOCACHE", cache.toString(), "GOPATH", work.resolve("gopath").toString(), "GOFLAGS", "-mod=mod",
        "GOPROXY", "off", "GOTOOLCHAIN", "local");
    rig = new DebugRig(root);
    api = rig.realm("api", "--program", program.toString(), "--cwd", src.toString(), "--", "dlv", "dap",
        "--listen=127.0.0.1:0");
    spin = rig.realm("spin", "--program", program.toString(), "--args", "loop", "--no-stop-on-entry",
        "--cwd", src.toString(), "--", "dlv", "dap", "--listen=127.0.0.1:0");
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  @Order(1)
  void startsStoppedAtEntryWithTheLanguageInTheFooter() {
    api.awaitListed("live, stopped");
    assertThat(api.read()).contains("> Append your Go expression below to evaluate in the debugged program"
        + " (```dap fences: debugger commands).");
    assertThat(rig.root().resolve("daebug.md")).content().contains("(debug://");
  }

  @Test
  @Order(2)
  void breakpointFromTheLogThenContinueToIt() {
    String reply = api.ask("dap", "break main.go:33\ncontinue");
    assertThat(reply).startsWith("#### \uD83D\uDC4Dapi to").contains("> break main.go:33\nbreakpoint 1 at main.go:33",
        "> continue\nstopped (breakpoint) at main.go:33 in main.main", "33 | count = add(count, i)",
        "locals: ", "count = 0", "i = 0");
    assertThat(api.awaitListed("stopped at main.go:33 (breakpoint)")).containsPattern(": (live|executing), stopped at");
  }

  @Test
  @Order(3)
  void expressionsOverLocalsRenderedAsJson() {
    assertThat(api.ask("go", "count + 40")).contains("```JSON\n40\n```");
    assertThat(api.ask("go", "order")).contains("```JSON\n{\n  \"@type\": \"main.Order\",\n  \"ID\": 7,\n"
        + "  \"Items\": [\n    \"tea\",\n    \"cake\"\n  ],\n  \"Total\": 12.5\n}\n```");
  }

  @Test
  @Order(4)
  void badExpressionGetsTheAdaptersErrorAndBadCommandTheList() {
    assertThat(api.ask("go", "nosuch + 1")).startsWith("#### \uD83D\uDEABapi to")
        .contains("could not find symbol value for nosuch");
    assertThat(api.ask("dap", "frobnicate")).startsWith("#### \uD83D\uDEABapi to")
        .contains("unknown command 'frobnicate'; commands: break FILE:LINE [if COND], clear FILE:LINE");
  }

  @Test
  @Order(5)
  void stepIntoAFunctionAndReadTheStack() {
    String reply = api.ask("dap", "step\nnext\nstack\nframe 1\nprint count + 1\nthreads");
    assertThat(reply).contains("> step\nstopped (step) at main.go:17 in main.add",
        "> next\nstopped (step) at main.go:18 in main.add", "18 | sum := a + b",
        "* #0 main.add at main.go:18\n  #1 main.main at main.go:33", "> frame 1\nat main.go:33 in main.main",
        "> print count + 1\n1\n", "> threads\n* 1 ");
  }

  @Test
  @Order(6)
  void javaClientSubmitsCommandsAndExpressions() throws Exception {
    try (DaebugClient client = Daebug.connect(java.net.URI.create(rig.uri()))) {
      JobResult locals = client.run(JobRequest.of("api", "locals").withLanguage("dap"), Duration.ofSeconds(60));
      // frame 1 (main.main) is still selected
      assertThat(locals.display()).contains("count = 0 (int)", "i = 0 (int)");
      JobResult sum = client.run(JobRequest.of("api", "count + i + 5").withLanguage("golang"), Duration.ofSeconds(60));
      assertThat(sum.display()).isEqualTo("5");
    }
    assertThat(api.read()).contains("```dap\nlocals\n```", "```go\ncount + i + 5\n```");
  }

  @Test
  @Order(7)
  void runsToItsExitWithOutputAsConsoleEvents() {
    String reply = api.ask("dap", "clear main.go:33\ncontinue");
    // Delve 1.20 sends `terminated` without an `exited` event; the realm asks Delve for the status (ExitProbe)
    assertThat(reply).contains("> continue\nthe program exited with code 3");
    api.awaitListed("live, exited 3");
    String log = api.awaitLogContains("debuggee terminated");
    assertThat(log).contains("debuggee exited with code 3");
    assertThat(log).containsPattern("console\\.log\n\\d\\d:\\d\\d:\\d\\d starting\n")
        .containsPattern("console\\.log\n\\d\\d:\\d\\d:\\d\\d count 3 7\n")
        .containsPattern("console\\.error\n\\d\\d:\\d\\d:\\d\\d to stderr\n");
    assertThat(api.ask("go", "count")).startsWith("#### \uD83D\uDEABapi to").contains("NotRunning: the program exited with code 3");
  }

  @Test
  @Order(8)
  void evaluatesWhileRunningByPausingAndContinuing() {
    spin.awaitListed("live, running");
    String reply = spin.ask("go", "main.ticks > 0");
    assertThat(reply).contains("```JSON\ntrue\n```", "the program was running: paused it in",
        "evaluated, and let it continue");
    spin.awaitListed("live, running");
  }

  @Test
  @Order(9)
  void aWaitThatNeverEndsIsPausedAtItsTimeoutOrCancel() {
    assertThat(spin.ask("dap", "pause")).contains("stopped (pause)");
    String timedOut = spin.ask("dap timeout=6s", "continue");
    assertThat(timedOut).startsWith("#### \uD83D\uDEABspin to")
        .contains("Timeout: > continue\nerror: the job reached its timeout while the program ran: paused it at");
    spin.append("### \uD83D\uDDE3\uFE0Fcanceller to spin at 00:00:00\n```dap\ncontinue\n```\n");
    spin.awaitListed("running");
    spin.append("%%CANCEL%%\n");
    String cancelled = spin.awaitReply("canceller");
    assertThat(cancelled).startsWith("#### \uD83D\uDEABspin to").contains("cancelled");
    spin.awaitListed("stopped");
  }

  @Test
  @Order(10)
  void anAdapterKilledMidJobEndsTheJobAndTheBrokerCarriesOn() {
    spin.append("### \uD83D\uDDE3\uFE0Fvictim to spin at 00:00:00\n```dap\ncontinue\n```\n");
    spin.awaitListed("running");
    spin.killAdapter("dlv");
    String reply = spin.awaitReply("victim");
    assertThat(reply).startsWith("#### \uD83D\uDEABspin to").contains("AdapterError", "the debug adapter");
    spin.awaitListed("adapter died");
    assertThat(spin.ask("go", "1")).contains("AdapterError");
    assertThat(api.ask("dap", "help")).contains("commands: break FILE:LINE");
  }
}

package io.daebug.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchSpecTest {
  @TempDir
  Path dir;

  private LaunchSpec spec(String program, Long pid, String config, List<String> adapter) throws IOException {
    return LaunchSpec.of(new LaunchSpec.Options(null, program, List.of("-v"), dir, pid, config, null, null, adapter,
        null));
  }

  @Test
  void delveLaunchesABuiltBinaryInExecModeStoppedAtEntry() throws IOException {
    LaunchSpec s = spec("demo", null, null, List.of("dlv", "dap", "--listen=127.0.0.1:0"));
    assertThat(s.language()).isEqualTo("go");
    assertThat(s.tcp()).isTrue();
    assertThat(s.request()).isEqualTo("launch");
    assertThat(s.arguments()).containsEntry("mode", "exec").containsEntry("program", dir.resolve("demo").toString())
        .containsEntry("args", List.of("-v")).containsEntry("stopOnEntry", true)
        .containsEntry("cwd", dir.toString());
    assertThat(s.url()).startsWith("debug://").endsWith("/demo");
  }

  @Test
  void lldbSpeaksOverStdioAndAttachesByPid() throws IOException {
    LaunchSpec s = spec(null, 4242L, null, List.of("lldb-vscode-15"));
    assertThat(s.tcp()).isFalse();
    assertThat(s.language()).isEqualTo("c");
    assertThat(s.request()).isEqualTo("attach");
    assertThat(s.arguments()).containsEntry("pid", 4242L).containsEntry("processId", 4242L);
  }

  @Test
  void aLaunchJsonEntryWithCommentsIsTakenByName() throws IOException {
    Path file = dir.resolve("launch.json");
    Files.writeString(file, "{\n  // editors write comments\n  \"configurations\": [\n"
        + "    {\"name\": \"other\", \"request\": \"launch\", \"program\": \"x\"},\n"
        + "    {\"name\": \"job\", \"type\": \"python\", \"request\": \"launch\","
        + " \"program\": \"${workspaceFolder}/job.py\", \"env\": {\"A\": \"1\"},},\n  ]\n}\n");
    LaunchSpec s = spec(null, null, file + "#job", List.of("/usr/bin/python3", "-m", "debugpy.adapter"));
    assertThat(s.language()).isEqualTo("python");
    assertThat(s.arguments()).containsEntry("program", dir + "/job.py").containsEntry("console", "internalConsole")
        .containsKey("env");
    assertThatThrownBy(() -> spec(null, null, file + "#nope", List.of("lldb-vscode-15")))
        .hasMessageContaining("no configuration named 'nope'");
  }

  @Test
  void withoutAnAdapterOrProgramTheErrorSaysWhatToGive() {
    assertThatThrownBy(() -> spec("demo", null, null, List.of())).hasMessageContaining("give its command line after --");
    assertThatThrownBy(() -> spec(null, null, null, List.of("dlv", "dap"))).hasMessageContaining("--program");
  }

  @Test
  void delveIsTcpEvenWithoutListen() throws IOException {
    assertThat(spec("demo", null, null, List.of("dlv", "dap")).tcp()).isTrue();
    assertThat(spec("demo", null, null, List.of("lldb-dap")).tcp()).isFalse();
    assertThat(spec("demo", null, null, List.of("codelldb", "--port", "0")).tcp()).isTrue();
  }
}

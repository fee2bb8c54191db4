package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DialectTest {
  @Test
  void existingRealmsKeepTheirFooterAndTags() {
    assertThat(JournalFormat.prompt(null)).isEqualTo("> Append your JavaScript snippet below to execute against this page.");
    assertThat(JournalFormat.prompt("java")).isEqualTo("> Append your Java snippet below to execute against this realm.");
    // issue 16: a JavaScript realm that is not a page says "this realm" (workers, Node processes)
    assertThat(JournalFormat.prompt(Dialect.key("worker", "javascript")))
        .isEqualTo("> Append your JavaScript snippet below to execute against this realm.");
    assertThat(JournalFormat.prompt(Dialect.key("node", null)))
        .isEqualTo("> Append your JavaScript snippet below to execute against this realm.");
    assertThat(JournalFormat.prompt(Dialect.key("iframe", "javascript")))
        .isEqualTo("> Append your JavaScript snippet below to execute against this page.");
    assertThat(Dialect.of(Dialect.key("node", "javascript")).runs("js")).isTrue();
    assertThat(Dialect.of(Dialect.key("page", "javascript")).runs("")).isTrue();
    assertThat(Dialect.of("javascript").runs("MJS")).isTrue();
    assertThat(Dialect.of("java").runs("js")).isFalse();
    assertThat(JournalFormat.fenceTag("javascript")).isEqualTo("JS");
    assertThat(JournalFormat.fenceTag("java")).isEqualTo("java");
  }

  @Test
  void aDebugRealmRunsItsLanguageWithAliasesAndDapCommands() {
    Dialect go = Dialect.of(Dialect.key("debug", "go"));
    assertThat(Dialect.key("debug", "go")).isEqualTo("go@debug");
    assertThat(go.prompt()).isEqualTo("> Append your Go expression below to evaluate in the debugged program"
        + " (```dap fences: debugger commands).");
    assertThat(go.jobLanguage("golang")).isEqualTo("go");
    assertThat(go.jobLanguage("GO")).isEqualTo("go");
    assertThat(go.jobLanguage("dap")).isEqualTo("dap");
    assertThat(go.jobLanguage("js")).isNull();
    assertThat(go.fenceTag("dap")).isEqualTo("dap");
    assertThat(go.fenceTag("go")).isEqualTo("go");
    assertThat(Dialect.of(Dialect.key("debug", "cpp")).prompt()).startsWith("> Append your C++ expression below");
    assertThat(Dialect.of(Dialect.key("jvm", "go")).runs("dap")).isFalse();
  }

  @Test
  void aNewLogOfADebugRealmSaysHowToWriteCommands() {
    assertThat(JournalFormat.newLog("api", "go@debug")).contains("then a ```go fence",
        "A ```dap fence holds debugger commands").endsWith("(```dap fences: debugger commands).\n\n");
  }
}

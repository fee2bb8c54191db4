package io.daebug.app.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogEntriesTest {
  private static final String FOOTER = "-".repeat(70) + "\n> Append your JavaScript snippet below to execute against this page.\n\n";

  static final String LOG = "# tab Session\n\nguide line\n\n"
      + "### \uD83D\uDDE3\uFE0Fclaude to tab at 10:00:00\n```JS\n1+1\n```\n#### \uD83D\uDC4Dtab to claude at 10:00:00 (3ms)\n```JSON\n2\n```\n\n"
      + "### \uD83D\uDDE3\uFE0Fit-http to tab at 10:00:01\n````JS\nconst s = `\n### not a header\n`;\ns\n````\n"
      + "#### \uD83D\uDC4Dtab to it-http at 10:00:01 (1ms)\n```JSON\n\"\\n### not a header\\n\"\n```\n\n"
      + "### \uD83D\uDDE3\uFE0Ftab background at 10:00:02\n##### \u2611\uFE0Fconsole.log\n```Text console.log\n10:00:02 hi\n```\n\n"
      + FOOTER;

  @Test
  void entriesStartAtHeadersOutsideFencesAndStopAtTheFooter() {
    List<String> entries = LogEntries.parse(LOG);
    assertThat(entries).hasSize(3);
    assertThat(entries.get(0)).startsWith("### \uD83D\uDDE3\uFE0Fclaude to tab").endsWith("```\n\n");
    assertThat(entries.get(1)).contains("### not a header", "(1ms)");
    assertThat(entries.get(2)).startsWith("### \uD83D\uDDE3\uFE0Ftab background").doesNotContain("-".repeat(70));
  }

  @Test
  void sinceFindsTheLastRequestOfThatAgentWithThatCode() {
    List<String> entries = LogEntries.parse(LOG);
    assertThat(LogEntries.since(entries, "it-http", "tab", "const s = `\n### not a header\n`;\ns")).hasSize(2);
    assertThat(LogEntries.since(entries, "claude", "tab", "1+1")).hasSize(3);
    assertThat(LogEntries.since(entries, "someone", "tab", "1+1")).isEmpty();
  }

  @Test
  void aLogWithoutEntriesHasNone() {
    assertThat(LogEntries.parse("# tab Session\n\nguide\n\n" + FOOTER)).isEmpty();
    assertThat(LogEntries.parse("")).isEmpty();
  }

  @Test
  void cutsSayHowMuchAndWhereAllOfItIs() {
    String big = "x".repeat(5000);
    String cut = Bounded.cut(big, 1000, "daebug/tab.md (job j-1)");
    assertThat(cut.length()).isLessThanOrEqualTo(1000);
    assertThat(cut).endsWith("… (" + (5000 - cut.indexOf('\n')) + " more characters cut; all of it is in daebug/tab.md (job j-1))");
    assertThat(Bounded.cut("short", 1000, "x")).isEqualTo("short");
    String front = Bounded.cutFront(big + "END", 1000, "daebug/tab.md");
    assertThat(front).startsWith("… (").contains("earlier characters cut; all of it is in daebug/tab.md").endsWith("END");
    assertThat(front.length()).isLessThanOrEqualTo(1000);
    String pairs = "\uD83D\uDE00".repeat(600);
    assertThat(Bounded.cut(pairs, 300, "x")).doesNotContain("\uD83D\n");
  }

  @Test
  void theAgentNameIsTheMcpClientsNameSanitised() {
    assertThat(DaebugTools.agentName(McpSchema.Implementation.builder("claude-code", "1.0").build())).isEqualTo("claude-code");
    assertThat(DaebugTools.agentName(McpSchema.Implementation.builder("Visual Studio Code", "1").build()))
        .isEqualTo("Visual-Studio-Code");
    assertThat(DaebugTools.agentName(null)).isEqualTo("mcp");
  }
}

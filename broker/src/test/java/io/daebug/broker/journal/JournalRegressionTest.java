package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bugs the journal properties found, one test each, named after the bug. */
class JournalRegressionTest {
  @TempDir
  Path dir;

  private static final String R = HostileMarkdown.REALM;
  private static final String L = HostileMarkdown.LANGUAGE;
  private static final String NEW = HostileMarkdown.NEW;

  @Test
  void acceptGaveTheDraftBelowTheFooterALineEndingTheAgentHadNotTypedYet() {
    LogDocument doc = LogDocument.parse(NEW + "```js\n1\n```\n\n```js\nlet x = ");
    assertThat(LogEditor.accept(doc, R, L, "10:00:00", 0)).hasSize(1);
    // Appending "1\n```\n" next must make the code "let x = 1", not "let x = \n1".
    assertThat(doc.text()).endsWith("page.\n\n```js\nlet x = ");
  }

  @Test
  void theLineAnAgentWasStillTypingBelowAnAcceptedRequestWasTakenAsItsProse() {
    // Found by CrashIT: the placeholder write applied the accept to a file in which the agent had begun the next
    // request ("#" of "### 🗣️..."); the "#" went above the footer, the rest of the header stayed below and the
    // request ran as agent's, its header split in two.
    LogDocument doc = LogDocument.parse(NEW + "### 🗣️a1 to " + R + " at 10:11:23\n```js\n1\n```\n#");
    assertThat(LogEditor.accept(doc, R, L, "10:00:00", 0)).hasSize(1);
    assertThat(doc.text()).endsWith(JournalFormat.footer(L) + "#");
    LogDocument typed = LogDocument.parse(doc.text() + "## 🗣️a1 to " + R + " at 10:11:24\n```js\n2\n```\n");
    assertThat(LogEditor.accept(typed, R, L, "10:00:01", 1)).singleElement()
        .satisfies(q -> assertThat(q.agent() + ":" + q.code()).isEqualTo("a1:2"));
  }

  @Test
  void aFenceWhoseInfoStringHeldAParagraphOrLineSeparatorWasReadAsProse() {
    // Markdown breaks lines only at LF, CR and CRLF: U+2028, U+2029 and U+0085 are part of the info string,
    // so the first fence is tagged "js\u2028" (not runnable) and its closing fence must not open another
    // one that would run "```js\n2".
    for (String sep : List.of("\u2028", "\u2029", "\u0085")) {
      LogDocument doc = LogDocument.parse(NEW + "```js" + sep + "\n1\n```\n```js\n2\n```\n");
      assertThat(LogEditor.accept(doc, R, L, "10:00:00", 0)).as(Props.escape(sep))
          .extracting(LogEditor.NewRequest::code).containsExactly("2");
    }
  }

  @Test
  void aClosingFenceFollowedByOtherWhitespaceThanSpacesOrTabsClosedTheFence() {
    LogDocument doc = LogDocument.parse(NEW + "```js\n1\n```\u2028\n2\n``` \t\n");
    assertThat(LogEditor.accept(doc, R, L, "10:00:00", 0)).extracting(LogEditor.NewRequest::code)
        .containsExactly("1\n```\u2028\n2");
  }

  @Test
  void aBlankLineTheBrokerWroteAfterALineEndingInALoneCarriageReturnMergedIntoItsLineEnding() {
    LogDocument doc = LogDocument.parse("# " + R + " Session\n\nguide\r" + JournalFormat.footer(L) + "```js\n1\n```\n");
    LogEditor.accept(doc, R, L, "10:00:00", 0);
    // "guide\r" + "\n" would be one CRLF line break: the blank line keeps a CR of its own.
    assertThat(doc.text()).contains("guide\r\r" + JournalFormat.requestHeader("agent", R, "10:00:00") + "\n");
    LogDocument again = LogDocument.parse(doc.text());
    assertThat(again.lines).isEqualTo(doc.lines);
    assertThat(again.ends).isEqualTo(doc.ends);
  }

  @Test
  void aBackgroundBlockInALogWithoutAFooterWasWrittenInsideTheDraftAtItsEnd() {
    LogDocument doc = LogDocument.parse("# notes\n\n### 🗣️claude to r at 10:00:00\n```js\nlet x = 1;\n");
    LogEditor.aboveFooter(doc, Replies.background(R, "10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "hi")), 0)),
        L);
    assertThat(doc.text()).isEqualTo("# notes\n\n### 🗣️" + R + " background at 10:00:01\n##### ☑️console.log\n"
        + "```Text console.log\n10:00:01 hi\n```\n\n" + JournalFormat.footer(L)
        + "### 🗣️claude to r at 10:00:00\n```js\nlet x = 1;\n");
  }

  @Test
  void aBackgroundBlockInALogWithoutAFooterLeftTheRequestsStillToRunAboveTheFooterWhereTheyNeverRan() {
    LogDocument doc = LogDocument.parse("# notes\n\n### 🗣️claude to r at 10:00:00\nwhy\n\n```js\n1\n```\n");
    LogEditor.aboveFooter(doc, List.of("### 🗣️" + R + " background at 10:00:01"), L);
    assertThat(doc.text()).startsWith("# notes\n\n### 🗣️" + R + " background at 10:00:01\n\n" + JournalFormat.footer(L)
        + "### 🗣️claude to r at 10:00:00\n");
    assertThat(LogEditor.accept(doc, R, L, "10:00:02", 0)).singleElement()
        .satisfies(q -> assertThat(q.agent() + ":" + q.code()).isEqualTo("claude:1"));
  }

  @Test
  void aLongLineLookingLikeAHeaderStalledTheBrokerInQuadraticBacktracking() {
    int mb = 1 << 20;
    // Each of these took from minutes to hours (64 KB of the second took 86 s): the core stood still.
    assertThat(Requests.header(JournalFormat.REQUEST_MARK + "a to ".repeat(mb / 5))).isNotNull()
        .extracting(Requests.Header::agent).isEqualTo("a");
    assertThat(Requests.header(JournalFormat.REQUEST_MARK + "x".repeat(mb) + " \u2028 y")).isNotNull();
    assertThat(Requests.header("> **a** to " + "b to ".repeat(mb / 5) + " at 10:00:00 x")).isNull();
    // Ordinary headers read as before.
    assertThat(Requests.header("### 🗣️claude code to r at 10:11:12").agent()).isEqualTo("claude code");
    assertThat(Requests.header("> **gpt** to r at 1:02").normalised()).isEqualTo("### 🗣️gpt to r at 1:02");
  }

  @Test
  void aRequestAppendedJustBeforeABrokerWriteWasTakenAsSeenAndNeverRan() throws Exception {
    Path file = dir.resolve(R + ".md");
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, R, L, 1024, sync)) {
      log.create();
      assertThat(log.peek("10:00:00", 0, true, List.of())).isEmpty();
      // The agent appends a request; before the broker reads it, a background block is written.
      Files.writeString(file, "```js\n1\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      log.batch().background("10:00:01", Events.of(List.of(new JournalEvent("log", "10:00:01", "hi")), 0)).commit();
      assertThat(Files.readString(file)).endsWith("page.\n\n```js\n1\n```\n");
      // The write carried the request over unaccepted: the file must still count as changed, so that the
      // watcher's event for it (or for the write) makes the broker read it and run the request.
      assertThat(log.changedSinceLastSeen()).isTrue();
      assertThat(log.peek("10:00:02", 0, true, List.of())).extracting(RealmLog.Request::code).containsExactly("1");
    }
  }
}

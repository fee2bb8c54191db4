package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.journal.HostileMarkdown.Doc;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Properties of reading and accepting hostile logs (see {@link HostileMarkdown} for what is generated):
 * the parser is total and lossless and agrees with an independent reading; accept dispatches exactly the
 * complete runnable fences below the footer, never a draft; accepting is stable and idempotent; and it
 * keeps every byte the agent wrote outside the lines the broker adds.
 */
class JournalPropertiesTest {
  static final String R = HostileMarkdown.REALM;
  static final String L = HostileMarkdown.LANGUAGE;
  /** The broker's clock in these properties: a time the generators never write. */
  static final String NOW = "23:59:58";

  static void forAllLogs(String name, int tries, Props.Check<Doc> check) {
    Props.forAll(name, tries, HostileMarkdown::log, Doc::shrinks, Doc::toString, check);
  }

  @Test
  void theParserIsLosslessAndReadsFencesAndTheFooterAsTheReferenceDoes() {
    forAllLogs("parser agrees with the reference", 500, d -> checkParser(d.text()));
  }

  @Test
  void anyTextAtAllParsesAcceptsAndRendersBackUnchangedWhereNothingRuns() {
    Props.forAll("any text", 300, r -> randomText(r, 300), t -> List.of(), Props::escape, text -> {
      LogDocument doc = LogDocument.parse(text);
      assertThat(doc.text()).isEqualTo(text);
      List<LogEditor.NewRequest> got = LogEditor.accept(doc, R, L, NOW, 0);
      if (got.isEmpty()) {
        assertThat(doc.text()).isEqualTo(text);
      }
      LogEditor.abandonStale(doc, R, NOW, "stale");
      LogEditor.aboveFooter(doc, List.of("x"), L);
    });
  }

  @Test
  void acceptDispatchesExactlyTheCompleteRunnableFencesBelowTheFooterAndNeverADraft() {
    AtomicInteger withRequests = new AtomicInteger();
    AtomicInteger withDrafts = new AtomicInteger();
    forAllLogs("accept takes what the reference expects", 500, d -> {
      withRequests.addAndGet(checkAccept(d.text()) ? 1 : 0);
      withDrafts.addAndGet(new ReferenceMarkdown(d.text()).fences.stream().anyMatch(f -> !f.closed()) ? 1 : 0);
    });
    assertThat(withRequests.get()).as("cases with requests").isGreaterThan(100);
    assertThat(withDrafts.get()).as("cases with drafts").isGreaterThan(100);
  }

  @Test
  void acceptIsStableWhenReparsedAndIdempotent() {
    forAllLogs("accept is idempotent", 400, d -> checkAcceptIsIdempotent(d.text(), d.lines().size() % 3));
  }

  @Test
  void acceptKeepsEveryByteTheAgentWroteOutsideTheLinesTheBrokerAdds() {
    forAllLogs("accept keeps the agent's text", 500, d -> checkAcceptKeepsAgentText(d.text()));
  }

  /** The parser gives back the text it read, and finds the fences and the footer the reference finds. */
  static void checkParser(String text) {
    LogDocument doc = LogDocument.parse(text);
    ReferenceMarkdown ref = new ReferenceMarkdown(text);
    assertThat(doc.text()).isEqualTo(text);
    assertThat(doc.lines).isEqualTo(ref.lines);
    assertThat(doc.fences()).extracting(f -> f.open() + ".." + f.close())
        .containsExactlyElementsOf(ref.fences.stream().map(f -> f.open() + ".." + f.close()).toList());
    assertThat(doc.footer()).isEqualTo(ref.footer());
  }

  /** Accept takes the requests the reference expects, with the placeholder headers expected; true if any. */
  static boolean checkAccept(String text) {
    List<String> expected = expectedRequests(new ReferenceMarkdown(text));
    List<LogEditor.NewRequest> got = LogEditor.accept(LogDocument.parse(text), R, L, NOW, 0);
    assertThat(got).extracting(q -> q.agent() + " <- " + q.code()).containsExactlyElementsOf(expected);
    assertThat(got).allSatisfy(q -> assertThat(q.pendingHeader())
        .isEqualTo(JournalFormat.pendingHeader(R, q.agent(), NOW)));
    return !got.isEmpty();
  }

  /** What accept wrote reads back as the same document, and a second accept finds nothing and changes nothing. */
  static void checkAcceptIsIdempotent(String text, int ahead) {
    LogDocument doc = LogDocument.parse(text);
    LogEditor.accept(doc, R, L, NOW, ahead);
    String once = doc.text();
    LogDocument again = LogDocument.parse(once);
    assertSameDocument(again, doc);
    assertThat(LogEditor.accept(again, R, L, NOW, 0)).isEmpty();
    assertThat(again.text()).isEqualTo(once);
  }

  /** Accept changes nothing above the footer, leaves the rest of the tail as it was, and keeps every line. */
  static void checkAcceptKeepsAgentText(String text) {
    ReferenceMarkdown before = new ReferenceMarkdown(text);
    LogDocument doc = LogDocument.parse(text);
    if (LogEditor.accept(doc, R, L, NOW, 0).isEmpty()) {
      assertThat(doc.text()).isEqualTo(text);
      return;
    }
    String out = doc.text();
    ReferenceMarkdown after = new ReferenceMarkdown(out);
    // Above the old footer (and the blank lines before it) nothing changes, byte for byte.
    int f = before.footer();
    if (f >= 0) {
      int h = f;
      while (h > 0 && before.lines.get(h - 1).isBlank()) {
        h--;
      }
      assertThat(out).startsWith((before.bom ? "\uFEFF" : "") + before.text(0, h));
    }
    // The broker's footer is the last one, and what follows it is the end of the agent's text as it was.
    int footer = after.footer();
    assertThat(footer).isGreaterThanOrEqualTo(0);
    assertThat(after.lines.subList(footer, footer + 3)).containsExactly(JournalFormat.RULE, HostileMarkdown.PROMPT, "");
    assertThat(text).endsWith(after.text(footer + 3, after.lines.size()));
    // Every other line the agent wrote is still there, in order, with its own line ending.
    assertSameAgentLines(before, after);
  }

  /** Asserts that re-reading what the broker wrote gives the document it edited, line for line. */
  static void assertSameDocument(LogDocument reparsed, LogDocument edited) {
    assertThat(reparsed.text()).isEqualTo(edited.text());
    assertThat(reparsed.lines).isEqualTo(edited.lines);
    assertThat(reparsed.ends).isEqualTo(edited.ends);
  }

  /**
   * The requests an accept must take, as "agent <- code", read with the reference parser: closed fences
   * tagged for JavaScript below the footer with no reply right after them, in file order; the agent is
   * the one named by the last header above the fence below the footer, else "agent".
   */
  static List<String> expectedRequests(ReferenceMarkdown ref) {
    int footer = ref.footer();
    List<String> out = new ArrayList<>();
    String agent = null;
    int fence = 0;
    for (int i = footer < 0 ? 0 : footer + 2; i < ref.lines.size(); i++) {
      while (fence < ref.fences.size() && ref.fences.get(fence).open() < i) {
        fence++;
      }
      if (fence < ref.fences.size() && ref.fences.get(fence).open() == i) {
        ReferenceMarkdown.Fence f = ref.fences.get(fence);
        if (!f.closed()) {
          break;
        }
        if (JournalFormat.isRunnable(f.tag(), L) && !ref.replied(f)) {
          out.add((agent == null ? "agent" : agent) + " <- " + ref.content(f));
        }
        i = f.close();
      } else if (Requests.header(ref.lines.get(i)) != null) {
        agent = Requests.header(ref.lines.get(i)).agent();
      }
    }
    return out;
  }

  /**
   * Asserts that the agent's lines of {@code before} are those of {@code after}, in order and with their
   * own line endings, leaving aside blank lines outside fences, each side's last footer, the lines the
   * broker adds when it accepts (a header, a placeholder and its status, all at {@link #NOW}), and the
   * normalising of old-style headers. A last line without a line ending may get one
   * only when the broker wrote something after it.
   */
  static void assertSameAgentLines(ReferenceMarkdown before, ReferenceMarkdown after) {
    List<AgentLine> was = agentLines(before);
    List<AgentLine> is = agentLines(after);
    assertThat(is.stream().map(AgentLine::text).toList()).as("the agent's lines")
        .hasSameSizeAs(was);
    for (int i = 0; i < was.size(); i++) {
      AgentLine w = was.get(i);
      AgentLine n = is.get(i);
      Requests.Header h = Requests.header(w.text());
      String want = n.text().equals(w.text()) || h == null ? w.text() : h.normalised();
      String end = w.end().isEmpty() && !n.last() ? "\n" : w.end();
      assertThat(n.text() + "|" + Props.escape(n.end())).as("agent line %d", i)
          .isEqualTo(want + "|" + Props.escape(end));
    }
  }

  /** A line as the agent wrote it, its line ending, and whether it is the file's last line. */
  record AgentLine(String text, String end, boolean last) {}

  private static List<AgentLine> agentLines(ReferenceMarkdown doc) {
    List<AgentLine> out = new ArrayList<>();
    int footer = doc.footer();
    String pendingPrefix = JournalFormat.OK_MARK + R + " to ";
    for (int i = 0; i < doc.lines.size(); i++) {
      String line = doc.lines.get(i);
      if (i == footer) {
        i++;
        continue;
      }
      if (!doc.inFence(i)) {
        if (line.isBlank() || line.equals(JournalFormat.requestHeader("agent", R, NOW))) {
          continue;
        }
        if (line.startsWith(pendingPrefix) && line.endsWith(" at " + NOW)) {
          i++;
          continue;
        }
      }
      out.add(new AgentLine(line, doc.ends.get(i), i == doc.lines.size() - 1));
    }
    return out;
  }

  /** Any characters at all, lone surrogates and every line break included. */
  static String randomText(SplittableRandom r, int max) {
    int n = r.nextInt(max + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(4);
      sb.append(k == 0 ? (char) r.nextInt(0x10000) : k == 1 ? "`~\r\n -#>"
          .charAt(r.nextInt(8)) : HostileMarkdown.text(r, 6));
    }
    return sb.toString();
  }
}

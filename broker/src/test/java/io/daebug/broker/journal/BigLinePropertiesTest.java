package io.daebug.broker.journal;

import io.daebug.broker.journal.HostileMarkdown.Doc;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The journal's properties on logs holding 1 MB lines: header look-alikes full of {@code " to "}, fences of a
 * million backticks, a 1 MB info string, a 1 MB line of code, prose with every odd character, and a 1 MB
 * reply. They must hold, and hold in linear time: a pattern that backtracks quadratically on such a line
 * stalls the broker's core for hours, and the suite's timeout fails the test.
 */
class BigLinePropertiesTest {
  private static final int MB = 1 << 20;

  /** A hostile log with one or two 1 MB lines put in at random places. */
  private static Doc withBigLines(SplittableRandom r) {
    Doc d = HostileMarkdown.log(r);
    List<String> lines = new ArrayList<>(d.lines());
    int n = 1 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      lines.addAll(r.nextInt(lines.size() + 1), bigPiece(r));
    }
    return HostileMarkdown.withEnds(r, d.bom(), lines);
  }

  private static List<String> bigPiece(SplittableRandom r) {
    return switch (r.nextInt(9)) {
      case 0 -> List.of(JournalFormat.REQUEST_MARK + "a to ".repeat(MB / 5));
      case 1 -> List.of(JournalFormat.REQUEST_MARK + "x".repeat(MB) + " \u2028 y");
      case 2 -> List.of("> **a** to " + "b to ".repeat(MB / 5) + " at 10:00:00 x");
      case 3 -> List.of("```js " + "i ".repeat(MB / 2), "1", "```");
      case 4 -> List.of("`".repeat(MB), "code", "`".repeat(MB));
      case 5 -> List.of("~".repeat(MB));
      case 6 -> List.of("```js", "'" + "`".repeat(MB / 2) + "'.length", "```");
      case 7 -> List.of(JournalFormat.pendingHeader(HostileMarkdown.REALM, "a", "1".repeat(MB)), "executing (0s)");
      default -> List.of(HostileMarkdown.text(r, MB));
    };
  }

  private static void forAllBig(String name, Props.Check<Doc> check) {
    Props.forAll(name, 5, BigLinePropertiesTest::withBigLines, d -> List.of(), d -> d.toString().substring(0, 2000),
        check);
  }

  @Test
  void theParserAndAcceptHoldOnMegabyteLines() {
    forAllBig("1 MB lines: parse and accept", d -> {
      String text = d.text();
      JournalPropertiesTest.checkParser(text);
      JournalPropertiesTest.checkAccept(text);
      JournalPropertiesTest.checkAcceptIsIdempotent(text, 0);
      JournalPropertiesTest.checkAcceptKeepsAgentText(text);
    });
  }

  @Test
  void repliesAndBackgroundBlocksHoldOnMegabyteLinesAndValues() {
    forAllBig("1 MB lines: replies", d -> {
      String text = d.text() + (d.text().endsWith("\n") ? "" : "\n") + "```js\nbig()\n```\n";
      SplittableRandom r = new SplittableRandom(text.length());
      ReplyPropertiesTest.checkReplies(text, r, g -> g.nextBoolean() ? HostileMarkdown.hostileText(g)
          : "`".repeat(g.nextInt(MB)) + "\n" + JournalFormat.RULE + "\n" + HostileMarkdown.PROMPT + "\n```js\nx\n```");
      ReplyPropertiesTest.checkBackground(text, r);
    });
  }
}

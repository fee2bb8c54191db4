package io.daebug.broker.journal;

import static io.daebug.broker.journal.JournalPropertiesTest.L;
import static io.daebug.broker.journal.JournalPropertiesTest.NOW;
import static io.daebug.broker.journal.JournalPropertiesTest.R;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.journal.HostileMarkdown.Doc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Properties of the broker's writes into hostile logs: a reply, whatever its value, error or console
 * output, replaces exactly its placeholder, comes back out of the file as it went in, and forges no
 * request, no reply and no footer; status refreshes and the restart clean-up are idempotent; background
 * blocks land above the footer, never inside a draft and never above a request still to run.
 */
class ReplyPropertiesTest {
  /** A log and the seed of the replies written into it. */
  record Case(Doc doc, long seed) {
    List<Case> shrinks() {
      return doc.shrinks().stream().map(d -> new Case(d, seed)).toList();
    }

    @Override
    public String toString() {
      return doc + "\n(replies from seed " + seed + ")";
    }
  }

  private static void forAllCases(String name, int tries, Props.Check<Case> check) {
    Props.forAll(name, tries, r -> new Case(HostileMarkdown.log(r), r.nextLong()), Case::shrinks, Case::toString,
        check);
  }

  /** A pending job as the broker tracks it: its code, its placeholder's header and its agent. */
  record Pending(String code, String header, String agent) {}

  @Test
  void aReplyReplacesExactlyItsPlaceholderAndForgesNothing() {
    AtomicInteger replied = new AtomicInteger();
    forAllCases("hostile replies", 300, c -> replied.addAndGet(
        checkReplies(c.doc().text(), new SplittableRandom(c.seed()), HostileMarkdown::hostileText)));
    assertThat(replied.get()).as("replies written").isGreaterThan(100);
  }

  @Test
  void statusRefreshesAndTheRestartCleanUpAreIdempotent() {
    forAllCases("idempotent edits", 300, c -> checkIdempotentEdits(c.doc().text()));
  }

  @Test
  void manyStatusLinesSetInOnePassDoWhatSettingThemOneByOneDoes() {
    AtomicInteger set = new AtomicInteger();
    forAllCases("status lines in one pass", 300,
        c -> set.addAndGet(checkStatusesInOnePass(c.doc().text(), new SplittableRandom(c.seed()))));
    assertThat(set.get()).as("status lines set").isGreaterThan(100);
  }

  @Test
  void backgroundBlocksLandAboveTheFooterNeverInADraftAndNeverAboveARequestStillToRun() {
    forAllCases("background blocks", 400, c -> checkBackground(c.doc().text(), new SplittableRandom(c.seed())));
  }

  /**
   * Accepts the log's requests and answers them in random order with values from {@code values}: each reply
   * replaces exactly its placeholder, its value reads back out of its fence, and it forges no footer and no
   * request. Returns how many replies were written.
   */
  static int checkReplies(String log, SplittableRandom r, Props.Gen<String> values) {
    int replied = 0;
    LogDocument doc = LogDocument.parse(log);
    List<Pending> pending = pending(LogEditor.accept(doc, R, L, NOW, 0));
    while (!pending.isEmpty()) {
      int index = r.nextInt(pending.size());
      Pending job = pending.get(index);
      LogEditor.Anchor anchor = anchor(pending, index);
      pending.remove(index);
      String text = doc.text();
      ReferenceMarkdown before = new ReferenceMarkdown(text);
      int h = LogEditor.findPending(doc, anchor);
      assertIsPlaceholder(before, h, anchor);
      String value = values.next(r);
      List<String> reply = reply(r, job.agent(), value);

      LogEditor.reply(doc, anchor, reply, L);
      replied++;

      String out = doc.text();
      // Exactly the placeholder's two lines were replaced, byte for byte.
      assertThat(out).isEqualTo((before.bom ? "\uFEFF" : "") + before.text(0, h) + String.join("\n", reply) + "\n"
          + before.text(h + 2, before.lines.size()));
      ReferenceMarkdown after = new ReferenceMarkdown(out);
      // The value comes back out of its fence as it went in.
      List<String> valueLines = JournalFormat.splitLines(JournalFormat.wellFormed(value));
      ReferenceMarkdown.Fence fence = after.fences.stream().filter(f -> f.open() == h + 1).findFirst().orElseThrow();
      assertThat(fence.close()).isEqualTo(h + 1 + valueLines.size() + 1);
      assertThat(after.content(fence)).isEqualTo(String.join("\n", valueLines));
      // No footer and no request were forged, and the other placeholders are still found.
      assertThat(after.footers()).hasSameSizeAs(before.footers());
      assertThat(after.footer()).isEqualTo(before.footer() < h ? before.footer() : before.footer() + reply.size() - 2);
      LogDocument reread = LogDocument.parse(out);
      JournalPropertiesTest.assertSameDocument(reread, doc);
      assertThat(LogEditor.accept(reread, R, L, NOW, 0)).isEmpty();
      for (int i = 0; i < pending.size(); i++) {
        assertIsPlaceholder(after, LogEditor.findPending(reread, anchor(pending, i)), anchor(pending, i));
      }
      assertThat(LogEditor.findPending(reread, new LogEditor.Anchor(job.code(), job.header(),
          (int) pending.stream().filter(p -> p.code().equals(job.code()) && p.header().equals(job.header())).count())))
          .as("placeholders left for this code and header").isEqualTo(-1);
    }
    return replied;
  }

  /** Status refreshes and the restart clean-up, applied twice, change nothing the second time. */
  static void checkIdempotentEdits(String log) {
    LogDocument doc = LogDocument.parse(log);
    List<Pending> pending = pending(LogEditor.accept(doc, R, L, NOW, 0));
    for (int i = 0; i < pending.size(); i++) {
      assertThat(LogEditor.setStatus(doc, anchor(pending, i), JournalFormat.executing(7))).isTrue();
      String once = doc.text();
      assertThat(LogEditor.setStatus(doc, anchor(pending, i), JournalFormat.executing(7))).isTrue();
      assertThat(doc.text()).isEqualTo(once);
    }
    int replaced = LogEditor.abandonStale(doc, R, NOW, "no result: the broker stopped");
    assertThat(replaced).isGreaterThanOrEqualTo(pending.size());
    String once = doc.text();
    LogDocument reread = LogDocument.parse(once);
    JournalPropertiesTest.assertSameDocument(reread, doc);
    assertThat(LogEditor.abandonStale(reread, R, NOW, "no result: the broker stopped")).isZero();
    assertThat(reread.text()).isEqualTo(once);
    assertThat(LogEditor.accept(reread, R, L, NOW, 0)).isEmpty();
    for (int i = 0; i < pending.size(); i++) {
      assertThat(LogEditor.findPending(reread, anchor(pending, i))).isEqualTo(-1);
    }
  }

  /**
   * Sets random status lines (some placeholders twice, some not, in random order, a few for placeholders that are not
   * there) on the log's accepted requests, once one by one and once in one pass: the two logs are the same. Returns how
   * many status lines were set.
   */
  static int checkStatusesInOnePass(String log, SplittableRandom r) {
    LogDocument one = LogDocument.parse(log);
    List<Pending> pending = pending(LogEditor.accept(one, R, L, NOW, 0));
    LogDocument pass = LogDocument.parse(one.text());
    List<LogEditor.StatusLine> wanted = new ArrayList<>();
    int n = pending.isEmpty() ? 1 : r.nextInt(2 * pending.size() + 1);
    for (int i = 0; i < n; i++) {
      LogEditor.Anchor anchor = pending.isEmpty() || r.nextInt(8) == 0
          ? new LogEditor.Anchor("1+1", JournalFormat.pendingHeader(R, "nobody", NOW), r.nextInt(3))
          : anchor(pending, r.nextInt(pending.size()));
      String status = r.nextBoolean() ? JournalFormat.executing(r.nextInt(100))
          : JournalFormat.status(new PendingStatus.Queued(r.nextInt(50), r.nextBoolean() ? null
              : "realm disconnected at 12:00:0" + r.nextInt(10) + ", waiting up to 2m for it to return"));
      wanted.add(new LogEditor.StatusLine(anchor, status));
    }
    for (LogEditor.StatusLine w : wanted) {
      LogEditor.setStatus(one, w.anchor(), w.status());
    }
    LogEditor.setStatuses(pass, wanted);
    assertThat(pass.text()).isEqualTo(one.text());
    JournalPropertiesTest.assertSameDocument(LogDocument.parse(pass.text()), pass);
    return wanted.size();
  }

  /**
   * A background block lands whole above the footer, outside every fence; what was to run still runs, a
   * draft stays the same draft, and the agent's lines are all kept.
   */
  static void checkBackground(String text, SplittableRandom r) {
    ReferenceMarkdown before = new ReferenceMarkdown(text);
    List<String> toRun = JournalPropertiesTest.expectedRequests(before);
    List<String> block = Replies.background(R, NOW, Events.of(events(r), 0));
    LogDocument doc = LogDocument.parse(text);

    LogEditor.aboveFooter(doc, block, L);

    String out = doc.text();
    ReferenceMarkdown after = new ReferenceMarkdown(out);
    int at = after.lines.indexOf(block.get(0));
    assertThat(at).as("the block's header").isGreaterThanOrEqualTo(0);
    assertThat(after.inFence(at)).as("the block's header is inside a fence").isFalse();
    assertThat(after.footer()).isGreaterThan(at);
    assertThat(after.text(at, at + block.size())).isEqualTo(String.join("\n", block) + "\n");
    assertThat(JournalPropertiesTest.expectedRequests(after)).isEqualTo(toRun);
    List<String> drafts = before.fences.stream().filter(f -> !f.closed())
        .map(f -> before.text(f.open(), before.lines.size())).toList();
    assertThat(after.fences.stream().filter(f -> !f.closed()).map(f -> after.text(f.open(), after.lines.size())))
        .containsExactlyElementsOf(drafts);
    ReferenceMarkdown withoutBlock = new ReferenceMarkdown((after.bom ? "\uFEFF" : "") + after.text(0, at)
        + after.text(at + block.size(), after.lines.size()));
    JournalPropertiesTest.assertSameAgentLines(before, withoutBlock);
    JournalPropertiesTest.assertSameDocument(LogDocument.parse(out), doc);
  }

  /** Asserts that line {@code h} is the placeholder header of {@code anchor}, right under its request. */
  private static void assertIsPlaceholder(ReferenceMarkdown doc, int h, LogEditor.Anchor anchor) {
    assertThat(h).as("placeholder of " + anchor).isGreaterThan(0);
    assertThat(doc.lines.get(h)).isEqualTo(anchor.header());
    assertThat(doc.lines.get(h + 1)).matches("executing \\(\\d+s\\)|queued \\(\\d+ ahead\\)");
    ReferenceMarkdown.Fence request = doc.fences.stream().filter(f -> f.close() == h - 1).findFirst().orElseThrow();
    assertThat(doc.content(request)).isEqualTo(anchor.code());
  }

  private static List<Pending> pending(List<LogEditor.NewRequest> accepted) {
    List<Pending> out = new ArrayList<>();
    accepted.forEach(q -> out.add(new Pending(q.code(), q.pendingHeader(), q.agent())));
    return out;
  }

  /** The anchor of a pending job as the broker computes it: its rank among pending jobs that look the same. */
  private static LogEditor.Anchor anchor(List<Pending> pending, int index) {
    Pending job = pending.get(index);
    int ordinal = 0;
    for (int i = 0; i < index; i++) {
      if (pending.get(i).code().equals(job.code()) && pending.get(i).header().equals(job.header())) {
        ordinal++;
      }
    }
    return new LogEditor.Anchor(job.code(), job.header(), ordinal);
  }

  /** A success with a hostile value or a failure with a hostile error, with hostile console output. */
  private static List<String> reply(SplittableRandom r, String agent, String value) {
    List<JournalEvent> events = events(r);
    long omitted = events.size() == Replies.MAX_EVENTS ? r.nextInt(3) : 0;
    if (r.nextInt(4) == 0) {
      return Replies.failure(R, agent, NOW, Duration.ofMillis(r.nextInt(5000)), false, value, Events.of(events, omitted));
    }
    return Replies.success(R, agent, NOW, Duration.ofMillis(r.nextInt(5000)), false,
        new ValueRenderer.Rendered(r.nextBoolean() ? "Text" : "JSON", value), null, Events.of(events, omitted));
  }

  private static List<JournalEvent> events(SplittableRandom r) {
    List<JournalEvent> out = new ArrayList<>();
    int n = r.nextInt(4) == 0 ? Replies.MAX_EVENTS : r.nextInt(3);
    for (int i = 0; i < n; i++) {
      out.add(new JournalEvent(HostileMarkdown.pick(r, "log", "error", "warn", "info", "debug", "weird`\n```js"),
          "10:00:0" + i, HostileMarkdown.hostileText(r)));
    }
    return out;
  }
}

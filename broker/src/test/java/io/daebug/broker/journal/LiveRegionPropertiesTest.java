package io.daebug.broker.journal;

import static io.daebug.broker.journal.JournalPropertiesTest.L;
import static io.daebug.broker.journal.JournalPropertiesTest.NOW;
import static io.daebug.broker.journal.JournalPropertiesTest.R;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing only the live region gives, byte for byte, what the same edit gives on the whole document: on
 * hostile logs, through {@link RealmLog}'s real file writes (in place, whole-file, or switching between the
 * two), with agents appending requests, drafts and hostile lines between the broker's edits and editing
 * the history above the live region (inserting, deleting and substituting bytes). After every step the file
 * must hold exactly what the pure editor makes of the previous content read whole.
 */
class LiveRegionPropertiesTest {
  @TempDir
  Path dir;

  private int files;
  private final long[] reads = new long[2];

  @Test
  void editingTheLiveRegionEqualsEditingTheWholeFile() {
    Props.forAll("live region = whole file", 150, r -> r.nextLong(), seed -> List.of(), seed -> "seed " + seed,
        seed -> scenario(new SplittableRandom(seed)));
    // The property is about the live region: most reads must have taken it alone.
    assertThat(reads[0]).as("reads of the live region only (whole-file reads: %d)", reads[1]).isGreaterThan(3 * reads[1]);
  }

  private void scenario(SplittableRandom r) throws IOException {
    Path log = dir.resolve("log-" + ++files + ".md");
    List<String> start = new ArrayList<>(HostileMarkdown.withEnds(r, r.nextInt(8) == 0,
        JournalFormat.splitLines(HostileMarkdown.NEW.substring(0, HostileMarkdown.NEW.length() - 1))).lines());
    String text = String.join("\n", start.subList(0, start.size() - 3)) + "\n"
        + String.join("\n", HostileMarkdown.history(r, r.nextInt(6))) + "\n"
        + String.join("\n", start.subList(start.size() - 3, start.size())) + "\n";
    if (r.nextInt(4) == 0) {
      text = HostileMarkdown.log(r).text();
    }
    Files.write(log, Utf8.encode(text));
    List<RealmLog.Request> pending = new ArrayList<>();
    List<String[]> failed = new ArrayList<>(); // code, failed header, agent
    int[] codes = {0};
    try (DirSync sync = new DirSync(dir);
        RealmLog realmLog = new RealmLog(log, R, L, 64 * 1024, sync, new WriteOptions(Long.MAX_VALUE, WriteFaults.NONE))) {
      realmLog.create();
      for (int step = 0; step < 25; step++) {
        int op = r.nextInt(100);
        if (op < 20) {
          agentAppends(r, log, codes);
          continue;
        }
        if (op < 25) {
          agentEditsHistory(r, log);
          continue;
        }
        byte[] before = Files.readAllBytes(log);
        LogDocument expected = LogDocument.parse(Utf8.decode(before));
        if (op < 45) {
          int ahead = pending.size();
          List<RealmLog.Request> got = realmLog.peek(NOW, ahead, false, List.of());
          realmLog.batch().accept(NOW, ahead, got.size(), List.of(), more -> {
            throw new AssertionError("nothing was appended since the peek");
          }).commit();
          List<LogEditor.NewRequest> want = LogEditor.accept(expected, R, L, NOW, ahead);
          assertThat(got).extracting(RealmLog.Request::code).containsExactlyElementsOf(
              want.stream().map(LogEditor.NewRequest::code).toList());
          pending.addAll(got);
        } else if (op < 60 && !pending.isEmpty()) {
          RealmLog.Request q = pending.remove(r.nextInt(pending.size()));
          List<JournalEvent> events = events(r);
          String value = HostileMarkdown.hostileText(r);
          if (r.nextBoolean()) {
            realmLog.batch().success(q.anchor(), 0, "j-" + step, q.agent(), NOW, Duration.ofMillis(17),
                TextNode.valueOf(value), Events.of(events, 0)).commit();
            LogEditor.reply(expected, anchor(q), Replies.success(R, q.agent(), NOW, Duration.ofMillis(17), false,
                TextNode.valueOf(value), Events.of(events, 0)), L);
          } else {
            realmLog.batch().failure(q.anchor(), 0, q.agent(), NOW, Duration.ofSeconds(60), value, Events.of(events, 0)).commit();
            LogEditor.reply(expected, anchor(q), Replies.failure(R, q.agent(), NOW, Duration.ofSeconds(60), false,
                value, Events.of(events, 0)), L);
            failed.add(new String[] {q.code(), realmLog.failureHeader(q.agent(), NOW, Duration.ofSeconds(60)), q.agent()});
          }
        } else if (op < 68 && !pending.isEmpty()) {
          RealmLog.Request q = pending.get(r.nextInt(pending.size()));
          int seconds = r.nextInt(120);
          realmLog.batch().executing(q.anchor(), 0, seconds).commit();
          LogEditor.setStatus(expected, anchor(q), JournalFormat.executing(seconds));
        } else if (op < 74 && !pending.isEmpty()) {
          RealmLog.Request q = pending.get(r.nextInt(pending.size()));
          int ahead = r.nextInt(12);
          realmLog.batch().queued(q.anchor(), 0, ahead).commit();
          LogEditor.setStatus(expected, anchor(q), JournalFormat.queued(ahead));
        } else if (op < 82) {
          List<JournalEvent> events = events(r);
          realmLog.batch().background(NOW, Events.of(events, 0)).commit();
          LogEditor.aboveFooter(expected, Replies.background(R, NOW, Events.of(events, 0)), L);
        } else if (op < 90) {
          String code = "ctl + " + codes[0]++;
          realmLog.batch().insert("ctl", NOW, "JS", code, () -> PendingStatus.STARTED).commit();
          List<String> lines = new ArrayList<>();
          lines.add(JournalFormat.requestHeader("ctl", R, NOW));
          lines.addAll(JournalFormat.fence("JS", code));
          lines.add(JournalFormat.pendingHeader(R, "ctl", NOW));
          lines.add(JournalFormat.executing(0));
          LogEditor.aboveFooter(expected, lines, L);
          RealmLog.Anchor a = realmLog.insertedAnchor("ctl", code, NOW);
          pending.add(new RealmLog.Request("ctl", a.code(), "JS", null, a));
        } else if (op < 95 && !failed.isEmpty()) {
          String[] f = failed.remove(r.nextInt(failed.size()));
          realmLog.batch().late(new RealmLog.Anchor(f[0], null), 0, f[1], "j-late", f[2], NOW, Duration.ofSeconds(61),
              true, TextNode.valueOf("late"), null, Events.of(List.of(), 0)).commit();
          LogEditor.lateReply(expected, new LogEditor.Anchor(f[0], f[1], 0), Replies.success(R, f[2], NOW,
              Duration.ofSeconds(61), true, TextNode.valueOf("late"), Events.of(List.of(), 0)), L);
        } else if (op < 97) {
          realmLog.batch().abandonStale(NOW, "stale").commit();
          LogEditor.abandonStale(expected, R, NOW, "stale");
          pending.clear();
        } else {
          realmLog.batch().takeCancels().commit();
          LogEditor.takeCancels(expected, L);
        }
        assertThat(Utf8.decode(Files.readAllBytes(log))).as("step %d", step)
            .isEqualTo(expected.text());
      }
      reads[0] += realmLog.reads()[0];
      reads[1] += realmLog.reads()[1];
    }
  }

  private static LogEditor.Anchor anchor(RealmLog.Request q) {
    return new LogEditor.Anchor(q.anchor().code(), q.anchor().header(), 0);
  }

  private static List<JournalEvent> events(SplittableRandom r) {
    List<JournalEvent> out = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      out.add(new JournalEvent(HostileMarkdown.pick(r, "log", "warn", "error"), NOW, HostileMarkdown.hostileText(r)));
    }
    return out;
  }

  /** An agent appends: a request with a unique code, a draft, hostile lines, or a cancel line. */
  private static void agentAppends(SplittableRandom r, Path log, int[] codes) throws IOException {
    String eol = HostileMarkdown.pick(r, "\n", "\n", "\r\n");
    int k = r.nextInt(10);
    String text;
    if (k < 6) {
      text = "### 🗣️claude to " + R + " at 10:11:12" + eol + "Why: " + HostileMarkdown.text(r, 20) + eol + "```js" + eol
          + "'agent' + " + codes[0]++ + eol + "```" + eol;
    } else if (k < 7) {
      text = "```js" + eol + "let draft = " + codes[0]++ + eol;
    } else if (k < 9) {
      StringBuilder sb = new StringBuilder();
      for (String line : HostileMarkdown.piece(r)) {
        sb.append(line).append(eol);
      }
      text = sb.toString();
    } else {
      text = "%%CANCEL%%" + eol;
    }
    Files.write(log, Utf8.encode(text), StandardOpenOption.APPEND);
  }

  /** An agent edits the history near the top: inserts, deletes or substitutes bytes (an editor's in-place save). */
  private static void agentEditsHistory(SplittableRandom r, Path log) throws IOException {
    byte[] b = Files.readAllBytes(log);
    int at = b.length == 0 ? 0 : r.nextInt(Math.min(b.length, 40));
    byte[] out;
    switch (r.nextInt(3)) {
      case 0 -> {
        byte[] ins = Utf8.encode("edited " + HostileMarkdown.text(r, 10) + "\n");
        out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
      }
      case 1 -> {
        int n = Math.min(b.length - at, 1 + r.nextInt(5));
        out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
      }
      default -> {
        out = b.clone();
        if (at < out.length && out[at] >= 'a' && out[at] <= 'z') {
          out[at] = (byte) ('a' + (out[at] - 'a' + 1) % 26);
        }
      }
    }
    Files.write(log, out, StandardOpenOption.TRUNCATE_EXISTING);
  }
}

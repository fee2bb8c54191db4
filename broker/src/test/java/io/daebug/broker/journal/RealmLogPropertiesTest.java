package io.daebug.broker.journal;

import static io.daebug.broker.journal.JournalPropertiesTest.L;
import static io.daebug.broker.journal.JournalPropertiesTest.NOW;
import static io.daebug.broker.journal.JournalPropertiesTest.R;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's properties on the bytes of real files, through {@link RealmLog}'s atomic writes: invalid
 * UTF-8, a BOM and CR, CRLF and LF line endings written by an agent come back out unchanged wherever the
 * broker does not edit, and the broker's edits are the ones the pure editor makes on the decoded text.
 */
class RealmLogPropertiesTest {
  @TempDir
  Path dir;

  /** An agent's file: its bytes, where the blank line above its footer starts and where its draft starts (-1: none). */
  record AgentFile(byte[] bytes, int footerAt, int draftAt) {
    @Override
    public String toString() {
      return Props.escape(new String(bytes, StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void decodingAndEncodingAnyBytesGivesThemBack() {
    Props.forAll("utf-8 round trip", 1000, r -> randomBytes(r, 200), b -> List.of(),
        b -> Arrays.toString(b), b -> {
          assertThat(Utf8.encode(Utf8.decode(b))).isEqualTo(b);
          assertThat(Utf8.length(Utf8.decode(b))).isEqualTo(b.length);
        });
    // Text from realms: any chars, lone surrogates too (written as '?'), counted as encode writes them.
    Props.forAll("utf-8 length", 1000, r -> HostileMarkdown.hostileText(r) + (char) r.nextInt(0xD700, 0xE000),
        s -> assertThat(Utf8.length(s)).isEqualTo(Utf8.encode(s).length));
  }

  @Test
  void theBrokersWritesKeepTheAgentsBytesOutsideItsEdits() {
    AtomicInteger files = new AtomicInteger();
    Props.forAll("agent bytes on disk", 60, RealmLogPropertiesTest::agentFile, f -> List.of(), AgentFile::toString,
        f -> {
          Path log = dir.resolve("log-" + files.incrementAndGet() + ".md");
          Files.write(log, f.bytes());
          String decoded = Utf8.decode(f.bytes());
          LogDocument expected = LogDocument.parse(decoded);
          List<LogEditor.NewRequest> accepted = LogEditor.accept(expected, R, L, NOW, 0);
          SplittableRandom r = new SplittableRandom(f.bytes().length);
          String value = HostileMarkdown.hostileText(r) + "\uDC80\uD800";
          List<JournalEvent> events = List.of(new JournalEvent("log", NOW, HostileMarkdown.hostileText(r)));

          try (DirSync sync = new DirSync(dir); RealmLog realmLog = new RealmLog(log, R, L, 64 * 1024, sync)) {
            realmLog.create();
            List<RealmLog.Request> requests = realmLog.peek(NOW, 0, false, List.of());
            assertThat(requests).extracting(RealmLog.Request::code)
                .containsExactlyElementsOf(accepted.stream().map(LogEditor.NewRequest::code).toList());
            realmLog.batch().accept(NOW, 0, requests.size(), List.of(), more -> {
              throw new AssertionError("nothing was appended since the peek");
            }).commit();
            if (!requests.isEmpty()) {
              RealmLog.Request q = requests.get(0);
              realmLog.batch().success(q.anchor(), 0, "j-1", q.agent(), NOW, Duration.ofMillis(17),
                  TextNode.valueOf(value), Events.of(events, 0)).commit();
              LogEditor.reply(expected, new LogEditor.Anchor(q.code(), q.anchor().header(), 0),
                  Replies.success(R, q.agent(), NOW, Duration.ofMillis(17), false, TextNode.valueOf(value), Events.of(events, 0)),
                  L);
            }
          }
          byte[] written = Files.readAllBytes(log);
          assertThat(Utf8.decode(written)).isEqualTo(expected.text());
          assertThat(Utf8.encode(Utf8.decode(written))).isEqualTo(written);
          // The agent's invalid bytes are all still there, and the realm's lone surrogates added none.
          assertThat(invalidBytes(written)).isEqualTo(invalidBytes(f.bytes()));
          if (f.footerAt() >= 0) {
            assertThat(Arrays.copyOf(written, f.footerAt())).isEqualTo(Arrays.copyOf(f.bytes(), f.footerAt()));
          }
          if (f.draftAt() >= 0) {
            byte[] draft = Arrays.copyOfRange(f.bytes(), f.draftAt(), f.bytes().length);
            assertThat(Arrays.copyOfRange(written, written.length - draft.length, written.length)).isEqualTo(draft);
          }
        });
  }

  private static long invalidBytes(byte[] b) {
    return Utf8.decode(b).chars().filter(c -> c >= 0xDC80 && c <= 0xDCFF).count();
  }

  /**
   * A log as an agent's tools leave it: maybe a BOM, the broker's start with CRLF or LF line endings, prose
   * with invalid UTF-8, requests, and sometimes a draft (with invalid UTF-8, maybe unterminated) at the end.
   */
  static AgentFile agentFile(SplittableRandom r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String eol = HostileMarkdown.pick(r, "\n", "\r\n", "\r");
    if (r.nextInt(4) == 0) {
      out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    String start = HostileMarkdown.NEW.replace("\n", eol);
    int footerAt = -1;
    if (r.nextInt(5) > 0) {
      String top = start.substring(0, start.indexOf(JournalFormat.RULE));
      out.writeBytes(top.getBytes(StandardCharsets.UTF_8));
      out.writeBytes(("x" + new String(withoutLineBreaks(randomBytes(r, 40)), StandardCharsets.ISO_8859_1) + eol)
          .getBytes(StandardCharsets.ISO_8859_1));
      footerAt = out.size(); // the blank line above the footer is the broker's: it is rewritten
      out.writeBytes((eol + JournalFormat.RULE + eol + HostileMarkdown.PROMPT + eol + eol).getBytes(StandardCharsets.UTF_8));
    }
    int requests = r.nextInt(3);
    for (int i = 0; i < requests; i++) {
      out.writeBytes(("### 🗣️claude to " + R + " at 10:0" + i + ":00" + eol).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(withoutLineBreaks(randomBytes(r, 30)));
      out.writeBytes((eol + "```js" + eol + "'é' + " + i + eol + "```" + eol).getBytes(StandardCharsets.UTF_8));
    }
    int draftAt = -1;
    if (r.nextBoolean()) {
      out.writeBytes(eol.getBytes(StandardCharsets.UTF_8));
      draftAt = out.size();
      out.writeBytes(("```js" + eol + "let s = '").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(withoutLineBreaks(randomBytes(r, 30)));
      if (r.nextBoolean()) {
        out.writeBytes(eol.getBytes(StandardCharsets.UTF_8));
      }
    }
    return new AgentFile(out.toByteArray(), footerAt, draftAt);
  }

  private static byte[] withoutLineBreaks(byte[] b) {
    byte[] out = b.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] == '\n' || out[i] == '\r' || out[i] == '`' || out[i] == '~') {
        out[i] = 'x';
      }
    }
    return out;
  }

  /** Bytes that are mostly UTF-8 with the ways it goes wrong: stray continuations, cut and overlong sequences. */
  static byte[] randomBytes(SplittableRandom r, int max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = r.nextInt(max + 1);
    List<byte[]> odd = new ArrayList<>(List.of(
        new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xE2, (byte) 0x82},
        new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xF0, (byte) 0x9F},
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "\r\n".getBytes(StandardCharsets.UTF_8)));
    while (out.size() < n) {
      int k = r.nextInt(10);
      if (k < 5) {
        out.write(0x20 + r.nextInt(0x5F));
      } else if (k < 7) {
        out.writeBytes(odd.get(r.nextInt(odd.size())));
      } else if (k < 9) {
        int cp = r.nextInt(0x80, 0x110000);
        if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
          out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        }
      } else {
        out.write(r.nextInt(256));
      }
    }
    return out.toByteArray();
  }
}

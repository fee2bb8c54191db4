package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.daebug.broker.bench.BigLogBench;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FORMAT.md §4: "a reader that reads a whole file at any instant sees one whole version". Agents read logs with
 * plain tools ({@code cat}, an editor, an LLM's file tool), so a thread reads the log whole with
 * {@link Files#readAllBytes} again and again while the broker's journal writes job after job into it (accepts,
 * status lines, replies of several pages, background blocks); every version it sees must be a whole one: one
 * footer, intact, at the end of what the broker wrote. Asserts no timing: the load is a fixed number of jobs.
 */
class WholeVersionReadTest {
  private static final String R = "app";
  private static final String L = "javascript";
  private static final int JOBS = 300;

  @TempDir Path dir;

  @Test
  void plainWholeFileReadsDuringSustainedWritesSeeOnlyWholeVersions() throws Exception {
    Path file = dir.resolve(R + ".md");
    BigLogBench.pad(file, R, 200 * 1024);
    assertThat(problem(Files.readAllBytes(file))).as("the padded log itself").isNull();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    List<String> mixed = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        try {
          String p = problem(Files.readAllBytes(file));
          reads.incrementAndGet();
          if (p != null && mixed.size() < 5) {
            mixed.add(p);
          }
        } catch (java.io.IOException e) {
          mixed.add("read failed: " + e);
        }
      }
    }, "plain-reader");
    reader.start();
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, R, L, 64 * 1024, sync)) {
      log.create();
      for (int job = 0; job < JOBS; job++) {
        Files.writeString(file, "```js\njob(" + job + ")\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<RealmLog.Request> got = log.peek("10:00:00", 0, true, List.of());
        assertThat(got).hasSize(1);
        log.batch().accept("10:00:00", 0, got.size(), List.of(), more -> { }).commit();
        RealmLog.Request q = got.get(0);
        log.batch().executing(q.anchor(), 0, 1).commit();
        // A reply of several pages (a write that spans page boundaries), then a short one (the end shrinks).
        String value = job % 2 == 0 ? "v".repeat(5000 + job) : "ok " + job;
        log.batch().success(q.anchor(), 0, "j" + job, q.agent(), "10:00:01", Duration.ofMillis(3),
            TextNode.valueOf(value), Events.of(List.of(new JournalEvent("log", "10:00:01", "line " + job)), 0))
            .commit();
        if (job % 10 == 0) {
          log.batch().background("10:00:02", Events.of(List.of(new JournalEvent("log", "10:00:02", "bg")), 0)).commit();
        }
      }
    } finally {
      done.set(true);
      reader.join();
    }
    assertThat(reads.get()).as("reads made").isPositive();
    assertThat(mixed).as("mixed versions seen in %d plain reads", reads.get()).isEmpty();
  }

  /** Why {@code bytes} is not one whole version of the log, or null: one footer, intact, and it parses (an agent's request may follow it). */
  static String problem(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<String> lines = JournalFormat.splitLines(text);
    List<Integer> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("---") && lines.get(i).chars().allMatch(c -> c == '-')) {
        rules.add(i);
      }
    }
    if (rules.size() != 1) {
      return rules.size() + " footer rules in " + bytes.length + " bytes";
    }
    int rule = rules.get(0);
    if (!lines.get(rule).equals(JournalFormat.RULE)) {
      return "a cut rule: " + lines.get(rule).length() + " dashes";
    }
    if (rule + 1 >= lines.size() || !lines.get(rule + 1).equals(JournalFormat.prompt(L))) {
      return "a rule without its prompt line";
    }
    if (LogDocument.parse(text).footer() != rule) {
      return "the footer does not parse";
    }
    return null;
  }
}

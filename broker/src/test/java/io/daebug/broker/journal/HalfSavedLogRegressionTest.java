package io.daebug.broker.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (found by {@code ConcurrentEditsTest}): a broker write made while an editor was halfway through
 * saving the log in place (truncated, the first part written, the rest not yet) acted on the half it read.
 * An accept found none of the requests it had handed to the realm in it, so nothing marked them as taken and
 * the broker ran them again; a reply found no placeholder in it, so it went above a second footer, and the
 * rest of the editor's save, now written to the replaced file, was carried over after it.
 *
 * <p>The broker's write runs on a thread of its own while the "editor" holds the file half-saved: the editor
 * finishes its save once that write is done or half of {@link RealmLog#HALF_SAVED_WAIT} has passed, whichever
 * comes first. A write that waits
 * for the save to complete (the fix) sees the whole file; one that gave up waiting because the machine stalled
 * longer than {@link RealmLog#HALF_SAVED_WAIT} proves nothing, and the test is skipped. A save that goes on writing
 * for longer than that is driven by the log's injected clock.
 */
class HalfSavedLogRegressionTest {
  private static final String R = HostileMarkdown.REALM;
  private static final String L = HostileMarkdown.LANGUAGE;
  private static final String NOW = "10:00:00";
  private static final String TOP_EDIT = "An edit the agent made at the top.";

  @TempDir Path dir;
  private final ExecutorService broker = Executors.newSingleThreadExecutor(r -> new Thread(r, "broker-write"));

  @AfterEach
  void stop() {
    broker.shutdownNow();
  }

  @Test
  void anAcceptWrittenWhileAnEditorWasHalfwayThroughSavingInPlaceWasLostAndTheRequestRanAgain() throws Exception {
    Path file = dir.resolve(R + ".md");
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, R, L, 1024, sync)) {
      log.create();
      Files.writeString(file, "```js\n1\n```\n", UTF_8, StandardOpenOption.APPEND);
      List<RealmLog.Request> handed = log.peek(NOW, 0, true, List.of());
      assertThat(handed).hasSize(1); // the broker has sent "1" to the realm; its accept is written next
      String saved = withTopEdit(Files.readString(file, UTF_8));

      halfSave(file, saved, saved.indexOf(JournalFormat.RULE), () -> log.batch().accept(NOW, 0, handed.size(), List.of(), more -> {
        throw new AssertionError("nothing new was appended: " + more);
      }).commit());
      log.recoverOrphans();

      assertThat(log.peek(NOW, 1, true, List.of())).as("requests the broker would run (again)").isEmpty();
      String text = Files.readString(file, UTF_8);
      assertThat(text).contains("\n" + TOP_EDIT + "\n").contains("```js\n1\n```\n" + JournalFormat.OK_MARK);
      assertOneFooter(text);
    }
  }

  @Test
  void aReplyWrittenWhileAnEditorWasHalfwayThroughSavingInPlaceWentAboveASecondFooter() throws Exception {
    Path file = dir.resolve(R + ".md");
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, R, L, 1024, sync)) {
      log.create();
      // A first job and its reply (so the second reply's write is as quick as a broker's usually is).
      reply(log, acceptOne(log, file, "0"), "warm");
      RealmLog.Request q = acceptOne(log, file, "1");
      String saved = withTopEdit(Files.readString(file, UTF_8));

      halfSave(file, saved, saved.lastIndexOf(JournalFormat.OK_MARK), () -> reply(log, q, "done"));
      log.recoverOrphans();

      String text = Files.readString(file, UTF_8);
      assertThat(text).contains("\n" + TOP_EDIT + "\n")
          .contains("```js\n1\n```\n" + JournalFormat.OK_MARK + R + " to agent at " + NOW + " (17ms)\n```JSON\n\"done\"\n```\n");
      assertOneFooter(text);
    }
  }

  @Test
  void aWriteWaitsForASaveInPlaceForAsLongAsItKeepsWriting() throws Exception {
    // A big save on a busy machine (2 MB took 200 ms and more at load 10): the editor writes a little more every 30 ms
    // of the log's clock, for 300 ms, three times the wait for a half-saved log. Before the fix the broker took the
    // log as it was after 100 ms, wrote its block and a footer after the first part, and the rest of the save, now
    // written into the replaced version, was carried over after them: the save cut in two, two footers.
    Path file = dir.resolve(R + ".md");
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    FileChannel[] editor = new FileChannel[1];
    java.util.ArrayDeque<byte[]> pieces = new java.util.ArrayDeque<>();
    java.util.function.LongSupplier ticker = () -> {
      if (editor[0] != null) {
        try {
          writeFully(editor[0], pieces.removeFirst());
          if (pieces.isEmpty()) {
            editor[0].close();
            editor[0] = null;
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(30));
    };
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, R, L, 1024, sync, WriteOptions.defaults(),
        ticker)) {
      log.create();
      log.peek(NOW, 0, true, List.of());
      String saved = withTopEdit(Files.readString(file, UTF_8));
      byte[] bytes = saved.getBytes(UTF_8);
      int at = saved.substring(0, saved.indexOf(JournalFormat.RULE)).getBytes(UTF_8).length;
      for (int from = at, n = 10; n > 0; n--) {
        int to = from + (bytes.length - from) / n;
        pieces.add(Arrays.copyOfRange(bytes, from, to));
        from = to;
      }
      editor[0] = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      writeFully(editor[0], Arrays.copyOfRange(bytes, 0, at));

      log.batch().background(NOW, Events.of(List.of(new JournalEvent("log", NOW, "tick")), 0)).commit();
      log.recoverOrphans();

      assertThat(editor[0]).as("the save is complete").isNull();
      String text = Files.readString(file, UTF_8);
      assertOneFooter(text);
      assertThat(text).startsWith(saved.substring(0, saved.indexOf(JournalFormat.RULE))).contains("tick");
    }
  }

  private static RealmLog.Request acceptOne(RealmLog log, Path file, String code) throws Exception {
    Files.writeString(file, "```js\n" + code + "\n```\n", UTF_8, StandardOpenOption.APPEND);
    RealmLog.Request q = log.peek(NOW, 0, true, List.of()).get(0);
    log.batch().accept(NOW, 0, 1, List.of(), more -> { }).commit();
    return q;
  }

  private static void reply(RealmLog log, RealmLog.Request q, String value) throws Exception {
    log.batch().success(q.anchor(), 0, "j-" + q.code(), q.agent(), NOW, Duration.ofMillis(17), TextNode.valueOf(value),
        Events.of(List.of(), 0)).commit();
  }

  private interface BrokerWrite {
    void run() throws Exception;
  }

  /**
   * Saves {@code text} in place in two writes, cut at {@code cut}, and makes {@code write} on another thread
   * between them; the second write follows once that write is done or half the broker's wait passed.
   */
  private void halfSave(Path file, String text, int cut, BrokerWrite write) throws Exception {
    byte[] bytes = text.getBytes(UTF_8);
    int at = text.substring(0, cut).getBytes(UTF_8).length;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, Arrays.copyOfRange(bytes, 0, at));
      long start = System.nanoTime();
      CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> {
        try {
          write.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return System.nanoTime();
      }, broker);
      try {
        done.get(RealmLog.HALF_SAVED_WAIT.toMillis() / 2, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillWaiting) {
        // the broker's write waits for the save to complete, or has not started yet
      }
      long rest = System.nanoTime();
      writeFully(ch, Arrays.copyOfRange(bytes, at, bytes.length));
      long finished = done.get(5, TimeUnit.SECONDS);
      assumeThat(finished < rest && finished - start >= RealmLog.HALF_SAVED_WAIT.toNanos())
          .as("the broker's write gave up waiting for the save (the machine stalled): nothing shown").isFalse();
    }
  }

  private static String withTopEdit(String log) {
    int title = log.indexOf('\n') + 1;
    return log.substring(0, title) + TOP_EDIT + "\n" + log.substring(title);
  }

  private static void assertOneFooter(String text) {
    assertThat(text.split("\n", -1)).as("rule lines in\n" + text).filteredOn(JournalFormat.RULE::equals).hasSize(1);
    assertThat(text).endsWith(JournalFormat.footer(L));
  }

  private static void writeFully(FileChannel ch, byte[] bytes) throws java.io.IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.journal.WriteFaults.Point;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both write protocols on real files: what they leave, and how they treat an agent writing at the same time. */
class TailWriterTest {
  @TempDir
  Path dir;

  private static final long WHOLE = Long.MAX_VALUE;
  private static final long IN_PLACE = 0;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces everything from {@code at} on with {@code tail}, as read just now. */
  private AtomicFiles.Stamp write(TailWriter w, Path f, int at, String tail) throws IOException {
    byte[] all = Files.readAllBytes(f);
    return w.write(AtomicFiles.Stamp.of(f), at, java.util.Arrays.copyOfRange(all, at, all.length), b(tail));
  }

  private TailWriter writer(Path f, Orphans orphans, DirSync sync, long inPlaceAbove, WriteFaults faults) {
    return new TailWriter(f, sync, orphans, faults, inPlaceAbove);
  }

  @Test
  void aWholeFileWriteCopiesThePrefixRenamesAndLeavesNoTemporaryFiles() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "one\ntwo\n");
    Object inode = AtomicFiles.Stamp.of(f).key();
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      AtomicFiles.Stamp written = write(writer(f, orphans, sync, WHOLE, WriteFaults.NONE), f, 4, "TWO\nthree\n");
      assertThat(written).isEqualTo(AtomicFiles.Stamp.of(f));
    }
    assertThat(Files.readString(f)).isEqualTo("one\nTWO\nthree\n");
    assertThat(AtomicFiles.Stamp.of(f).key()).as("a new file").isNotEqualTo(inode);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.md");
    }
  }

  @Test
  void anInPlaceWriteChangesTheStampOnceItsNewEndIsAllThere() throws Exception {
    // The kernel sets a file's modification time when a write starts, before it copies the bytes: a watcher that
    // stats the log during the overwrite (which keeps the size the reservation gave) and then reads it can get the
    // final stamp with the old end, and would never look again unless the stamp changes once the end is there.
    Path f = dir.resolve("a.md");
    Files.writeString(f, "history\nexecuting (0s)\nfooter\n");
    AtomicFiles.Stamp[] overwritten = new AtomicFiles.Stamp[1];
    WriteFaults seeOverwrite = new WriteFaults() {
      @Override
      public void at(Point point) {
        if (point == Point.OVERWRITTEN) {
          try {
            overwritten[0] = AtomicFiles.Stamp.of(f);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      AtomicFiles.Stamp written = write(writer(f, orphans, sync, IN_PLACE, seeOverwrite), f, 8,
          "(3ms)\n```JSON\n2\n```\nfooter\n");
      assertThat(written).isEqualTo(AtomicFiles.Stamp.of(f));
    }
    assertThat(Files.readString(f)).isEqualTo("history\n(3ms)\n```JSON\n2\n```\nfooter\n");
    assertThat(overwritten[0]).as("the stamp right after the overwrite").isNotNull();
    assertThat(overwritten[0].size()).isEqualTo(Files.size(f));
    assertThat(AtomicFiles.Stamp.of(f)).isNotEqualTo(overwritten[0]);
  }

  @Test
  void anInPlaceWriteKeepsTheFileAndRemovesItsRedoRecord() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "history\nqueued (10 ahead)\nfooter\n");
    Object inode = AtomicFiles.Stamp.of(f).key();
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      TailWriter w = writer(f, orphans, sync, IN_PLACE, WriteFaults.NONE);
      AtomicFiles.Stamp shrunk = write(w, f, 8, "queued (9 ahead)\nfooter\n");
      assertThat(Files.readString(f)).isEqualTo("history\nqueued (9 ahead)\nfooter\n");
      assertThat(shrunk).isEqualTo(AtomicFiles.Stamp.of(f));
      write(w, f, 8, "done (3ms)\n```JSON\n2\n```\nfooter\n");
      assertThat(Files.readString(f)).isEqualTo("history\ndone (3ms)\n```JSON\n2\n```\nfooter\n");
      assertThat(RedoRecord.of(f)).as("no record once the write is done").doesNotExist();
    }
    assertThat(AtomicFiles.Stamp.of(f).key()).as("the same file").isEqualTo(inode);
  }

  @Test
  void aFileChangedSinceItWasReadIsNotWritten() throws Exception {
    for (long mode : new long[] {WHOLE, IN_PLACE}) {
      Path f = dir.resolve("c" + mode + ".md");
      Files.writeString(f, "one\n");
      AtomicFiles.Stamp read = AtomicFiles.Stamp.of(f);
      Files.writeString(f, "agent\n", StandardOpenOption.APPEND);
      try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
        assertThat(writer(f, orphans, sync, mode, WriteFaults.NONE).write(read, 0, b("one\n"), b("broker\n"))).isNull();
      }
      assertThat(Files.readString(f)).isEqualTo("one\nagent\n");
    }
  }

  /** Faults that, at {@code point}, append as an agent would (an {@code O_APPEND} write racing the broker's). */
  private static WriteFaults agentAppendsAt(Path f, Point point, String text) {
    return new WriteFaults() {
      @Override
      public void at(Point p) {
        if (p == point) {
          try {
            Files.writeString(f, text, StandardOpenOption.APPEND);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }

  @Test
  void anAgentsAppendRacingAnInPlaceWriteEndsUpAfterTheBrokersText() throws Exception {
    Path grow = dir.resolve("grow.md");
    Files.writeString(grow, "history\nexecuting (0s)\nfooter\n");
    Path shrink = dir.resolve("shrink.md");
    Files.writeString(shrink, "history\nqueued (10 ahead)\nfooter\n");
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      write(writer(grow, orphans, sync, IN_PLACE, agentAppendsAt(grow, Point.REDO_SYNCED, "before\n")), grow, 8,
          "(3ms)\n```JSON\n2\n```\nfooter\n");
      write(writer(grow, orphans, sync, IN_PLACE, agentAppendsAt(grow, Point.RESERVED, "around\n")), grow,
          Files.readString(grow).indexOf("footer"), "more\nfooter\nbefore\n");
      write(writer(shrink, orphans, sync, IN_PLACE, agentAppendsAt(shrink, Point.OVERWRITTEN, "agent\n")), shrink, 8,
          "queued (9 ahead)\nfooter\n");
    }
    assertThat(Files.readString(grow)).isEqualTo("history\n(3ms)\n```JSON\n2\n```\nmore\nfooter\nbefore\naround\n");
    // The blank line that kept the file's size while it shrank stays between the broker's text and the agent's.
    assertThat(Files.readString(shrink)).matches("history\nqueued \\(9 ahead\\)\nfooter\n[ \t]*\nagent\n");
  }

  @Test
  void anAppendAfterAnInPlaceWriteIsNotTakenForTheBrokersOwn() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "history\nexecuting (0s)\nfooter\n");
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      AtomicFiles.Stamp written = write(writer(f, orphans, sync, IN_PLACE,
          agentAppendsAt(f, Point.SYNCED, "agent\n")), f, 8, "done\nfooter\n");
      assertThat(written).as("the stamp says the file changed since").isNotEqualTo(AtomicFiles.Stamp.of(f));
    }
  }

  @Test
  void textAppendedThroughADescriptorHeldAcrossAWholeFileWriteIsCarriedOver() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    try (Orphans orphans = new Orphans();
        DirSync sync = new DirSync(dir);
        FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      agent.write(b("first half\n"));
      write(writer(f, orphans, sync, WHOLE, WriteFaults.NONE), f, 0, "BROKER\nstart\nfirst half\n");
      agent.write(b("second half\n"));
      agent.flush();
      assertThat(Files.readString(f)).isEqualTo("BROKER\nstart\nfirst half\n");
      assertThat(orphans.drain()).isEqualTo("second half\n");
    }
  }

  @Test
  void aReplacedVersionLetGoBeyondTheCapStillHandsOverWhatWasAppended() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "v0\n");
    try (Orphans orphans = new Orphans();
        DirSync sync = new DirSync(dir);
        FileOutputStream first = new FileOutputStream(f.toFile(), true)) {
      TailWriter w = writer(f, orphans, sync, WHOLE, WriteFaults.NONE);
      for (int i = 1; i <= Orphans.MAX_OPEN; i++) {
        int size = (int) Files.size(f);
        write(w, f, size, "v" + i + "\n");
      }
      // The first replaced version is the oldest of MAX_OPEN; the next write lets it go.
      first.write(b("late words\n"));
      first.flush();
      write(w, f, (int) Files.size(f), "last\n");
      assertThat(orphans.drain()).isEqualTo("late words\n");
    }
  }

  @Test
  void invalidUtf8AndBomSurviveARoundTrip() {
    byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', (byte) 0xFF, (byte) 0xC3, '\n', 'z'};
    String text = Utf8.decode(bytes);
    assertThat(Utf8.encode(text)).isEqualTo(bytes);
    assertThat(Utf8.length(text)).isEqualTo(bytes.length);
    assertThat(Utf8.encode(text + "é")).endsWith("é".getBytes(StandardCharsets.UTF_8));
  }
}

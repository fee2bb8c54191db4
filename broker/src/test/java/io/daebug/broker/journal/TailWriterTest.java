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

/** The write protocol on real files: what it leaves, and how it treats an agent writing at the same time. */
class TailWriterTest {
  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces everything from {@code at} on with {@code tail}, as read just now. */
  private AtomicFiles.Stamp write(TailWriter w, Path f, int at, String tail) throws IOException {
    byte[] all = Files.readAllBytes(f);
    return w.write(AtomicFiles.Stamp.of(f), at, all.length - at, b(tail), Durability.DURABLE);
  }

  private TailWriter writer(Path f, Orphans orphans, DirSync sync, WriteFaults faults) {
    return new TailWriter(f, sync, orphans, faults);
  }

  @Test
  void aWholeFileWriteCopiesThePrefixRenamesAndLeavesNoTemporaryFiles() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "one\ntwo\n");
    Object inode = AtomicFiles.Stamp.of(f).key();
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      AtomicFiles.Stamp written = write(writer(f, orphans, sync, WriteFaults.NONE), f, 4, "TWO\nthree\n");
      assertThat(written).isEqualTo(AtomicFiles.Stamp.of(f));
    }
    assertThat(Files.readString(f)).isEqualTo("one\nTWO\nthree\n");
    assertThat(AtomicFiles.Stamp.of(f).key()).as("a new file").isNotEqualTo(inode);
    assertOnlyTheLog();
  }

  @Test
  void aFileChangedSinceItWasReadIsNotWritten() throws Exception {
    Path f = dir.resolve("c.md");
    Files.writeString(f, "one\n");
    AtomicFiles.Stamp read = AtomicFiles.Stamp.of(f);
    Files.writeString(f, "agent\n", StandardOpenOption.APPEND);
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      assertThat(writer(f, orphans, sync, WriteFaults.NONE).write(read, 0, 4, b("broker\n"), Durability.VISIBLE))
          .isNull();
    }
    assertThat(Files.readString(f)).isEqualTo("one\nagent\n");
  }

  @Test
  void aLogMissingWhenItsVersionIsKeptIsReadAgainNotAFailedWrite() throws Exception {
    Path f = dir.resolve("gone.md");
    Path aside = dir.resolve("aside.txt");
    Files.writeString(f, "one\n");
    AtomicFiles.Stamp read = AtomicFiles.Stamp.of(f);
    WriteFaults removesTheLog = new WriteFaults() {
      @Override
      public void checking() {
        try {
          Files.move(f, aside); // an editor between removing the log and writing its new one
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      assertThat(writer(f, orphans, sync, removesTheLog).write(read, 0, 4, b("broker\n"), Durability.VISIBLE))
          .isNull();
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("aside.txt");
    }
  }

  @Test
  void anAppendRacingAWriteIsNeverLost() throws Exception {
    for (Point point : Point.values()) {
      if (point == Point.HISTORY_WRITTEN) {
        continue; // not a step of a plain write
      }
      Path f = dir.resolve(point + ".md");
      Files.writeString(f, "history\nexecuting (0s)\nfooter\n");
      try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
        AtomicFiles.Stamp written = write(writer(f, orphans, sync, agentAppendsAt(f, point, "agent\n")), f, 8,
            "(3ms)\nfooter\n");
        if (point == Point.TEMP_WRITTEN) {
          // Appended before the check: the write is not made, the caller reads again and redoes its edit.
          assertThat(written).isNull();
          assertThat(Files.readString(f)).isEqualTo("history\nexecuting (0s)\nfooter\nagent\n");
        } else {
          // Appended to the new version: there, and the stamp returned says the file changed since.
          assertThat(Files.readString(f)).isEqualTo("history\n(3ms)\nfooter\nagent\n");
          assertThat(written).isNotEqualTo(AtomicFiles.Stamp.of(f));
        }
      }
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
  void textAppendedThroughADescriptorHeldAcrossAWholeFileWriteIsCarriedOver() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    try (Orphans orphans = new Orphans();
        DirSync sync = new DirSync(dir);
        FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      agent.write(b("first half\n"));
      write(writer(f, orphans, sync, WriteFaults.NONE), f, 0, "BROKER\nstart\nfirst half\n");
      agent.write(b("second half\n"));
      agent.flush();
      assertThat(Files.readString(f)).isEqualTo("BROKER\nstart\nfirst half\n");
      assertThat(carried(orphans)).isEqualTo("second half\n");
    }
  }

  @Test
  void whatABrokerCarriedOverBeforeItWasKilledIsNotCarriedAgain() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    Orphans orphans = new Orphans(); // never closed: the broker is killed after carrying the first append
    try (DirSync sync = new DirSync(dir); FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      TailWriter w = writer(f, orphans, sync, WriteFaults.NONE);
      write(w, f, 6, "broker\n");
      agent.write(b("carried before the kill\n"));
      String carried = carried(orphans);
      assertThat(carried).isEqualTo("carried before the kill\n");
      write(w, f, (int) Files.size(f), carried); // the write that carried it
      orphans.written();
      agent.write(b("appended after\n"));
    }
    assertThat(Orphans.recoverAll(dir)).isEqualTo(15);
    assertThat(Files.readString(f)).isEqualTo("start\nbroker\ncarried before the kill\nappended after\n");
  }

  @Test
  void aBrokerKilledRightAfterTheWriteThatCarriedTextOverDoesNotHaveItCarriedAgain() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    Orphans orphans = new Orphans(); // never told written(): killed between the carrying write's rename and that
    try (DirSync sync = new DirSync(dir); FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      TailWriter w = writer(f, orphans, sync, WriteFaults.NONE);
      write(w, f, 6, "broker\n");
      agent.write(b("carried\n"));
      write(w, f, (int) Files.size(f), carried(orphans)); // the write that carried it
    }
    assertThat(Files.readString(f)).isEqualTo("start\nbroker\ncarried\n");
    assertThat(Orphans.recoverAll(dir)).isZero();
    assertThat(Files.readString(f)).isEqualTo("start\nbroker\ncarried\n");
    assertOnlyTheLog();
  }

  @Test
  void textReadForAWriteThatNeverReplacedTheLogIsStillCarriedByTheNextBroker() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    Orphans orphans = new Orphans();
    try (DirSync sync = new DirSync(dir); FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      TailWriter w = writer(f, orphans, sync, WriteFaults.NONE);
      write(w, f, 6, "broker\n");
      agent.write(b("late\n"));
      carried(orphans); // read for a write whose temporary file was made ready, then the broker was killed
      Path tmp = dir.resolve(".a.md.0123456789abcdef.tmp");
      Files.writeString(tmp, "start\nbroker\nlate\n");
      orphans.carrying(Orphans.inode(tmp));
      Files.delete(tmp);
    }
    assertThat(Orphans.recoverAll(dir)).isEqualTo(5);
    assertThat(Files.readString(f)).isEqualTo("start\nbroker\nlate\n");
    assertOnlyTheLog();
  }

  @Test
  void whatWasAppendedToAReplacedVersionSurvivesABrokerKilledBeforeCarryingItOver() throws Exception {
    Path f = killedRightAfterReplacing("appended to the replaced version\n");
    assertThat(Orphans.recoverAll(dir)).isEqualTo(33);
    assertThat(Files.readString(f)).isEqualTo("start\nbroker\nappended to the replaced version\n");
    assertOnlyTheLog();
    // A kept version that is still the log (killed before its rename) gives nothing.
    Path kept = Orphans.keep(f, 3);
    assertThat(Orphans.recoverAll(dir)).isZero();
    assertThat(kept).doesNotExist();
  }

  @Test
  void whatAWriterAppendedToAReplacedVersionGoesBeforeWhatItAppendedToTheNewOneWhenTheBrokerWasKilled() throws Exception {
    Path f = killedRightAfterReplacing("### first half, ");
    // The agent's next write opens the log again: the new version.
    Files.writeString(f, "second half\n", StandardOpenOption.APPEND);
    assertThat(Orphans.recoverAll(dir)).isEqualTo(16);
    assertThat(Files.readString(f)).isEqualTo("start\nbroker\n### first half, second half\n");
    assertOnlyTheLog();
  }

  @Test
  void whatWasAppendedToAReplacedVersionGoesAtTheEndOfALogRewrittenSince() throws Exception {
    Path f = killedRightAfterReplacing("late\n");
    // An editor saved the new version in place (same file), changing the broker's last bytes: where the late text
    // went is no longer known, so it goes at the end.
    try (FileOutputStream editor = new FileOutputStream(f.toFile(), false)) {
      editor.write(b("start\nBROKER\nmine\n"));
    }
    assertThat(Orphans.recoverAll(dir)).isEqualTo(5);
    assertThat(Files.readString(f)).isEqualTo("start\nBROKER\nmine\nlate\n");
  }

  @Test
  void aKeptLinksNameSaysHowMuchTheLogHoldsAndWhereItsAppendsGo() {
    Orphans.Kept k = Orphans.Kept.parse(".x.y.md.3fa.120.123456-140-1a2b3c4d.kept");
    assertThat(k).isEqualTo(new Orphans.Kept("x.y.md", "3fa", 120, "123456-140-1a2b3c4d"));
    assertThat(k.holding(130).name()).isEqualTo(".x.y.md.3fa.130.123456-140-1a2b3c4d.kept");
    assertThat(Orphans.Kept.parse(".a.md.3fa.6.kept")).isEqualTo(new Orphans.Kept("a.md", "3fa", 6, null));
    assertThat(Orphans.Kept.parse(".a.md.3fa.6.tmp")).isNull();
    assertThat(Orphans.Kept.parse(".a.md.xyz.6.kept")).isNull();
    Orphans.Kept pending = k.holdingIf("777", 150);
    assertThat(pending.name()).isEqualTo(".x.y.md.3fa.120.123456-140-1a2b3c4d.p777-150.kept");
    assertThat(Orphans.Kept.parse(pending.name())).isEqualTo(pending);
    assertThat(pending.holding(150).name()).isEqualTo(".x.y.md.3fa.150.123456-140-1a2b3c4d.kept");
  }

  @Test
  void theLinksOfVersionsLetGoAreRemovedAfterTheWriteNotDuringIt() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "v0\n");
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      TailWriter w = writer(f, orphans, sync, WriteFaults.NONE);
      for (int i = 1; i <= Orphans.MAX_OPEN + 1; i++) {
        write(w, f, (int) Files.size(f), "v" + i + "\n");
        orphans.drain();
        orphans.written();
      }
      // The oldest version was let go by the last write; its link (nothing more to carry) waits for cleanUp.
      assertThat(keptLinks()).isEqualTo(Orphans.MAX_OPEN + 1);
      orphans.cleanUp();
      assertThat(keptLinks()).isEqualTo(Orphans.MAX_OPEN);
    }
    assertThat(keptLinks()).isZero();
  }

  private long keptLinks() throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".kept")).count();
    }
  }

  @Test
  void aReplacedVersionIsKeptUntilLetGo() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      write(writer(f, orphans, sync, WriteFaults.NONE), f, 6, "broker\n");
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).anyMatch(n -> n.matches("\\.a\\.md\\.[0-9a-f]+\\.6\\.\\d+-13-[0-9a-f]+\\.kept"));
      }
    }
    assertOnlyTheLog();
  }

  @Test
  void aReplacedVersionLetGoBeyondTheCapStillHandsOverWhatWasAppended() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "v0\n");
    try (Orphans orphans = new Orphans();
        DirSync sync = new DirSync(dir);
        FileOutputStream first = new FileOutputStream(f.toFile(), true)) {
      TailWriter w = writer(f, orphans, sync, WriteFaults.NONE);
      for (int i = 1; i <= Orphans.MAX_OPEN; i++) {
        int size = (int) Files.size(f);
        write(w, f, size, "v" + i + "\n");
      }
      // The first replaced version is the oldest of MAX_OPEN; the next write lets it go.
      first.write(b("late words\n"));
      first.flush();
      write(w, f, (int) Files.size(f), "last\n");
      assertThat(carried(orphans)).isEqualTo("late words\n");
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

  /**
   * Log {@code a.md} ("start\n") replaced by a broker write ("broker\n" appended), then {@code text} appended by a
   * writer that held the replaced version open, and the broker killed before carrying it over (never drained).
   */
  private Path killedRightAfterReplacing(String text) throws IOException {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    Orphans orphans = new Orphans();
    try (DirSync sync = new DirSync(dir); FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      write(writer(f, orphans, sync, WriteFaults.NONE), f, 6, "broker\n");
      agent.write(b(text));
    }
    return f;
  }

  /** Only the log is left in the folder: no temporary file, no kept link. */
  private void assertOnlyTheLog() throws IOException {
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.md");
    }
  }

  private static String carried(Orphans orphans) {
    return orphans.drain().stream().map(Orphans.Piece::text).collect(java.util.stream.Collectors.joining());
  }

  @Test
  void anEarlierVersionsFsyncIsLeftToTheLaterVersionsTaskThatHoldsItAll() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    java.util.List<WriteFaults.Point> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
    WriteFaults seen = new WriteFaults() {
      @Override
      public void at(WriteFaults.Point point) {
        if (point == WriteFaults.Point.SYNCED) {
          synced.add(point);
        }
      }
    };
    try (DirSync sync = new DirSync(dir); Orphans orphans = new Orphans()) {
      TailWriter writer = new TailWriter(f, sync, orphans, seen);
      long size = Files.size(f);
      AtomicFiles.Stamp first = writer.write(AtomicFiles.Stamp.of(f), size, 0,
          "one\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), Durability.DURABLE_AFTER);
      PendingSync one = writer.takeSync();
      writer.write(first, first.size(), 0, "two\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Durability.DURABLE_AFTER);
      PendingSync two = writer.takeSync();
      assertThat(one).isNotNull();
      assertThat(two).isNotNull();
      one.run();
      assertThat(synced).as("the first version's task: the second holds it all").isEmpty();
      two.run();
      assertThat(synced).hasSize(1);
      assertThat(writer.takeSync()).as("handed out once").isNull();
    }
    assertThat(Files.readString(f)).isEqualTo("start\none\ntwo\n");
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void updateReplacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "one\n");
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      AtomicFiles.update(f, orphans, sync, t -> t + "two\n");
    }
    assertThat(Files.readString(f)).isEqualTo("one\ntwo\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.md");
    }
  }

  @Test
  void anEditReturningItsInputWritesNothing() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "same\n");
    AtomicFiles.Stamp before = AtomicFiles.Stamp.of(f);
    try (Orphans orphans = new Orphans(); DirSync sync = new DirSync(dir)) {
      assertThat(AtomicFiles.update(f, orphans, sync, t -> t)).isEqualTo(before);
    }
    assertThat(AtomicFiles.Stamp.of(f)).isEqualTo(before);
  }

  @Test
  void textAppendedThroughADescriptorHeldAcrossTheReplaceIsCarriedOver() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "start\n");
    try (Orphans orphans = new Orphans();
        DirSync sync = new DirSync(dir);
        FileOutputStream agent = new FileOutputStream(f.toFile(), true)) {
      agent.write("first half\n".getBytes(StandardCharsets.UTF_8));
      AtomicFiles.update(f, orphans, sync, t -> "BROKER\n" + t);
      agent.write("second half\n".getBytes(StandardCharsets.UTF_8));
      agent.flush();
      assertThat(Files.readString(f)).isEqualTo("BROKER\nstart\nfirst half\n");
      String extra = orphans.drain();
      assertThat(extra).isEqualTo("second half\n");
    }
  }

  @Test
  void invalidUtf8AndBomSurviveARoundTrip() throws Exception {
    byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', (byte) 0xFF, (byte) 0xC3, '\n', 'z'};
    String text = Utf8.decode(bytes);
    assertThat(Utf8.encode(text)).isEqualTo(bytes);
    assertThat(Utf8.encode(text + "é")).endsWith("é".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aReplacedVersionLetGoBeyondTheCapStillHandsOverWhatWasAppended() throws Exception {
    Path f = dir.resolve("a.md");
    Files.writeString(f, "v0\n");
    try (Orphans orphans = new Orphans();
        DirSync sync = new DirSync(dir);
        FileOutputStream first = new FileOutputStream(f.toFile(), true)) {
      AtomicFiles.update(f, orphans, sync, t -> t + "v1\n");
      for (int i = 2; i <= Orphans.MAX_OPEN; i++) {
        int n = i;
        AtomicFiles.update(f, orphans, sync, t -> t + "v" + n + "\n");
      }
      // The first replaced version is the oldest of MAX_OPEN; the next write lets it go.
      first.write("late words\n".getBytes(StandardCharsets.UTF_8));
      first.flush();
      AtomicFiles.update(f, orphans, sync, t -> t + "last\n");
      // Handed over by the next drain; the caller (RealmLog) appends it to the current file.
      assertThat(orphans.drain()).isEqualTo("late words\n");
      assertThat(Files.readString(f)).endsWith("last\n");
    }
  }
}

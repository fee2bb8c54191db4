package io.daebug.broker.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalFilesTest {
  @TempDir
  Path dir;

  @Test
  void readsAFileAsItIsAndTellsAMissingOne() throws Exception {
    Path log = dir.resolve("a.md");
    Files.writeString(log, "# a Session\n👍 done\n", UTF_8);
    assertThat(JournalFiles.read(log)).isEqualTo("# a Session\n👍 done\n");
    assertThatThrownBy(() -> JournalFiles.read(dir.resolve("none.md"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aFileThatIsNotUtf8IsAnError() throws Exception {
    Path log = dir.resolve("a.md");
    Files.write(log, new byte[] {'o', 'k', (byte) 0xF0, (byte) 0x9F, '\n'});
    assertThatThrownBy(() -> JournalFiles.read(log)).isInstanceOf(CharacterCodingException.class);
  }

  @Test
  void aReadDuringTheBrokersWritesGetsOneOfTheVersions() throws Exception {
    // Two texts of the same length whose four-byte characters sit where the other has ASCII, over many pages;
    // the writer replaces the file as the broker does (temporary file, rename), so every read is one version.
    String one = "# a Session\n" + "🚀🚀\n".repeat(8000);
    String two = "# a Session\n" + "abcdefgh\n".repeat(8000);
    assertThat(one.getBytes(UTF_8)).hasSameSizeAs(two.getBytes(UTF_8));
    Path log = dir.resolve("a.md");
    Files.writeString(log, one, UTF_8);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong writes = new AtomicLong();
    Thread writer = new Thread(() -> {
      try {
        for (long i = 0; !stop.get(); i++) {
          AtomicFiles.replace(log, i % 2 == 0 ? two : one);
          writes.incrementAndGet();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    Set<String> seen = new HashSet<>();
    try {
      for (int i = 0; i < 500; i++) {
        seen.add(JournalFiles.read(log));
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(writes.get()).as("writes during the reads").isPositive();
    assertThat(seen).isSubsetOf(one, two);
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's replace never drops a line an agent appended: {@code %%SHUTDOWN%%} must always be seen. */
class RegistryReplaceTest {
  @TempDir
  Path dir;

  @Test
  void aRegistryChangedSinceItWasReadIsNotReplaced() throws Exception {
    Path f = dir.resolve("daebug.md");
    Files.writeString(f, "# registry\n");
    AtomicFiles.Stamp read = AtomicFiles.Stamp.of(f);
    Files.writeString(f, "%%SHUTDOWN%%\n", StandardOpenOption.APPEND);
    List<byte[]> appended = new ArrayList<>();
    assertThat(AtomicFiles.replaceUnlessChanged(f, "# new\n".getBytes(StandardCharsets.UTF_8), read, appended::add, Durability.VISIBLE))
        .isFalse();
    assertThat(Files.readString(f)).isEqualTo("# registry\n%%SHUTDOWN%%\n");
    assertThat(appended).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("daebug.md");
    }
  }

  @Test
  void anUnchangedRegistryIsReplaced() throws Exception {
    Path f = dir.resolve("daebug.md");
    Files.writeString(f, "# registry\n");
    List<byte[]> appended = new ArrayList<>();
    assertThat(AtomicFiles.replaceUnlessChanged(f, "# new\n".getBytes(StandardCharsets.UTF_8),
        AtomicFiles.Stamp.of(f), appended::add, Durability.VISIBLE)).isTrue();
    assertThat(Files.readString(f)).isEqualTo("# new\n");
    assertThat(appended).isEmpty();
  }
}

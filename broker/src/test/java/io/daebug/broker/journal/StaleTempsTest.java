package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleTempsTest {
  @TempDir
  Path root;

  @Test
  void deletesTheTemporaryFilesOfAKilledBrokerAndNothingElse() throws Exception {
    Path logs = Files.createDirectories(root.resolve("daebug"));
    for (String name : new String[] {".daebug.md.1f2e3d.tmp", "daebug.md", ".notes.tmp", "a.md.12ab.tmp"}) {
      Files.writeString(root.resolve(name), "x");
    }
    for (String name : new String[] {".7-zen-1201-03.md.9c0ffee5d00d1e.tmp", ".7-zen-1201-03.md.swp",
        "7-zen-1201-03.md", ".7-zen-1201-03.md.xyz.tmp"}) {
      Files.writeString(logs.resolve(name), "x");
    }

    assertThat(StaleTemps.delete(root)).isEqualTo(2);

    assertThat(names(root)).containsExactlyInAnyOrder("daebug", "daebug.md", ".notes.tmp", "a.md.12ab.tmp");
    assertThat(names(logs)).containsExactlyInAnyOrder(".7-zen-1201-03.md.swp", "7-zen-1201-03.md",
        ".7-zen-1201-03.md.xyz.tmp");
  }

  @Test
  void aRootWithoutLogsIsFine() {
    assertThat(StaleTemps.delete(root)).isZero();
  }

  private static Stream<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList().stream();
    }
  }
}

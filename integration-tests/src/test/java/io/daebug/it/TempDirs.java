package io.daebug.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders of the benchmark programs (tests use {@code @TempDir}). */
final class TempDirs {
  private TempDirs() {}

  /** Deletes {@code dir} and everything in it; what cannot be deleted stays (a leftover temp folder is harmless). */
  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // left behind
    }
  }
}

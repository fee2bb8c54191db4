package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the temporary files an earlier broker run left behind: a broker killed between writing
 * {@code .<name>.md.<hex>.tmp} (see {@link AtomicFiles}) and renaming it over the log leaves it there, and a file
 * written by a dead broker is never renamed by anyone. Run at start, once the port is bound (so no other broker on
 * this port is writing them); without it they pile up, one per crash, in {@code daebug/} and the root. First, what
 * was appended to the replaced versions of logs a killed broker still kept ({@link Orphans#keep}) is carried over.
 */
public final class StaleTemps {
  private static final Logger log = LoggerFactory.getLogger(StaleTemps.class);
  /** The names {@link AtomicFiles} gives its temporary files: a dotfile, the target's name, random hex. */
  static final Pattern NAME = Pattern.compile("^\\..+\\.md\\.[0-9a-f]{1,16}\\.tmp$");

  private StaleTemps() {}

  /**
   * Deletes them from the root (the registry's), {@code daebug/} (the logs') and the logs' history folders
   * ({@code daebug/<realm>.history/}, see {@link History}); returns how many.
   */
  public static int delete(Path root) {
    Orphans.recoverAll(root.resolve("daebug")); // first: what was appended to versions a killed broker replaced
    int deleted = 0;
    List<Path> dirs = new java.util.ArrayList<>(List.of(root, root.resolve("daebug")));
    try (Stream<Path> logs = Files.list(root.resolve("daebug"))) {
      logs.filter(p -> p.getFileName().toString().endsWith(".history")
          && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).forEach(dirs::add);
    } catch (IOException e) {
      // no log folder yet
    }
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).toList()) {
          if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
            deleted++;
          }
        }
      } catch (IOException e) {
        log.warn("cannot delete stale temporary files in {}: {}", dir, e.toString());
      }
    }
    if (deleted > 0) {
      log.info("deleted {} temporary file(s) left by an earlier broker run", deleted);
    }
    return deleted;
  }
}

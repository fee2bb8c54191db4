package io.daebug.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A headless Chromium with a fresh profile, one tab per URL given at launch. {@link #close()} ends
 * the whole process tree (renderers, zygotes, GPU process) and deletes the profile.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private final Process process;
  private final Path profile;

  private Chromium(Process process, Path profile) {
    this.process = process;
    this.profile = profile;
  }

  /** Launches Chromium on these URLs (each one a tab); fails loudly when Chromium is not installed. */
  static Chromium open(String... urls) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("The integration tests drive a real headless Chromium at " + BINARY
          + ", which is missing; install it (e.g. apt-get install chromium) and run the tests again");
    }
    Path profile = Files.createTempDirectory("daebug-chromium-");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile,
        // Tabs other than the first are in the background; their timers must not be throttled.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows"));
    command.addAll(List.of(urls));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(profile.resolveSibling(profile.getFileName() + ".log").toFile()))
        .start();
    return new Chromium(process, profile);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Ends Chromium and every process it started, then deletes the profile. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        p.destroyForcibly();
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    deleteTree(profile);
    profile.resolveSibling(profile.getFileName() + ".log").toFile().delete();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp profile is harmless
    }
  }
}

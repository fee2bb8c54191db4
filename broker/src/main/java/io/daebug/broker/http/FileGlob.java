package io.daebug.broker.http;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of the project folder whose path matches a glob, for {@code /-daebug/glob?pattern=...}
 * (the in-page test runner finds its test modules with it). It lists exactly what static serving
 * would serve: no dot files or dot folders, nothing under {@code daebug/}, nothing whose real path
 * (after symlinks) leaves the root. Symlinked folders are not descended into.
 *
 * <p>Glob syntax, as node's and most shells': {@code *} any run of characters but {@code /},
 * {@code ?} one such character, {@code **} any run including {@code /} ({@code a/**}{@code /b}
 * also matches {@code a/b}), {@code {x,y}} alternatives; everything else is literal. A leading
 * {@code /} or {@code ./} is ignored; a pattern with a {@code ..} segment matches nothing.
 *
 * <p>Anyone who can reach the endpoint chooses the pattern, so its cost is bounded: matching is linear in the
 * path ({@link GlobMatcher}), the pattern's size and brace alternatives are capped, a walk spends at most
 * {@value #MAX_WORK} matching steps, and it stops as soon as the caller says so (the client left, or its time
 * is up).
 */
final class FileGlob {
  /** At most this many paths are returned; more is reported as truncated. */
  static final int MAX_RESULTS = 5000;
  /** At most this many entries are visited per request. */
  static final int MAX_VISITED = 100_000;
  /** At most this many automaton steps per request (about a tenth of a second of one core). */
  static final long MAX_WORK = 50_000_000L;
  /** How many entries are visited between two looks at {@code stop}. */
  private static final int STOP_CHECK_EVERY = 64;

  /** The walk was stopped by its caller (the client left, or its time ran out). */
  static final class StoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoppedException() {
      super("stopped", null, false, false);
    }
  }

  /** Matching paths ({@code /}-separated, relative to the root, sorted) and whether the list was cut. */
  record Listing(List<String> files, boolean truncated) {}

  private FileGlob() {}

  /**
   * @param stop asked now and then during the walk; true ends it with a {@link StoppedException}
   * @throws GlobMatcher.TooComplexException when the pattern is too large, or matching it against this folder
   *     would cost more than {@value #MAX_WORK} steps (the message says which, for a 400)
   */
  static Listing list(Path root, String pattern, java.util.function.BooleanSupplier stop) throws IOException {
    String p = pattern.startsWith("./") ? pattern.substring(2) : pattern;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    for (String segment : p.split("/", -1)) {
      if (segment.equals("..")) {
        return new Listing(List.of(), false);
      }
    }
    GlobMatcher matcher = GlobMatcher.compile(p);
    long[] work = {0};
    List<String> out = new ArrayList<>();
    boolean[] truncated = {false};
    int[] visited = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (dir.equals(root)) {
          return FileVisitResult.CONTINUE;
        }
        return hidden(root, dir) ? FileVisitResult.SKIP_SUBTREE : count();
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (hidden(root, file)) {
          return count();
        }
        String rel = relative(root, file);
        boolean match = matcher.matches(rel, work);
        if (work[0] > MAX_WORK) {
          throw new GlobMatcher.TooComplexException("matching the pattern against this folder takes more than "
              + MAX_WORK + " steps; use a narrower pattern");
        }
        if (match && Files.isRegularFile(file) && file.toRealPath().startsWith(root)) {
          if (out.size() >= MAX_RESULTS) {
            truncated[0] = true;
            return FileVisitResult.TERMINATE;
          }
          out.add(rel);
        }
        return count();
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }

      private FileVisitResult count() {
        if (visited[0] % STOP_CHECK_EVERY == 0 && stop.getAsBoolean()) {
          throw new StoppedException();
        }
        if (++visited[0] > MAX_VISITED) {
          truncated[0] = true;
          return FileVisitResult.TERMINATE;
        }
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort(null);
    return new Listing(List.copyOf(out), truncated[0]);
  }

  private static boolean hidden(Path root, Path p) {
    List<String> segments = new ArrayList<>();
    for (Path part : root.relativize(p)) {
      segments.add(part.toString());
    }
    return RequestPath.isHidden(segments);
  }

  private static String relative(Path root, Path p) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(p)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }
}

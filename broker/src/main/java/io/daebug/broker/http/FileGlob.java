package io.daebug.broker.http;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
 */
final class FileGlob {
  /** At most this many paths are returned; more is reported as truncated. */
  static final int MAX_RESULTS = 5000;
  /** At most this many entries are visited per request. */
  static final int MAX_VISITED = 100_000;

  /** Matching paths ({@code /}-separated, relative to the root, sorted) and whether the list was cut. */
  record Listing(List<String> files, boolean truncated) {}

  private FileGlob() {}

  static Listing list(Path root, String pattern) throws IOException {
    String p = pattern.startsWith("./") ? pattern.substring(2) : pattern;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    for (String segment : p.split("/", -1)) {
      if (segment.equals("..")) {
        return new Listing(List.of(), false);
      }
    }
    Pattern regex = Pattern.compile(toRegex(p));
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
        if (regex.matcher(rel).matches() && Files.isRegularFile(file) && file.toRealPath().startsWith(root)) {
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

  /** The regular expression for a glob (see the class comment). */
  static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '{') {
        braces++;
        re.append("(?:");
      } else if (c == '}' && braces > 0) {
        braces--;
        re.append(')');
      } else if (c == ',' && braces > 0) {
        re.append('|');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    while (braces-- > 0) {
      re.append(')');
    }
    return re.toString();
  }
}

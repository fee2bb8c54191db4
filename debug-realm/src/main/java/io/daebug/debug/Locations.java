package io.daebug.debug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StackFrame;

/** How frames read in replies and events: {@code main.go:42}, and the source line itself. */
final class Locations {
  /** Source files read once (programs under a debugger do not change their sources). Bounded. */
  private static final Map<String, List<String>> SOURCES = new ConcurrentHashMap<>();

  private Locations() {}

  /** {@code main.go:42}, or the frame's name when it has no source. */
  static String where(StackFrame f) {
    Source s = f.getSource();
    String file = s == null ? null : s.getName() != null ? s.getName()
        : s.getPath() != null ? Path.of(s.getPath()).getFileName().toString() : null;
    return file == null ? f.getName() : file + ":" + f.getLine();
  }

  /** {@code main.compute at main.go:42}. */
  static String frame(StackFrame f) {
    String at = where(f);
    return at.equals(f.getName()) ? at : f.getName() + " at " + at;
  }

  /** The frame's source line, trimmed, or null when its file cannot be read. */
  static String sourceLine(StackFrame f) {
    Source s = f.getSource();
    if (s == null || s.getPath() == null || f.getLine() <= 0) {
      return null;
    }
    List<String> lines = SOURCES.computeIfAbsent(s.getPath(), p -> {
      try {
        Path path = Path.of(p);
        return Files.size(path) > 10_000_000 ? List.of() : Files.readAllLines(path, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        return List.of();
      }
    });
    if (SOURCES.size() > 500) {
      SOURCES.clear();
    }
    return f.getLine() <= lines.size() ? lines.get(f.getLine() - 1).strip() : null;
  }
}

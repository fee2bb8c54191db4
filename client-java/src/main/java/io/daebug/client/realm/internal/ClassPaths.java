package io.daebug.client.realm.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path snippets are compiled against: {@code java.class.path}, with the {@code Class-Path}
 * entries of its jars' manifests expanded (launchers such as Maven Surefire put the whole class path
 * in one "manifest-only" jar, whose {@code file:} URL entries javac does not follow).
 */
final class ClassPaths {
  private static final int MAX_ENTRIES = 10_000;

  private ClassPaths() {}

  static String compileClassPath() {
    Set<Path> out = new LinkedHashSet<>();
    Deque<Path> todo = new ArrayDeque<>();
    for (String element : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!element.isBlank()) {
        todo.add(Path.of(element).toAbsolutePath().normalize());
      }
    }
    while (!todo.isEmpty() && out.size() < MAX_ENTRIES) {
      Path p = todo.poll();
      if (!out.add(p) || !Files.isRegularFile(p)) {
        continue;
      }
      todo.addAll(manifestClassPath(p));
    }
    StringBuilder sb = new StringBuilder();
    for (Path p : out) {
      if (Files.exists(p)) {
        sb.append(sb.length() == 0 ? "" : File.pathSeparator).append(p);
      }
    }
    return sb.toString();
  }

  /** The {@code Class-Path} of a jar, each entry a URL relative to the jar; nothing when unreadable. */
  private static Set<Path> manifestClassPath(Path jar) {
    Set<Path> out = new LinkedHashSet<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (classPath == null) {
        return out;
      }
      URI base = jar.toUri();
      for (String entry : classPath.trim().split("\\s+")) {
        if (entry.isEmpty()) {
          continue;
        }
        try {
          URI resolved = base.resolve(entry);
          if ("file".equalsIgnoreCase(resolved.getScheme())) {
            out.add(Path.of(resolved).toAbsolutePath().normalize());
          }
        } catch (IllegalArgumentException e) {
          // not a URL (e.g. an unescaped space): javac would not use it either
        }
      }
    } catch (IOException | SecurityException e) {
      // not a jar, or unreadable: it stays on the path as it is
    }
    return out;
  }
}

package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a path in {@code daebug/} may be used as a realm's log. The working folder is not trusted (a cloned
 * repository can hold anything), so a log is only ever a regular file the broker can read and write, inside the
 * root: never a symbolic link (it could point anywhere, {@code /home/me/.bashrc}), a FIFO (opening one blocks until
 * someone writes to it), a directory, a device or a socket. Every check is an {@code lstat} or an
 * {@code access}: none can block on what the path names, so they are safe on the core thread.
 */
public final class LogPaths {
  private LogPaths() {}

  /** A path that must not be used as a log; the message says why, for the broker's log and the registry. */
  public static final class UnsafeLogException extends IOException {
    private static final long serialVersionUID = 1L;

    UnsafeLogException(String message) {
      super(message);
    }
  }

  /**
   * Why {@code file} (a log {@code daebug/<realm>.md}) cannot be used, or null when it can: absent, or a regular
   * file (not a link) that the broker may read and write, whose folder and side-file folders ({@code .results},
   * {@code .events}) are real folders.
   */
  public static String problem(Path file) {
    String dir = folderProblem(file.getParent());
    if (dir != null) {
      return dir;
    }
    String name = file.getFileName().toString();
    String log = fileProblem(file);
    if (log != null) {
      return log;
    }
    if (name.endsWith(".md")) {
      String base = name.substring(0, name.length() - 3);
      for (String[] side : new String[][] {{".results", "where cut results go"}, {".events", "where omitted events go"},
          {".history", "where finished history goes"}}) {
        Path folder = file.resolveSibling(base + side[0]);
        BasicFileAttributes r = lstat(folder);
        if (r != null && !(r.isDirectory() && !r.isSymbolicLink())) {
          return "daebug/" + folder.getFileName() + " (" + side[1] + ") is " + what(r) + ", not a folder";
        }
      }
    }
    return null;
  }

  /** Why the log folder cannot hold logs (a link, or not a folder), or null. */
  public static String folderProblem(Path dir) {
    BasicFileAttributes d = lstat(dir);
    if (d == null || (d.isDirectory() && !d.isSymbolicLink())) {
      return null;
    }
    return "the log folder daebug/ is " + what(d) + ", not a folder";
  }

  private static String fileProblem(Path file) {
    BasicFileAttributes a = lstat(file);
    String shown = "daebug/" + file.getFileName();
    if (a == null) {
      return null;
    }
    if (!a.isRegularFile()) {
      return shown + " is " + what(a) + ", not a regular file";
    }
    if (!Files.isReadable(file) || !Files.isWritable(file)) {
      return shown + " cannot be " + (Files.isReadable(file) ? "written" : "read") + " by the broker (permissions)";
    }
    return null;
  }

  /** Throws when {@code file} is there and is not a regular file (checked before every open of a log). */
  public static void requireRegularOrAbsent(Path file) throws UnsafeLogException {
    BasicFileAttributes a = lstat(file);
    if (a != null && !a.isRegularFile()) {
      throw new UnsafeLogException("daebug/" + file.getFileName() + " is " + what(a) + ", not a regular file: "
          + "not opened");
    }
  }

  private static String what(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "a symbolic link (never followed)";
    }
    if (a.isDirectory()) {
      return "a folder";
    }
    if (a.isOther()) {
      return "a FIFO, socket or device";
    }
    return "not a regular file";
  }

  /** The path's own attributes (a link's, not its target's), or null when it does not exist or cannot be read. */
  private static BasicFileAttributes lstat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}

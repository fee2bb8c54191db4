package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-modify-write of journal files that neither half-writes nor loses an agent's concurrent edit:
 * write a temporary file, fsync, check the target did not change since it was read (else redo the edit
 * on the new content), rename over it, fsync the folder; text an agent appended to the old file in the
 * instant between that check and the rename, or later through a file descriptor it still holds, is
 * carried over to the new one by the caller (see {@link Orphans}, {@code RealmLog}). The folder's fsync,
 * which only makes the rename durable, runs off the caller's thread (see {@link DirSync}).
 */
public final class AtomicFiles {
  private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);
  private static final int ATTEMPTS = 20;

  /** What was last read or written, to tell the broker's own writes from an agent's. */
  record Stamp(long size, FileTime modified, Object key) {
    static Stamp of(Path p) throws IOException {
      try {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
      } catch (NoSuchFileException e) {
        return null;
      }
    }
  }

  private AtomicFiles() {}

  /** Reads a file as lossless text; null when it does not exist. */
  static String read(Path p) throws IOException {
    try {
      return Utf8.decode(Files.readAllBytes(p));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Applies {@code edit} to the file's current text (null when missing) and replaces the file atomically
   * with the result. An edit returning its input unchanged (same instance) writes nothing.
   *
   * @return the stamp of the content this call read or wrote: a later stat that differs means someone
   *     else changed the file since (taken from the temporary file before the rename, so an edit made
   *     right after the rename is never mistaken for the broker's own)
   */
  static Stamp update(Path target, Orphans orphans, DirSync dirSync, UnaryOperator<String> edit)
      throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Stamp before = Stamp.of(target);
      byte[] oldBytes = before == null ? null : readBytes(target);
      String oldText = oldBytes == null ? null : Utf8.decode(oldBytes);
      String newText = edit.apply(oldText);
      if (newText == null || newText == oldText) {
        return before;
      }
      Path tmp = writeTemp(target, Utf8.encode(newText));
      Stamp written = Stamp.of(tmp);
      FileChannel old = before == null ? null : openOrNull(target);
      boolean moved = false;
      try {
        if (!Objects.equals(before, Stamp.of(target))) {
          continue;
        }
        move(tmp, target);
        moved = true;
        dirSync.request();
      } finally {
        if (!moved) {
          Files.deleteIfExists(tmp);
          if (old != null) {
            old.close();
          }
        }
      }
      if (old != null) {
        orphans.adopt(old, oldBytes);
      }
      return written; // the caller drains the orphans (text appended to the version just replaced)
    }
    throw new IOException("gave up writing " + target + ": it kept changing during " + ATTEMPTS + " attempts");
  }

  /** Creates a file with the given text unless it exists (then leaves it as it is). */
  static boolean createIfMissing(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = writeTemp(target, Utf8.encode(text));
    try {
      Files.createLink(target, tmp);
      syncDir(target.getParent());
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(target)) {
        return false;
      }
      move(tmp, target);
      syncDir(target.getParent());
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes a file atomically with no merge (for files only the broker writes, like the registry). */
  static void replace(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = writeTemp(target, Utf8.encode(text));
    try {
      move(tmp, target);
      syncDir(target.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static FileChannel openOrNull(Path p) throws IOException {
    try {
      return FileChannel.open(p, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static byte[] readBytes(Path p) throws IOException {
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Path writeTemp(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync folder {}: {}", dir, e.toString());
    }
  }
}

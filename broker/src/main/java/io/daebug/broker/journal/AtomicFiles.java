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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic creation and replacement of journal files (temporary file, fsync, rename, folder fsync), and the
 * stamp that tells the broker's own writes from an agent's. Logs are written through {@link TailWriter}.
 */
public final class AtomicFiles {

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

  /** Creates a file with the given text unless it exists (then leaves it as it is). */
  static boolean createIfMissing(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = writeTemp(target, Utf8.encode(text));
    try {
      Files.createLink(target, tmp);
      DirSync.now(target.getParent());
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(target)) {
        return false;
      }
      move(tmp, target);
      DirSync.now(target.getParent());
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes a file atomically with no merge (for files only the broker writes, like the registry). */
  static void replace(Path target, String text) throws IOException {
    replace(target, Utf8.encode(text));
  }

  /** Writes a file atomically with no merge: temporary file, fsync, rename, folder fsync. */
  static void replace(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = writeTemp(target, bytes);
    try {
      move(tmp, target);
      DirSync.now(target.getParent());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Replaces a file only the broker writes but an agent may append a command line to ({@code daebug.md} and
   * its {@code %%SHUTDOWN%%}): like {@link #replace}, except that it writes nothing when the file changed since
   * {@code expected} (the caller reads it again), and that bytes appended to the replaced version in the
   * instant between that check and the rename are handed to {@code appendedToOld}.
   *
   * @param durability {@link Durability#DURABLE}: the temporary file is fsynced before the rename and the folder
   *     after it; {@link Durability#VISIBLE}: neither (a file the broker writes again whenever it starts)
   * @return false when the file changed since {@code expected}: nothing was written
   */
  static boolean replaceUnlessChanged(Path target, byte[] bytes, Stamp expected,
      java.util.function.Consumer<byte[]> appendedToOld, Durability durability) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = writeTemp(target, bytes, durability == Durability.DURABLE);
    FileChannel old = null;
    try {
      old = expected == null ? null : FileChannel.open(target, StandardOpenOption.READ);
      if (!java.util.Objects.equals(expected, Stamp.of(target))) {
        return false;
      }
      move(tmp, target);
      if (durability == Durability.DURABLE) {
        DirSync.now(target.getParent());
      }
      if (old != null && old.size() > expected.size()) {
        ByteBuffer extra = ByteBuffer.allocate((int) (old.size() - expected.size()));
        while (extra.hasRemaining() && old.read(extra, expected.size() + extra.position()) >= 0) {
          // read what was appended after the check
        }
        appendedToOld.accept(java.util.Arrays.copyOf(extra.array(), extra.position()));
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } finally {
      if (old != null) {
        old.close();
      }
      Files.deleteIfExists(tmp);
    }
  }

  /** A fresh temporary file name beside {@code target}: a dotfile, never served or watched (see {@link StaleTemps}). */
  static Path temp(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  private static Path writeTemp(Path target, byte[] bytes) throws IOException {
    return writeTemp(target, bytes, true);
  }

  private static Path writeTemp(Path target, byte[] bytes, boolean fsync) throws IOException {
    Path tmp = temp(target);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      writeFully(ch, ByteBuffer.wrap(bytes), 0);
      if (fsync) {
        ch.force(true);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

}

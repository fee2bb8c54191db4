package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reading a realm's log ({@code daebug/<realm>.md}) while the broker writes it. The broker writes the end of a log
 * in place (docs/big-logs.md), and Linux does not make a read atomic against a write: a read that overlaps one can
 * hold part of it, even a character cut in two, and when the broker's thread is descheduled in the middle of its
 * write, two reads in a row can hold the same mix. Every such write has its redo record
 * ({@code daebug/.<realm>.md.redo}) on disk from before its first change to the log until after its last one, and
 * changes the log's size or modification time; {@link #read} takes a read that no write overlapped: no redo record
 * before or after it, and the same size, time and file before and after it. For tools that read logs (and the
 * project's tests); the controller protocol is the exact way to get results.
 */
public final class JournalFiles {
  /** How long {@link #read} waits for a redo record on an unchanged log to go (a killed broker leaves one). */
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private JournalFiles() {}

  /**
   * Reads a log as text, from a read that no write of the broker overlapped.
   *
   * @param log the file
   * @return its text; when a redo record stays 2 s on an unchanged log (a broker killed in a write left it, and the
   *     next broker finishes that write), the text of two reads in a row that agree
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws CharacterCodingException when it is not UTF-8 (an agent wrote such bytes)
   * @throws IOException when it cannot be read
   */
  public static String read(Path log) throws IOException {
    byte[] last = null;
    BasicFileAttributes stuck = null;
    long stuckSince = 0;
    while (true) {
      Attempt a = attempt(log);
      if (a.unchanged()) {
        if (!a.writing()) {
          return decode(a.bytes());
        }
        // A redo record, and the log unchanged: a write about to start, or a record a killed broker left.
        if (stuck == null || !same(stuck, a.after())) {
          stuck = a.after();
          stuckSince = System.nanoTime();
        } else if (System.nanoTime() - stuckSince > SETTLE_NANOS && Arrays.equals(a.bytes(), last)) {
          return decode(a.bytes());
        }
      }
      last = a.bytes();
    }
  }

  /**
   * One attempt of {@link #read}: the log's text if no write of the broker overlapped this read, else empty.
   *
   * @param log the file
   * @return its text, or empty when a write was under way (a redo record is there) or the log changed meanwhile
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws CharacterCodingException when it is not UTF-8
   * @throws IOException when it cannot be read
   */
  public static Optional<String> readIfClean(Path log) throws IOException {
    Attempt a = attempt(log);
    return a.unchanged() && !a.writing() ? Optional.of(decode(a.bytes())) : Optional.empty();
  }

  /** One read, with whether a redo record was there just before or after it and whether the log changed meanwhile. */
  private record Attempt(byte[] bytes, BasicFileAttributes after, boolean writing, boolean unchanged) {}

  private static Attempt attempt(Path log) throws IOException {
    Path redo = RedoRecord.of(log);
    BasicFileAttributes before = Files.readAttributes(log, BasicFileAttributes.class);
    boolean writing = Files.exists(redo);
    byte[] bytes = Files.readAllBytes(log);
    writing |= Files.exists(redo);
    BasicFileAttributes after = Files.readAttributes(log, BasicFileAttributes.class);
    return new Attempt(bytes, after, writing, same(before, after) && bytes.length == after.size());
  }

  private static boolean same(BasicFileAttributes a, BasicFileAttributes b) {
    return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime())
        && Objects.equals(a.fileKey(), b.fileKey());
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
  }
}

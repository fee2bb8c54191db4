package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * Reading a realm's log ({@code daebug/<realm>.md}) as plain tools do. The broker replaces a log whole with each
 * write (a rename, docs/big-logs.md), so any whole read sees one version; a read is retried only while it raced
 * another writer that changes the file in place (an agent's editor saving, a {@code >>} append): same size, time
 * and file before and after it. For tools that read logs (and the project's tests); the controller protocol is the
 * exact way to get results.
 */
public final class JournalFiles {
  private JournalFiles() {}

  /**
   * Reads a log as text, from a read that no in-place change overlapped.
   *
   * @param log the file
   * @return its text
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws CharacterCodingException when it is not UTF-8 (an agent wrote such bytes)
   * @throws IOException when it cannot be read
   */
  public static String read(Path log) throws IOException {
    while (true) {
      Optional<String> text = readIfClean(log);
      if (text.isPresent()) {
        return text.get();
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Reads a log as text (as {@link #read} does) with its history put back: the text of its history parts
   * ({@code daebug/<realm>.history/}, see docs/journal-format.md, "History files"), oldest first, in place of its
   * link line and the blank line below it. That is the log as it would be had its history never moved.
   *
   * @param log the file
   * @return its whole history and live text
   * @throws java.nio.file.NoSuchFileException when it or a part it links does not exist
   * @throws CharacterCodingException when it is not UTF-8 (an agent wrote such bytes)
   * @throws IOException when it cannot be read
   */
  public static String readWithHistory(Path log) throws IOException {
    String text = read(log);
    int at = text.startsWith(History.LINK_PREFIX) ? 0 : text.indexOf("\n" + History.LINK_PREFIX) + 1;
    int end = at == 0 && !text.startsWith(History.LINK_PREFIX) ? -1 : text.indexOf('\n', at);
    int parts = end < 0 ? -1 : History.linkedParts(text.substring(at, end));
    if (parts < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.substring(0, at));
    for (int p = 1; p <= parts; p++) {
      String part = decode(Files.readAllBytes(History.folderOf(log).resolve(History.name(p))));
      int body = part.indexOf("\n\n");
      out.append(part, body < 0 ? part.length() : body + 2, part.length());
    }
    int rest = Math.min(text.length(), end + 2);
    return out.append(text, rest, text.length()).toString();
  }

  /**
   * One attempt of {@link #read}: the log's text if it did not change during the read, else empty.
   *
   * @param log the file
   * @return its text, or empty when the log changed meanwhile
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws CharacterCodingException when it is not UTF-8
   * @throws IOException when it cannot be read
   */
  public static Optional<String> readIfClean(Path log) throws IOException {
    BasicFileAttributes before = Files.readAttributes(log, BasicFileAttributes.class);
    byte[] bytes = Files.readAllBytes(log);
    BasicFileAttributes after = Files.readAttributes(log, BasicFileAttributes.class);
    return same(before, after) && bytes.length == after.size() ? Optional.of(decode(bytes)) : Optional.empty();
  }

  private static boolean same(BasicFileAttributes a, BasicFileAttributes b) {
    return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime())
        && Objects.equals(a.fileKey(), b.fileKey());
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
  }
}

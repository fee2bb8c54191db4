package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A log in {@code daebug/} that no realm owns (an agent wrote {@code daebug/ghost.md} for a realm that is not
 * connected): its requests wait for a realm of that name, and the agent is told so in that file, with the realms
 * that are live. The note is appended (never rewriting the agent's text) once the file holds a complete request,
 * and only to a file the broker never wrote (no footer): a realm's own log that changes while its realm is away
 * is left alone.
 */
public final class StrayLogs {
  static final String MARK = "> \uD83D\uDEAB daebug: no realm named ";

  private StrayLogs() {}

  /**
   * Appends the note to {@code file} when it holds a complete request, has no footer, ends with a line end and has no
   * note yet.
   *
   * @param live the names of the connected realms
   * @return whether the note was written
   */
  public static boolean note(Path file, String realm, List<String> live) throws IOException {
    String text;
    try {
      text = AtomicFiles.read(file);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (text == null || text.isEmpty() || !text.endsWith("\n") || text.contains(MARK)) {
      return false;
    }
    LogDocument doc = LogDocument.parse(text);
    if (doc.footer() >= 0) {
      return false;
    }
    boolean request = doc.fences().stream().anyMatch(f -> f.closed() && JournalFormat.isRunnable(f.tag(), "javascript"));
    if (!request) {
      return false;
    }
    String note = "\n" + MARK + "`" + realm + "` is connected, so nothing in this file runs yet: its requests run when"
        + " a realm named " + realm + " connects. Live realms: " + (live.isEmpty() ? "none" : String.join(", ", live))
        + " (see daebug.md; each has its log in daebug/).\n";
    Files.writeString(file, note, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    return true;
  }
}

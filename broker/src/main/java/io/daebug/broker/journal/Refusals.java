package io.daebug.broker.journal;

import java.util.List;

/**
 * Requests the broker answers with a 🚫 instead of running them, and what the reply says: a mistake is
 * reported in the log the agent wrote to, with what to write instead, and nothing runs (docs/journal-format.md,
 * "Requests the broker refuses").
 */
final class Refusals {
  private Refusals() {}

  /**
   * Why a runnable fence must not run, or null.
   *
   * @param target the realm its header names (null: no header, or one without a realm)
   * @param malformed a line above it meant as its header that is not one (null: none)
   */
  static String of(LogDocument doc, LogDocument.Fence fence, String code, String realm, String target,
      String malformed) {
    String options = Requests.optionProblem(fence.info());
    if (options != null) {
      return options;
    }
    if (target != null && !Requests.realmName(target).equals(realm)) {
      String other = Requests.realmName(target);
      return "this log is realm " + realm + "'s, but the request's header names " + target + ": nothing ran.\n"
          + "To run it in " + (other.isEmpty() ? "another realm" : other) + ", append it to "
          + (other.isEmpty() ? "that realm's log" : "daebug/" + other + ".md") + " (realms are listed in daebug.md); to run it here,"
          + " name " + realm + " in the header.";
    }
    if (malformed != null) {
      return "the line `" + malformed.strip() + "` above this request is not a request header, so it would run as"
          + " agent's: nothing ran.\nA header is `### 🗣️<agent> to " + realm + " at HH:MM:SS` (or no header at all).";
    }
    return merged(doc, fence, code);
  }

  /**
   * A fence that holds another request: its opening fence was not closed, and the closing fence of the next
   * request closed it, so the two read as one.
   */
  private static String merged(LogDocument doc, LogDocument.Fence fence, String code) {
    List<String> lines = JournalFormat.splitLines(code);
    char mark = doc.line(fence.open()).strip().charAt(0);
    int length = 0;
    String opener = doc.line(fence.open()).strip();
    while (length < opener.length() && opener.charAt(length) == mark) {
      length++;
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String stripped = line.strip();
      boolean header = Requests.header(line) != null && !line.contains(" background at ");
      // An opening fence as long as this one, with a language: it cannot close this fence, it opened the next one.
      boolean innerFence = stripped.length() > length && stripped.startsWith(String.valueOf(mark).repeat(length))
          && stripped.charAt(length) != mark && !stripped.substring(length).isBlank();
      if (header || innerFence) {
        return "this fence holds another request (its line " + (i + 1) + ": `" + stripped + "`): the fence above it was"
            + " not closed, so the two were read as one and nothing ran.\nClose the first request's fence (a line "
            + String.valueOf(mark).repeat(length) + " after its code) and append the requests again.";
      }
    }
    return null;
  }
}

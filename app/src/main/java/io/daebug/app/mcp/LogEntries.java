package io.daebug.app.mcp;

import java.util.ArrayList;
import java.util.List;

/**
 * A realm's log cut into entries (docs/journal-format.md): each starts at a {@code ### } header outside a
 * fence (an agent's request with its reply and console events, or a block of background events) and ends
 * before the next one or the footer. The title, the guide and the footer are not entries.
 */
final class LogEntries {
  private static final String FOOTER = "-".repeat(70);

  private LogEntries() {}

  /** The entries of a log's text, oldest first, each with its trailing line break. */
  static List<String> parse(String log) {
    List<String> entries = new ArrayList<>();
    StringBuilder current = null;
    String fence = null;
    int start = 0;
    while (start < log.length()) {
      int end = log.indexOf('\n', start);
      String line = end < 0 ? log.substring(start) : log.substring(start, end + 1);
      start = end < 0 ? log.length() : end + 1;
      String bare = line.stripTrailing();
      if (fence == null) {
        if (bare.startsWith("### ")) {
          if (current != null) {
            entries.add(current.toString());
          }
          current = new StringBuilder();
        } else if (bare.equals(FOOTER)) {
          if (current != null) {
            entries.add(current.toString());
          }
          current = null;
          continue;
        }
        fence = opening(bare);
      } else if (closes(bare, fence)) {
        fence = null;
      }
      if (current != null) {
        current.append(line);
      }
    }
    if (current != null) {
      entries.add(current.toString());
    }
    return entries;
  }

  /**
   * The entries from the request an agent appended with this code on: the last entry headed
   * {@code ### 🗣️<agent> to <realm>} that holds the code, and every later one; empty when there is none.
   */
  static List<String> since(List<String> entries, String agent, String realm, String code) {
    String head = "### \uD83D\uDDE3\uFE0F" + agent + " to " + realm + " ";
    for (int i = entries.size() - 1; i >= 0; i--) {
      String e = entries.get(i);
      if (e.startsWith(head) && e.contains(code.strip())) {
        return entries.subList(i, entries.size());
      }
    }
    return List.of();
  }

  /** The fence a line opens ({@code ```} or {@code ~~~~}, 3 or more), or null. */
  private static String opening(String line) {
    String t = line.stripLeading();
    if (line.length() - t.length() > 3 || t.length() < 3) {
      return null;
    }
    char c = t.charAt(0);
    if (c != '`' && c != '~') {
      return null;
    }
    int n = 0;
    while (n < t.length() && t.charAt(n) == c) {
      n++;
    }
    if (n < 3 || (c == '`' && t.indexOf('`', n) >= 0)) {
      return null;
    }
    return String.valueOf(c).repeat(n);
  }

  private static boolean closes(String line, String fence) {
    String t = line.strip();
    if (t.length() < fence.length() || t.charAt(0) != fence.charAt(0)) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) != fence.charAt(0)) {
        return false;
      }
    }
    return true;
  }
}

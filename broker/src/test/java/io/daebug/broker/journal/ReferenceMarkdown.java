package io.daebug.broker.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * A second, independent reading of a log, written from the rules in docs/journal-format.md and
 * CommonMark rather than from {@link LogDocument}: lines split on LF, CRLF and CR; fences of 3 or more
 * backticks or tildes indented by up to 3 spaces (a backtick fence's info string holds no backtick),
 * closed by a line of the same character, at least as long, followed by nothing but spaces or tabs; an
 * unclosed fence runs to the end. The properties compare the broker's parser against it.
 */
final class ReferenceMarkdown {
  /** A fence by line indexes; {@code close} is -1 when it never closes. */
  record Fence(int open, int close, String info) {
    boolean closed() {
      return close >= 0;
    }

    String tag() {
      String t = info.trim();
      return t.isEmpty() ? "" : t.split("\\s+", 2)[0];
    }
  }

  final boolean bom;
  final List<String> lines = new ArrayList<>();
  final List<String> ends = new ArrayList<>();
  final List<Fence> fences = new ArrayList<>();
  private final boolean[] inFence;

  ReferenceMarkdown(String text) {
    bom = text.startsWith("\uFEFF");
    String t = bom ? text.substring(1) : text;
    int start = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '\r' && i + 1 < t.length() && t.charAt(i + 1) == '\n') {
        lines.add(t.substring(start, i));
        ends.add("\r\n");
        start = ++i + 1;
      } else if (c == '\r' || c == '\n') {
        lines.add(t.substring(start, i));
        ends.add(String.valueOf(c));
        start = i + 1;
      }
    }
    if (start < t.length()) {
      lines.add(t.substring(start));
      ends.add("");
    }
    inFence = new boolean[lines.size()];
    int i = 0;
    while (i < lines.size()) {
      String marker = opener(lines.get(i));
      if (marker == null) {
        i++;
        continue;
      }
      int close = -1;
      for (int j = i + 1; j < lines.size() && close < 0; j++) {
        if (closes(lines.get(j), marker)) {
          close = j;
        }
      }
      String line = lines.get(i);
      fences.add(new Fence(i, close, line.substring(line.indexOf(marker) + marker.length())));
      int last = close < 0 ? lines.size() - 1 : close;
      for (int k = i; k <= last; k++) {
        inFence[k] = true;
      }
      i = last + 1;
    }
  }

  /** The opening run of backticks or tildes when the line opens a fence, else null. */
  static String opener(String line) {
    int indent = indent(line);
    if (indent > 3 || indent >= line.length()) {
      return null;
    }
    char c = line.charAt(indent);
    if (c != '`' && c != '~') {
      return null;
    }
    int k = indent;
    while (k < line.length() && line.charAt(k) == c) {
      k++;
    }
    if (k - indent < 3 || (c == '`' && line.indexOf('`', k) >= 0)) {
      return null;
    }
    return line.substring(indent, k);
  }

  /** Whether the line closes a fence opened with {@code marker}. */
  static boolean closes(String line, String marker) {
    int indent = indent(line);
    if (indent > 3) {
      return false;
    }
    char c = marker.charAt(0);
    int k = indent;
    while (k < line.length() && line.charAt(k) == c) {
      k++;
    }
    if (k - indent < marker.length()) {
      return false;
    }
    for (int i = k; i < line.length(); i++) {
      if (line.charAt(i) != ' ' && line.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  boolean inFence(int line) {
    return inFence[line];
  }

  /** Indexes of rule lines outside fences that are followed by a prompt line: the footers. */
  List<Integer> footers() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (!inFence[i] && lines.get(i).equals(JournalFormat.RULE) && lines.get(i + 1).startsWith("> Append your ")) {
        out.add(i);
      }
    }
    return out;
  }

  /** The last footer, or -1. */
  int footer() {
    List<Integer> all = footers();
    return all.isEmpty() ? -1 : all.get(all.size() - 1);
  }

  /** The code of a closed fence: its lines joined by LF. */
  String content(Fence f) {
    return String.join("\n", lines.subList(f.open() + 1, f.close()));
  }

  /** Whether the line after a closed fence starts a reply (the fence already ran). */
  boolean replied(Fence f) {
    int next = f.close() + 1;
    return next < lines.size()
        && (lines.get(next).startsWith(JournalFormat.OK_MARK) || lines.get(next).startsWith(JournalFormat.FAIL_MARK));
  }

  /** The text of lines [from, to) with their own terminators. */
  String text(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(lines.get(i)).append(ends.get(i));
    }
    return sb.toString();
  }
}

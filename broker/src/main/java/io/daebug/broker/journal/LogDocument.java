package io.daebug.broker.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A markdown log as lines, with its fences and footer located. Pure and mutable; one instance per edit.
 * Line terminators are kept per line so an agent's CRLF lines survive untouched.
 */
final class LogDocument {
  /** DOTALL: U+0085, U+2028 and U+2029 are not line breaks in markdown, so they belong to the info string. */
  private static final Pattern FENCE_OPEN = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$", Pattern.DOTALL);
  /** {@code executing (5s)}, {@code queued (1 ahead)}, or {@code queued (0 ahead): realm disconnected at ...}. */
  private static final Pattern PENDING_STATUS = Pattern.compile(
      "^(executing \\(\\d+s\\)|queued \\(\\d+ ahead\\)(?:: realm disconnected at [0-9:]{8}, waiting up to [0-9a-z.]+ for it to return)?)$");

  /** A fenced block: its opening and closing line indexes ({@code close} is -1 while unclosed). */
  record Fence(int open, int close, String info, String tag) {
    boolean closed() {
      return close >= 0;
    }
  }

  final List<String> lines;
  final List<String> ends;
  /** A byte order mark an editor put at the start: kept on writing, invisible to parsing. */
  private boolean bom;
  private List<Fence> fences;
  private boolean[] inFence;
  private Fence[] openingAt;

  private LogDocument(List<String> lines, List<String> ends) {
    this.lines = lines;
    this.ends = ends;
  }

  /**
   * Whether the file is probably being written right now: its last line has no line ending (writers
   * flush whole lines far more often than not), or the broker's footer is missing from a file that has
   * the broker's replies (an editor rewriting the file in place, caught halfway). Acting on such a
   * snapshot could run a request whose reply is still in the part not yet written.
   */
  boolean looksUnsettled() {
    int n = size();
    if (n == 0) {
      return false;
    }
    if (ends.get(n - 1).isEmpty()) {
      return true;
    }
    if (footer() >= 0) {
      return false;
    }
    for (String line : lines) {
      if (line.startsWith(JournalFormat.OK_MARK) || line.startsWith(JournalFormat.FAIL_MARK)) {
        return true;
      }
    }
    return false;
  }

  static LogDocument parse(String text) {
    return parse(text, true);
  }

  /**
   * Parses text that starts at a line start of a log, outside any fence: the whole file ({@code atStart}),
   * or its live region (see {@link LiveRegion}), where a leading U+FEFF is text, not a byte order mark.
   */
  static LogDocument parse(String text, boolean atStart) {
    boolean bom = atStart && text.startsWith("\uFEFF");
    if (bom) {
      text = text.substring(1);
    }
    List<String> lines = new ArrayList<>();
    List<String> ends = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          ends.add("\r\n");
          i++;
        } else {
          ends.add(String.valueOf(c));
        }
        start = i + 1;
      }
    }
    if (start < n) {
      lines.add(text.substring(start));
      ends.add("");
    }
    LogDocument doc = new LogDocument(lines, ends);
    doc.bom = bom;
    return doc;
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    if (bom) {
      sb.append('\uFEFF');
    }
    for (int i = 0; i < lines.size(); i++) {
      sb.append(lines.get(i));
      String end = ends.get(i);
      sb.append(end.isEmpty() && i < lines.size() - 1 ? "\n" : end);
    }
    return sb.toString();
  }

  int size() {
    return lines.size();
  }

  /** How many bytes lines [0, to) take in {@link #text()} encoded (a byte order mark included). */
  long byteLength(int to) {
    return lineStarts(to + 1)[to];
  }

  /** The byte offsets in {@link #text()} encoded of lines [0, n) (n may be one past the last line: the end). */
  long[] lineStarts(int n) {
    long[] at = new long[n];
    long off = bom ? 3 : 0;
    for (int i = 0; i < n; i++) {
      at[i] = off;
      if (i < lines.size()) {
        String end = ends.get(i);
        off += Utf8.length(lines.get(i)) + (end.isEmpty() && i < lines.size() - 1 ? 1 : end.length());
      }
    }
    return at;
  }

  String line(int i) {
    return lines.get(i);
  }

  /**
   * Replaces the text of line {@code i}, keeping its terminator. The fence scan is kept when neither the old
   * nor the new text can open or close a fence, so rewriting many status lines in one write (a queue moving
   * up) costs no rescans of the document.
   */
  void setLine(int i, String text) {
    boolean structural = mayFence(lines.get(i)) || mayFence(text);
    lines.set(i, text);
    if (structural) {
      fences = null;
    }
  }

  /** Whether a line could open or close a fence: up to 3 spaces, then a backtick or a tilde. */
  private static boolean mayFence(String line) {
    int k = 0;
    while (k < line.length() && k < 4 && line.charAt(k) == ' ') {
      k++;
    }
    return k < line.length() && (line.charAt(k) == '`' || line.charAt(k) == '~');
  }

  /** Replaces lines [from, to) with new ones (terminated by \n). */
  void replace(int from, int to, List<String> with) {
    for (int i = to - 1; i >= from; i--) {
      lines.remove(i);
      ends.remove(i);
    }
    for (int i = 0; i < with.size(); i++) {
      lines.add(from + i, with.get(i));
      ends.add(from + i, "\n");
    }
    if (from + with.size() == lines.size() && !with.isEmpty()) {
      ends.set(lines.size() - 1, "\n");
    }
    normaliseEnds(from, from + with.size() + 1);
    fences = null;
  }

  /**
   * Keeps line endings as they will read back: a line that is no longer the last one gets the LF it was
   * missing, and a blank line written with LF right after a line that ends with a lone CR ends with CR
   * instead (CR LF would read back as one line break, and the blank line would vanish). Parsing never
   * produces either case, so only lines next to the broker's edits change. A U+FEFF that an edit brings to
   * the start of the file is read as a BOM, as it will be when the file is read again.
   */
  private void normaliseEnds(int from, int to) {
    if (!bom && from == 0 && !lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
      // An edit removed what was above a line starting with U+FEFF: the file now starts with a BOM.
      bom = true;
      lines.set(0, lines.get(0).substring(1));
    }
    for (int i = Math.max(0, from - 1); i < Math.min(to, lines.size()); i++) {
      if (ends.get(i).isEmpty() && i < lines.size() - 1) {
        ends.set(i, "\n");
      }
      if (i > 0 && lines.get(i).isEmpty() && ends.get(i).equals("\n") && ends.get(i - 1).equals("\r")) {
        ends.set(i, "\r");
      }
    }
  }

  /** Copies lines [from, to) with their own terminators (a missing last terminator becomes \n). */
  List<String[]> slice(int from, int to) {
    List<String[]> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new String[] {lines.get(i), ends.get(i).isEmpty() ? "\n" : ends.get(i)});
    }
    return out;
  }

  /** Rebuilds the document from line/terminator pairs. */
  void setAll(List<String[]> pairs) {
    lines.clear();
    ends.clear();
    for (String[] p : pairs) {
      lines.add(p[0]);
      ends.add(p[1]);
    }
    normaliseEnds(0, lines.size());
    fences = null;
  }

  List<Fence> fences() {
    if (fences == null) {
      scan();
    }
    return fences;
  }

  boolean inFence(int line) {
    if (fences == null) {
      scan();
    }
    return inFence[line];
  }

  private void scan() {
    List<Fence> found = new ArrayList<>();
    boolean[] inside = new boolean[lines.size()];
    int i = 0;
    while (i < lines.size()) {
      if (!mayOpenFence(lines.get(i))) {
        i++;
        continue;
      }
      Matcher m = FENCE_OPEN.matcher(lines.get(i));
      if (!m.matches() || (m.group(1).charAt(0) == '`' && m.group(2).contains("`"))) {
        i++;
        continue;
      }
      String marker = m.group(1);
      String info = m.group(2).trim();
      int close = -1;
      for (int j = i + 1; j < lines.size(); j++) {
        if (closes(lines.get(j), marker)) {
          close = j;
          break;
        }
      }
      int end = close < 0 ? lines.size() - 1 : close;
      for (int k = i; k <= end; k++) {
        inside[k] = true;
      }
      String tag = firstWord(info);
      found.add(new Fence(i, close, info, tag));
      i = end + 1;
    }
    fences = found;
    inFence = inside;
    openingAt = new Fence[lines.size()];
    for (Fence f : found) {
      openingAt[f.open()] = f;
    }
  }

  /** The info string's first word: up to its first whitespace ({@code \s}: space, tab, line ends, form feeds). */
  private static String firstWord(String info) {
    int i = 0;
    while (i < info.length() && " \t\n\u000B\f\r".indexOf(info.charAt(i)) < 0) {
      i++;
    }
    return i == info.length() ? info : info.substring(0, i);
  }

  /** A cheap test before {@link #FENCE_OPEN}: up to 3 spaces, then a backtick or a tilde (most lines fail it). */
  private static boolean mayOpenFence(String line) {
    int i = 0;
    while (i < 3 && i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i + 2 < line.length() && (line.charAt(i) == '`' || line.charAt(i) == '~');
  }

  private static boolean closes(String line, String marker) {
    int indent = 0;
    while (indent < line.length() && indent < 4 && line.charAt(indent) == ' ') {
      indent++;
    }
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
        return false; // CommonMark: only spaces or tabs may follow a closing fence
      }
    }
    return true;
  }

  /** The content of a closed fence, lines joined by \n. */
  String content(Fence f) {
    return String.join("\n", lines.subList(f.open() + 1, f.close()));
  }

  /** Index of the footer's rule line (the last one outside fences followed by the prompt), or -1. */
  int footer() {
    for (int i = lines.size() - 2; i >= 0; i--) {
      if (lines.get(i).equals(JournalFormat.RULE) && lines.get(i + 1).startsWith(JournalFormat.PROMPT_START) && !inFence(i)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the line right after a closed fence starts a reply (so the fence already ran). */
  boolean replied(Fence f) {
    int next = f.close() + 1;
    if (next >= lines.size()) {
      return false;
    }
    String l = lines.get(next);
    return l.startsWith(JournalFormat.OK_MARK) || l.startsWith(JournalFormat.FAIL_MARK);
  }

  /** Whether line i is a placeholder status line such as {@code executing (5s)}. */
  boolean isPendingStatus(int i) {
    return i < lines.size() && isPendingStatus(lines.get(i));
  }

  /** Whether {@code line} is a placeholder status line such as {@code executing (5s)}. */
  static boolean isPendingStatus(String line) {
    // most lines fail the first look, with no matcher made
    return (line.startsWith("executing (") || line.startsWith("queued (")) && PENDING_STATUS.matcher(line).matches();
  }

  /** The fence that opens at line i, or null. */
  Fence fenceAt(int i) {
    if (fences == null) {
      scan();
    }
    return i >= 0 && i < openingAt.length ? openingAt[i] : null;
  }
}

package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One pass over a log on disk, a chunk at a time ({@link LineChunks}), that finds what {@link History#moveOut} needs
 * of the whole document without building it: where the live region starts ({@link LiveRegion#start}), where the
 * log's top ends ({@link History#topEnd}) and its link line, and a few line starts to scan the history's last quarter
 * again from for the cut ({@link #cut}). It keeps a handful of numbers per log, never a line it is done with.
 *
 * <p>Each line is classified on its bytes exactly as {@link LogDocument} classifies its decoded text: {@link Utf8}
 * is lossless, so line starts are the same byte offsets; every test involved ({@code startsWith}, {@code equals},
 * fence openers and closers) is about ASCII bytes, which never occur inside a multi-byte sequence; and
 * {@link String#isBlank} is reproduced by decoding the few whitespace characters outside ASCII. The fence state of
 * each line comes from the same forward scan as {@link LogDocument}'s (a fence left open runs to the end).
 *
 * <p>{@link #of} returns null when it cannot be sure of the result, and the caller reads the file whole: a log
 * with no footer (all of it is live), a live region starting at the first line, a line longer than
 * {@link LineChunks#MAX_LINE}, or a link line longer than {@link #MAX_LINK_LINE}. Not thread-safe.
 */
final class HistoryScan {
  /** A link line longer than this (the log's top starting with the link line's words) is not held. */
  static final int MAX_LINK_LINE = 64 * 1024;
  /** How far apart the line starts outside fences are that {@link #cut} may scan from. */
  static final long CHECKPOINT_EVERY = 1 << 20;
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  static final byte[] RULE = bytes(JournalFormat.RULE);
  static final byte[] PROMPT = bytes(JournalFormat.PROMPT_START);
  private static final byte[] OK = bytes(JournalFormat.OK_MARK);
  private static final byte[] REQUEST = bytes(JournalFormat.REQUEST_MARK);
  private static final byte[] LINK = bytes(History.LINK_PREFIX);
  private static final byte[] TITLE = bytes("# ");
  private static final byte[] EXECUTING = bytes("executing (");
  private static final byte[] QUEUED = bytes("queued (");
  private static final byte[] BACKTICKS = bytes("```");
  private static final byte[] TILDES = bytes("~~~");

  private enum Top { TITLE, BLANKS, GUIDE, BLANKS_AFTER, FOUND }

  private int lines;
  private long size;
  /** The fence open at the current line: its marker's character and length, its opening line and offset. */
  private boolean inFence;
  private byte fenceChar;
  private int fenceLength;
  private int fenceOpen;
  private long fenceOpenAt;
  /** The last non-blank line so far, and the line {@link LiveRegion} moves up to from it (its fence's opener). */
  private int filled = -1;
  private int filledAnchor;
  private long filledAnchorAt;
  /** A rule line outside fences (maybe the footer) and the last non-blank line above it, with its anchor. */
  private int rule = -1;
  private int ruleFilled;
  private int ruleAnchor;
  private long ruleAnchorAt;
  /** The footer: the last rule line outside fences followed by the prompt; the last non-blank line above it. */
  private int footer = -1;
  private int footerFilled;
  private int footerAnchor;
  private long footerAnchorAt;
  /** The first closed fence followed by a placeholder (its reply's header and a pending status line). */
  private int pending = -1;
  private long pendingAt;
  private int pendingStage;
  private int candidate;
  private long candidateAt;
  /** The log's top, as {@link History#topEnd} finds it. */
  private Top topState = Top.TITLE;
  private int guide;
  private int top = -1;
  private long topAt;
  private byte[] topLine;
  private long afterTopAt;
  private int filledAfterTop = -1;
  private long filledAfterTopAt;
  private long[] checkpoints = new long[16];
  private int checkpointCount;
  private final long checkpointEvery;

  private HistoryScan(long checkpointEvery) {
    this.checkpointEvery = checkpointEvery;
  }

  /**
   * Scans {@code ch} from its first line to {@code limit} bytes; null when the result would not be certain (see the
   * class).
   *
   * @param checkpointEvery how far apart the line starts {@link #cut} may start from are ({@link #CHECKPOINT_EVERY})
   */
  static HistoryScan of(FileChannel ch, long limit, long checkpointEvery) throws IOException {
    HistoryScan s = new HistoryScan(checkpointEvery);
    byte[] head = new byte[3];
    int n = ch.read(java.nio.ByteBuffer.wrap(head), 0);
    LineChunks in = new LineChunks(ch, n == 3 && Arrays.equals(head, BOM) ? 3 : 0, limit);
    try {
      while (in.next()) {
        if (!s.line(in.buf(), in.start(), in.end(), in.offset())) {
          return null;
        }
      }
    } catch (LineChunks.TooLong e) {
      return null;
    }
    s.size = in.position();
    if (s.top < 0) {
      s.top = s.lines;
      s.topAt = s.size;
    }
    return s.footer < 0 || s.live() == 0 ? null : s;
  }

  /** Takes line number {@link #lines} in; false when the scan cannot be sure of its result. */
  private boolean line(byte[] b, int s, int e, long at) {
    int i = lines++;
    if (!inFence && (checkpointCount == 0 || at - checkpoints[checkpointCount - 1] >= checkpointEvery)) {
      if (checkpointCount == checkpoints.length) {
        checkpoints = Arrays.copyOf(checkpoints, checkpointCount * 2);
      }
      checkpoints[checkpointCount++] = at;
    }
    boolean blank = isBlank(b, s, e);
    boolean closed = false;
    if (!inFence) {
      if (opener(b, s, e) > 0) {
        inFence = true;
        fenceOpen = i;
        fenceOpenAt = at;
      }
    } else if (closes(b, s, e, fenceChar, fenceLength)) {
      inFence = false;
      closed = true;
    }
    boolean inside = inFence || closed;
    placeholder(b, s, e, i, closed);
    if (rule == i - 1 && rule >= 0 && startsWith(b, s, e, PROMPT)) {
      footer = rule;
      footerFilled = ruleFilled;
      footerAnchor = ruleAnchor;
      footerAnchorAt = ruleAnchorAt;
    }
    if (!inside && e - s == RULE.length && startsWith(b, s, e, RULE)) {
      rule = i;
      ruleFilled = filled;
      ruleAnchor = filledAnchor;
      ruleAnchorAt = filledAnchorAt;
    }
    if (!top(b, s, e, i, at, blank, inside)) {
      return false;
    }
    if (!blank) {
      filled = i;
      filledAnchor = inside ? fenceOpen : i;
      filledAnchorAt = inside ? fenceOpenAt : at;
    }
    return true;
  }

  /** Follows {@link LiveRegion}'s test for a pending placeholder below the first fences that close. */
  private void placeholder(byte[] b, int s, int e, int i, boolean closed) {
    if (pendingStage == 1) {
      pendingStage = startsWith(b, s, e, OK) ? 2 : 0;
    } else if (pendingStage == 2) {
      pendingStage = 0;
      if ((startsWith(b, s, e, EXECUTING) || startsWith(b, s, e, QUEUED))
          && LogDocument.isPendingStatus(Utf8.decode(Arrays.copyOfRange(b, s, e)))) {
        pending = candidate;
        pendingAt = candidateAt;
      }
    }
    if (closed && pending < 0) {
      pendingStage = 1;
      candidate = fenceOpen;
      candidateAt = fenceOpenAt;
    }
  }

  /** Follows {@link History#topEnd}: the title, blank lines, guide lines outside fences, blank lines. */
  private boolean top(byte[] b, int s, int e, int i, long at, boolean blank, boolean inside) {
    while (true) {
      switch (topState) {
        case TITLE -> {
          if (!startsWith(b, s, e, TITLE)) {
            return foundTop(b, s, e, i, at);
          }
          topState = Top.BLANKS;
          return true;
        }
        case BLANKS -> {
          if (blank) {
            return true;
          }
          guide = i;
          topState = Top.GUIDE;
        }
        case GUIDE -> {
          if (isGuide(b, s, e, blank) && !inside) {
            return true;
          }
          if (i == guide) {
            return foundTop(b, s, e, i, at);
          }
          topState = Top.BLANKS_AFTER;
        }
        case BLANKS_AFTER -> {
          return blank || foundTop(b, s, e, i, at);
        }
        case FOUND -> {
          if (i == top + 1) {
            afterTopAt = at;
          }
          if (!blank && filledAfterTop < 0) {
            filledAfterTop = i;
            filledAfterTopAt = at;
          }
          return true;
        }
        default -> throw new IllegalStateException(topState.toString());
      }
    }
  }

  private boolean foundTop(byte[] b, int s, int e, int i, long at) {
    top = i;
    topAt = at;
    topState = Top.FOUND;
    if (startsWith(b, s, e, LINK)) {
      if (e - s > MAX_LINK_LINE) {
        return false;
      }
      topLine = Arrays.copyOfRange(b, s, e);
    }
    return true;
  }

  /** Bytes scanned: the file's size as scanned. */
  long size() {
    return size;
  }

  /** The first line of the live region ({@link LiveRegion#start} of the whole log). */
  int live() {
    int s1 = footerFilled >= 0 ? footerFilled : 0;
    if (pending >= 0 && pending < s1) {
      return pending;
    }
    return footerFilled >= 0 ? footerAnchor : 0;
  }

  /** The byte offset of {@link #live()}. */
  long liveAt() {
    int s1 = footerFilled >= 0 ? footerFilled : 0;
    return pending >= 0 && pending < s1 ? pendingAt : footerAnchorAt;
  }

  /** The line right below the log's top ({@link History#topEnd}), and its offset. */
  int top() {
    return top;
  }

  long topAt() {
    return topAt;
  }

  /** How many parts the link line at the top names; -1 when there is none (see {@link History#linkedParts}). */
  int linked() {
    return top < live() && topLine != null ? History.linkedParts(Utf8.decode(topLine)) : -1;
  }

  /**
   * The offset where the history to move starts, as {@link History#moveOut} finds it: the top, or the first
   * non-blank line below the link line (at most the live region's start).
   */
  long fromAt(int linked) {
    if (linked < 0) {
      return topAt;
    }
    int live = live();
    if (top + 1 >= live) {
      return top + 1 == live ? liveAt() : afterTopAt;
    }
    return filledAfterTop >= 0 && filledAfterTop < live ? filledAfterTopAt : liveAt();
  }

  /**
   * Where the kept history starts ({@code History.cut}): the first entry ({@code ### 🗣️...} outside a fence) below
   * {@code fromAt}, at or after {@code keepFrom} and above the live region; the live region's start when there is
   * none. Scans from the last checkpoint before those bounds, so about the history's last quarter.
   */
  long cut(FileChannel ch, long fromAt, long keepFrom) throws IOException {
    long liveAt = liveAt();
    long begin = Math.max(fromAt, keepFrom);
    int c = 0;
    while (c + 1 < checkpointCount && checkpoints[c + 1] <= begin) {
      c++;
    }
    LineChunks in = new LineChunks(ch, checkpoints[c], liveAt);
    boolean open = false;
    byte marker = 0;
    int length = 0;
    while (in.next()) {
      byte[] b = in.buf();
      int s = in.start();
      int e = in.end();
      long at = in.offset();
      if (open) {
        open = !closes(b, s, e, marker, length);
      } else if (at > fromAt && at >= keepFrom && startsWith(b, s, e, REQUEST)) {
        return at;
      } else {
        length = fenceLength(b, s, e);
        open = length > 0;
        marker = open ? b[s + indent(b, s, e, 3)] : 0;
      }
    }
    return liveAt;
  }

  /** Whether a line opens a fence; sets {@link #fenceChar} and {@link #fenceLength} when it does. */
  private int opener(byte[] b, int s, int e) {
    int m = fenceLength(b, s, e);
    if (m > 0) {
      fenceChar = b[s + indent(b, s, e, 3)];
      fenceLength = m;
    }
    return m;
  }

  /**
   * The length of the marker of a fence a line opens, 0 when it opens none: up to 3 spaces, 3 or more backticks
   * or tildes, and for backticks no backtick after them ({@code LogDocument.FENCE_OPEN}).
   */
  static int fenceLength(byte[] b, int s, int e) {
    int i = s + indent(b, s, e, 3);
    if (i >= e || (b[i] != '`' && b[i] != '~')) {
      return 0;
    }
    byte c = b[i];
    int k = i;
    while (k < e && b[k] == c) {
      k++;
    }
    if (k - i < 3) {
      return 0;
    }
    if (c == '`') {
      for (int j = k; j < e; j++) {
        if (b[j] == '`') {
          return 0;
        }
      }
    }
    return k - i;
  }

  /** Whether a line closes a fence of {@code length} {@code c}s ({@code LogDocument.closes}). */
  static boolean closes(byte[] b, int s, int e, byte c, int length) {
    int indent = indent(b, s, e, 4);
    if (indent > 3) {
      return false;
    }
    int k = s + indent;
    while (k < e && b[k] == c) {
      k++;
    }
    if (k - s - indent < length) {
      return false;
    }
    for (int i = k; i < e; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** How many spaces a line starts with, counting up to {@code max}. */
  private static int indent(byte[] b, int s, int e, int max) {
    int n = 0;
    while (n < max && s + n < e && b[s + n] == ' ') {
      n++;
    }
    return n;
  }

  /** {@code History.isGuide} of a line. */
  private static boolean isGuide(byte[] b, int s, int e, boolean blank) {
    return !blank && b[s] != '#' && !startsWith(b, s, e, LINK) && !(e - s == RULE.length && startsWith(b, s, e, RULE))
        && !startsWith(b, s, e, BACKTICKS) && !startsWith(b, s, e, TILDES);
  }

  /**
   * {@link String#isBlank} of the line decoded: every character is whitespace ({@link Character#isWhitespace}). The
   * whitespace outside ASCII is all in U+1680..U+3000, three bytes each; an invalid byte decodes to a lone
   * surrogate, which is not whitespace, and so is every other character.
   */
  static boolean isBlank(byte[] b, int s, int e) {
    int i = s;
    while (i < e) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if (!Character.isWhitespace(c)) {
          return false;
        }
        i++;
      } else if (c >= 0xE1 && c <= 0xE3 && i + 2 < e && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
        int cp = (c & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
        if (!Character.isWhitespace(cp)) {
          return false;
        }
        i += 3;
      } else {
        return false;
      }
    }
    return true;
  }

  static boolean startsWith(byte[] b, int s, int e, byte[] prefix) {
    return e - s >= prefix.length && Arrays.equals(b, s, s + prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

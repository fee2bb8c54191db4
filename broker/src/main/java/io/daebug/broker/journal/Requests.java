package io.daebug.broker.journal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises request header lines (both forms of FORMAT.md §2.1) and per-request options in fence info. */
final class Requests {
  private static final Pattern HEADER = Pattern.compile(
      "^### \uD83D\uDDE3\uFE0F?\\s*(.+?) to (.+?) at (\\d{1,2}:\\d{2}(?::\\d{2})?)\\s*$");
  /** Matched with {@code lookingAt}: a trailing {@code .*$} backtracked quadratically over U+2028 and U+0085. */
  private static final Pattern HEADER_LOOSE = Pattern.compile("^### \uD83D\uDDE3\uFE0F?\\s*(\\S+)");
  private static final Pattern OLD_HEADER = Pattern.compile(
      "^> \\*\\*(.+?)\\*\\* to (.+?) at (\\d{1,2}:\\d{2}(?::\\d{2})?)\\s*$");
  private static final Pattern TIMEOUT = Pattern.compile("(?:^|\\s)timeout=(\\d+(?:\\.\\d+)?)(ms|s|m)?(?=\\s|$)");

  /**
   * Lines longer than this are not matched against {@link #HEADER} and {@link #OLD_HEADER}: their lazy
   * groups backtrack in quadratic time (a 1 MB line of {@code " to "} took hours). Such a line in the new
   * form is still a header (its agent is its first word); in the old form it is prose.
   */
  static final int MAX_STRICT_HEADER = 1024;

  /** A parsed header: the agent, and the line to write (the old form normalised). */
  record Header(String agent, String normalised) {}

  private Requests() {}

  /** Parses a request header line, or returns null when the line is not one. */
  static Header header(String line) {
    if (line.length() <= MAX_STRICT_HEADER) {
      Matcher m = OLD_HEADER.matcher(line);
      if (m.matches()) {
        return new Header(m.group(1), JournalFormat.requestHeader(m.group(1), m.group(2), m.group(3)));
      }
      m = HEADER.matcher(line);
      if (m.matches()) {
        return new Header(m.group(1), line);
      }
    }
    Matcher m = HEADER_LOOSE.matcher(line);
    if (m.lookingAt()) {
      return new Header(m.group(1), line);
    }
    return null;
  }

  /** The per-request timeout from fence info such as {@code js timeout=5s}, or null. */
  static Duration timeout(String info) {
    Matcher m = TIMEOUT.matcher(info.toLowerCase(Locale.ROOT));
    if (!m.find()) {
      return null;
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    long ms = switch (unit) {
      case "ms" -> (long) n;
      case "m" -> (long) (n * 60_000);
      default -> (long) (n * 1000);
    };
    return ms > 0 ? Duration.ofMillis(ms) : null;
  }
}

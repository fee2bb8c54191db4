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

  /** A parsed header: the agent, the line to write (the old form normalised), and the realm it names (or null). */
  record Header(String agent, String normalised, String target) {
    Header(String agent, String normalised) {
      this(agent, normalised, null);
    }
  }

  /** A line meant as a request header that is not one: a heading or quote naming an agent, a realm and a time. */
  private static final Pattern LOOKS_LIKE_HEADER = Pattern.compile(
      "^(?:#{1,6}|>)\\s*(?:\uD83D\uDDE3\uFE0F?)?\\s*\\S.{0,200}? to \\S{1,100} at \\d{1,2}:\\d{2}(?::\\d{2})?\\s*$");
  private static final Pattern SPEAKER = Pattern.compile("^#{1,6}\\s*\uD83D\uDDE3");
  private static final Pattern NOT_NAME = Pattern.compile("[^a-z0-9-]+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern OPTION_TIMEOUT = Pattern.compile("\\d+(?:\\.\\d+)?(?:ms|s|m)?");
  private static final String TIMEOUT_FORMS = "`timeout=500ms`, `timeout=5s`, `timeout=2m` or `timeout=5` (seconds)";

  private Requests() {}

  /** Parses a request header line, or returns null when the line is not one. */
  static Header header(String line) {
    if (line.length() <= MAX_STRICT_HEADER) {
      Matcher m = OLD_HEADER.matcher(line);
      if (m.matches()) {
        return new Header(m.group(1), JournalFormat.requestHeader(m.group(1), m.group(2), m.group(3)), m.group(2));
      }
      m = HEADER.matcher(line);
      if (m.matches()) {
        return new Header(m.group(1), line, m.group(2));
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

  /**
   * Whether a line that is not a header was meant as one: {@code ## 🗣️claude to r at 10:11:12}, {@code ### claude to r
   * at 10:11:12}, {@code > claude to r at 10:11}. A request under it would run under an inserted {@code agent} header.
   */
  static boolean looksLikeHeader(String line) {
    if (line.length() > 400 || header(line) != null) {
      return false;
    }
    return SPEAKER.matcher(line).find() || LOOKS_LIKE_HEADER.matcher(line).matches();
  }

  /** What is wrong with a fence's options (the words after its language), or null when nothing is. */
  static String optionProblem(String info) {
    String[] words = SPACES.split(info.strip());
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      int eq = w.indexOf('=');
      String key = (eq < 0 ? w : w.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (key.equals("timeout")) {
        String value = eq < 0 ? "" : w.substring(eq + 1).toLowerCase(Locale.ROOT);
        if (!OPTION_TIMEOUT.matcher(value).matches() || timeout("js timeout=" + value) == null) {
          return "bad option `" + w + "`: a timeout is written " + TIMEOUT_FORMS + "; nothing ran";
        }
      } else if (eq > 0) {
        return "unknown option `" + w + "`: the one request option is the timeout, " + TIMEOUT_FORMS + "; nothing ran";
      }
    }
    return null;
  }

  /** The realm a header names, made a realm name as realms' own names are (lowercase, [a-z0-9-]). */
  static String realmName(String target) {
    String dashed = NOT_NAME.matcher(target.toLowerCase(Locale.ROOT)).replaceAll("-");
    String n = EDGE_DASHES.matcher(dashed).replaceAll("");
    return n.length() > 64 ? n.substring(0, 64) : n;
  }
}

package io.daebug.broker.journal;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The exact strings of FORMAT.md: headers, placeholders, fences, durations, the footer. Pure functions. */
public final class JournalFormat {
  /** The footer's rule: exactly 70 dashes. */
  public static final String RULE = "-".repeat(70);
  /** How the footer's prompt line, below the rule, begins (the rest names the language and the realm). */
  static final String PROMPT_START = "> Append your ";

  static final String REQUEST_MARK = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  static final String OK_MARK = "#### \uD83D\uDC4D"; // #### 👍
  static final String FAIL_MARK = "#### \uD83D\uDEAB"; // #### 🚫
  static final String EVENT_MARK = "##### ";

  private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final Pattern BACKTICK_RUN = Pattern.compile("`+");

  private JournalFormat() {}

  /** {@code HH:MM:SS}, 24-hour, zero-padded, locale-independent. */
  public static String time(LocalTime t) {
    return HMS.format(t);
  }

  /** {@code Nms} below 2000 ms, otherwise seconds with one decimal. */
  public static String duration(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 2000) {
      return ms + "ms";
    }
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }

  /** A duration as options are written: {@code 2m}, {@code 90s}, {@code 500ms}. */
  public static String shortDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /** The prompt line of the footer for a realm's {@link Dialect#key} (or plain language). */
  public static String prompt(String language) {
    return Dialect.of(language).prompt();
  }

  static String normalLanguage(String language) {
    return language == null ? "javascript" : language.trim().toLowerCase(Locale.ROOT);
  }

  /** Whether a fence whose info string's first word is {@code tag} runs in a realm of this dialect. */
  static boolean isRunnable(String tag, String realmLanguage) {
    return Dialect.of(realmLanguage).runs(tag);
  }

  /** The info string of a request fence in a realm of this language: {@code JS}, or the language itself. */
  public static String fenceTag(String language) {
    return Dialect.of(language).fenceTag(null);
  }

  /** The text of a new log: title, guidance, footer. */
  public static String newLog(String realm, String language) {
    Dialect dialect = Dialect.of(language);
    String lang = dialect.title();
    String fence = dialect.fenceTag(null);
    return "# " + realm + " Session\n"
        + "\n"
        + "This file is a live REPL into the realm `" + realm + "`: append a request below the footer line\n"
        + "(an optional `### \uD83D\uDDE3\uFE0Fyour-name to " + realm + " at HH:MM:SS` header, then a ```" + fence
        + " fence)\n"
        + "and the broker runs it there at once and writes the reply, its duration and any console\n"
        + "output below your request. " + (!dialect.extraTags().isEmpty() ? "A ```" + dialect.extraTags().get(0)
                + " fence holds debugger commands, one per line (`help` lists them).\n"
            : "JavaScript".equals(lang) || "Python".equals(lang)
            ? "Top-level `await` works; the last expression is the value.\n"
            : "State persists between snippets; the last expression is the value.\n")
        + "Several fences run in order; an unclosed fence is a draft and does not run.\n"
        + "\n"
        + footer(language);
  }

  /** The footer: rule, prompt, blank line. */
  static String footer(String language) {
    return RULE + "\n" + prompt(language) + "\n\n";
  }

  /** {@code ### 🗣️agent to realm at HH:MM:SS}. */
  static String requestHeader(String agent, String realm, String time) {
    return REQUEST_MARK + agent + " to " + realm + " at " + time;
  }

  /** {@code ### 🗣️realm background at HH:MM:SS}. */
  static String backgroundHeader(String realm, String time) {
    return REQUEST_MARK + realm + " background at " + time;
  }

  /** {@code #### 👍realm to agent at HH:MM:SS} without a duration: the placeholder's header. */
  static String pendingHeader(String realm, String agent, String time) {
    return OK_MARK + realm + " to " + agent + " at " + time;
  }

  static String executing(long seconds) {
    return "executing (" + seconds + "s)";
  }

  static String queued(int ahead) {
    return "queued (" + ahead + " ahead)";
  }

  private static String queued(PendingStatus.Queued q) {
    return queued(q.ahead()) + (q.why() == null ? "" : ": " + q.why());
  }

  /** A placeholder's status line: {@code executing (3s)} or {@code queued (2 ahead)}. */
  static String status(PendingStatus status) {
    // Java 17 has no pattern switch; the interface is sealed to these two
    return status instanceof PendingStatus.Executing e ? executing(e.seconds())
        : queued((PendingStatus.Queued) status);
  }

  /** A reply header with duration: {@code #### 👍realm to agent at HH:MM:SS (17ms)} or 🚫, maybe {@code (late)}. */
  static String replyHeader(boolean ok, String realm, String agent, String time, Duration took, boolean late) {
    return (ok ? OK_MARK : FAIL_MARK) + realm + " to " + agent + " at " + time + " (" + duration(took) + ")"
        + (late ? " (late)" : "");
  }

  /** A fenced block whose fence is one backtick longer than the longest backtick run inside (at least 3). */
  static List<String> fence(String info, String rawContent) {
    String content = wellFormed(rawContent);
    int longest = 0;
    Matcher m = BACKTICK_RUN.matcher(content);
    while (m.find()) {
      longest = Math.max(longest, m.end() - m.start());
    }
    String ticks = "`".repeat(Math.max(3, longest + 1));
    List<String> lines = new ArrayList<>();
    lines.add(ticks + info);
    lines.addAll(splitLines(content));
    lines.add(ticks);
    return lines;
  }

  /**
   * Replaces unpaired surrogates with U+FFFD. Text from a realm can hold them (JavaScript strings may);
   * written as they are, the lossless encoder would turn some into raw invalid UTF-8 bytes, which are
   * reserved for bytes an agent's editor really wrote.
   */
  static String wellFormed(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(s.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(s.length()).append(s, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** Splits text on any line ending; a trailing line ending does not make an empty last line. */
  static List<String> splitLines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(text.substring(start, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < text.length() || out.isEmpty()) {
      out.add(text.substring(start));
    }
    return out;
  }
}

package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.journal.JournalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One realm's chat log {@code daebug/<realm>.md}, seen as an agent sees it: read it, append to it,
 * wait for the broker's answer.
 *
 * <p>Expected text is written as a template: exact text in which only {@value #TIME} stands for
 * any {@code HH:MM:SS}, {@value #MS} for any {@code Nms} duration, {@value #DURATION} for any duration
 * ({@code Nms} or {@code N.Ns}) and {@value #JOB} for a job id {@code j-<run>-N} (it shows in stack traces as
 * {@code daebug-j-<run>-N.js}).
 */
final class LogFile {
  static final String RULE = "-".repeat(70);
  static final String FOOTER = RULE + "\n> Append your JavaScript snippet below to execute against this page.\n\n";
  /** The footer of a JavaScript realm that is not a page (a worker, a Node process). */
  static final String REALM_FOOTER = RULE + "\n> Append your JavaScript snippet below to execute against this realm.\n\n";

  /** The footer {@code text} ends with: a page's, or another realm's ({@link #FOOTER} when neither). */
  static String footerOf(String text) {
    return text.endsWith(REALM_FOOTER) ? REALM_FOOTER : FOOTER;
  }

  /** Whether {@code text} ends with a JavaScript realm's footer, a page's or another realm's. */
  static boolean endsWithFooter(String text) {
    return text.endsWith(FOOTER) || text.endsWith(REALM_FOOTER);
  }
  /** The footer of a Python realm's log. */
  static final String PYTHON_FOOTER = RULE + "\n> Append your Python snippet below to execute against this realm.\n\n";
  static final String TIME = "{time}";
  static final String MS = "{ms}";
  static final String JOB = "{job}";
  static final String DURATION = "{duration}";

  private final String realm;
  private final Path path;
  private String footer;
  /** The file as it was before the last {@link #append}, without its footer. */
  private String before = "";

  LogFile(String realm, Path path) {
    this(realm, path, FOOTER);
  }

  /** The log of a realm whose footer is {@code footer} ({@link #PYTHON_FOOTER} for a Python realm). */
  LogFile(String realm, Path path, String footer) {
    this.realm = realm;
    this.path = path;
    this.footer = footer;
  }

  /** A JavaScript log's footer says "this page" for a page and "this realm" for a worker or a Node realm. */
  private void adaptFooter(String now) {
    if (footer.equals(FOOTER) || footer.equals(REALM_FOOTER)) {
      footer = footerOf(now);
    }
  }

  /** The footer this log ends with. */
  String footer() {
    return footer;
  }

  String realm() {
    return realm;
  }

  Path path() {
    return path;
  }

  /** The file's text, {@code ""} while it does not exist. */
  String read() {
    return read(path);
  }

  /** The file's text with its history parts put back ({@link JournalFiles#readWithHistory}), {@code ""} while it does not exist. */
  static String read(Path file) {
    try {
      return JournalFiles.readWithHistory(file);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Appends {@code text} in one write, as an agent's editor would, after checking the file ends with the footer. */
  void append(String text) {
    String now = read();
    adaptFooter(now);
    assertThat(now).as("log of %s before appending", realm).endsWith(footer);
    before = now.substring(0, now.length() - footer.length());
    try {
      Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends {@code text} without taking a new snapshot: the next {@link #awaitAppended} still expects
   * everything since the previous {@link #append}. For a request added while another one runs.
   */
  void appendMore(String text) {
    try {
      Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites the whole file in place as a plain editor save (truncate and write) with {@code edit}
   * applied; the snapshot taken by the last {@link #append} gets the same edit.
   */
  void edit(UnaryOperator<String> edit) {
    String now = read();
    before = edit.apply(before);
    try {
      Files.writeString(path, edit.apply(now), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Saves as editors such as vim do: the new text (the file with {@code edit} applied) goes to a hidden
   * temporary file beside the log, which is then renamed over it. Takes a snapshot as {@link #append} does.
   */
  void saveByRename(UnaryOperator<String> edit, String appended) {
    String now = read();
    adaptFooter(now);
    assertThat(now).as("log of %s before saving", realm).endsWith(footer);
    before = edit.apply(now.substring(0, now.length() - footer.length()));
    Path swap = path.resolveSibling("." + path.getFileName() + ".swp");
    try {
      Files.writeString(swap, before + footer + appended, StandardCharsets.UTF_8);
      Files.move(swap, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text the test saw before its last append, without the footer. */
  String before() {
    return before;
  }

  /**
   * Waits until the log is exactly what it was before the last append, then {@code template}, then the
   * footer; returns the part that matched the template.
   */
  String awaitAppended(String template) {
    return awaitAppended(template, TestAwait.AT_MOST);
  }

  String awaitAppended(String template, Duration atMost) {
    return awaitAppendedMatching(regex(template), template, atMost);
  }

  /**
   * As {@link #awaitAppended(String)} for a part that a template cannot state, given as a regex; {@code shown} is
   * what a failure prints as expected (a template of one of the texts the regex accepts).
   */
  String awaitAppendedMatching(String regex, String shown) {
    return awaitAppendedMatching(regex, shown, TestAwait.AT_MOST);
  }

  private String awaitAppendedMatching(String regex, String template, Duration atMost) {
    Pattern pattern = Pattern.compile(Pattern.quote(before) + "(" + regex + ")" + Pattern.quote(footer),
        Pattern.DOTALL);
    String[] matched = new String[1];
    await(atMost).untilAsserted(() -> {
      String now = read();
      Matcher m = pattern.matcher(now);
      if (!m.matches()) {
        assertThat(now).as("log of %s (template: %s = HH:MM:SS, %s = Nms, %s = j-<run>-N, %s = Nms or N.Ns)", realm,
            TIME, MS, JOB, DURATION).isEqualTo(before + template + footer);
      }
      matched[0] = m.group(1);
    });
    return matched[0];
  }

  /** Waits until some part of the log matches {@code template}. */
  void awaitFind(String template) {
    Pattern pattern = Pattern.compile(regex(template), Pattern.DOTALL);
    await().untilAsserted(() -> assertThat(pattern.matcher(read()).find())
        .as("log of %s contains%n%s%nbut is%n%s", realm, template, read()).isTrue());
  }

  /** A regex for a template: its text literally, the placeholders as patterns. */
  static String regex(String template) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile(Pattern.quote(TIME) + "|" + Pattern.quote(MS) + "|" + Pattern.quote(JOB) + "|"
        + Pattern.quote(DURATION)).matcher(template);
    int at = 0;
    while (m.find()) {
      out.append(Pattern.quote(template.substring(at, m.start())));
      out.append(switch (m.group()) {
        case TIME -> "\\d\\d:\\d\\d:\\d\\d";
        case MS -> "\\d+ms";
        case DURATION -> "(?:\\d+ms|\\d+\\.\\ds)";
        default -> "j-[0-9a-z]+-\\d+";
      });
      at = m.end();
    }
    return out.append(Pattern.quote(template.substring(at))).toString();
  }

  /** Whether {@code text} matches {@code template} exactly. */
  static boolean matches(String text, String template) {
    return Pattern.compile(regex(template), Pattern.DOTALL).matcher(text).matches();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}

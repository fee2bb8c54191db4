package io.daebug.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent reading of the files {@link CrashIT} checks, written from FORMAT.md and journal-format.md rather
 * than from the broker's parser: a realm log (title, exactly one footer outside fences and below everything the
 * broker wrote, every reply header right under a closed fence, no NUL byte) and the registry (title, {@code ##
 * Active Sessions}, one line per realm). A file that breaks a rule throws an {@link AssertionError} naming the rule,
 * the line and the file's text.
 *
 * <p>It knows the crash test's shapes: every runnable fence holds {@code crash("TAG")}, every reply value is {@code
 * "done TAG"}, every event line names the job's tag ({@code TAG log N}) or is a background line.
 */
final class CrashReading {
  static final String RULE = "-".repeat(70);
  static final String RESTART = "no result: the broker stopped before this job finished (its realm may have run it)";
  private static final Pattern OPENING = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
  private static final Pattern STATUS = Pattern.compile("^(executing \\(\\d+s\\)|queued \\(\\d+ ahead\\))$");
  private static final Pattern EVENT_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (.*)$");
  private static final Pattern PROSE = Pattern.compile("^Why: \\S+ asks for (\\S+) ");
  private static final Pattern REALM_LINE = Pattern.compile(
      "^\\* \\[([a-z0-9-]+)\\]\\(daebug/\\1\\.md\\) \\([^)\\s]+\\) at \\d\\d:\\d\\d:\\d\\d: (.+)$");

  /** A reply: {@code ok}, {@code error} or {@code placeholder}; {@code block} is its text up to its last event. */
  record Reply(String kind, String agent, String body, String block) {}

  /**
   * A runnable fence: its tag, its header's agent, where its text ends (just after its closing fence's line end)
   * and its reply (null below the footer: not accepted yet).
   */
  record Request(String tag, String agent, int end, Reply reply) {}

  /** What a log holds. */
  record Log(String text, Map<String, List<Request>> requests, Map<String, Integer> prose,
      Map<String, Integer> events, int placeholders, int waiting) {
    /** The one request of {@code tag}, or null; more than one is a failure. */
    Request request(String tag) {
      List<Request> all = requests.getOrDefault(tag, List.of());
      return all.isEmpty() ? null : all.get(0);
    }
  }

  private final String what;
  private final String text;
  private final List<String> lines = new ArrayList<>();
  private final List<Integer> starts = new ArrayList<>();
  /** For each line: the index of the fence it opens, closes or lies in, else -1. */
  private int[] fenceOf;
  private final List<int[]> fences = new ArrayList<>();
  private final List<String> infos = new ArrayList<>();

  private CrashReading(String what, String text) {
    this.what = what;
    this.text = text;
    int at = 0;
    while (at < text.length()) {
      int nl = text.indexOf('\n', at);
      int end = nl < 0 ? text.length() : nl;
      starts.add(at);
      lines.add(text.substring(at, end));
      at = nl < 0 ? text.length() : nl + 1;
    }
    starts.add(text.length());
  }

  /** Reads the log of {@code realm}; throws when it breaks a rule. */
  static Log log(String realm, String what, String text) {
    return new CrashReading(what, text).readLog(realm);
  }

  /** Reads the registry; returns every listed realm's state, throws when it breaks a rule. */
  static Map<String, String> registry(String what, String text) {
    return new CrashReading(what, text).readRegistry();
  }

  private Log readLog(String realm) {
    require(!text.isEmpty(), -1, "the log is empty");
    require(text.indexOf('\0') < 0, lineAt(text.indexOf('\0')), "a NUL byte");
    require(text.startsWith("# " + realm + " Session\n"), 0, "the title line # " + realm + " Session");
    scanFences();
    int footer = -1;
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (fenceOf[i] < 0 && lines.get(i).equals(RULE) && lines.get(i + 1).startsWith("> Append your ")) {
        require(footer < 0, i, "a second footer (the first at line " + (footer + 1) + ")");
        footer = i;
      }
    }
    require(footer >= 0, -1, "the footer (70 '-' and '> Append your ' outside fences)");
    boolean[] consumed = new boolean[lines.size()];
    Map<String, List<Request>> requests = new LinkedHashMap<>();
    Map<String, Integer> events = new HashMap<>();
    int placeholders = 0;
    int waiting = 0;
    String agent = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (fenceOf[i] < 0) {
        boolean brokers = line.startsWith("#### 👍") || line.startsWith("#### 🚫") || line.startsWith("##### ")
            || line.startsWith("### 🗣️" + realm + " background at ");
        require(!brokers || i < footer, i, "broker text below the footer");
        if (line.startsWith("### 🗣️" + realm + " background at ")) {
          consumed[i] = true;
          i = events(i + 1, null, events, consumed, realm) - 1;
        } else if (line.startsWith("### 🗣️") && (i + 1 < lines.size() || text.endsWith("\n"))) {
          Matcher m = Pattern.compile("^### 🗣️(\\S+) to " + Pattern.quote(realm) + " at ").matcher(line);
          require(m.find(), i, "a request header naming the realm");
          agent = m.group(1);
        } else if (line.startsWith("#### ") || line.startsWith("##### ")) {
          require(consumed[i], i, "a reply or event header that is not right under a closed fence");
        }
        continue;
      }
      int f = fenceOf[i];
      if (fences.get(f)[0] != i || !runnable(infos.get(f))) {
        continue;
      }
      int close = fences.get(f)[1];
      if (close < 0) {
        require(i > footer, i, "a runnable fence above the footer that is never closed");
        break; // an agent's draft: it runs to the end of the file
      }
      require(close == i + 2, i, "a request holding one line of code");
      Matcher code = CrashRealm.CODE.matcher(lines.get(i + 1));
      require(code.matches(), i + 1, "crash(\"TAG\") as the request's code");
      String tag = code.group(1);
      require(agent != null, i, "a header above the request");
      Reply reply = null;
      if (i < footer) {
        int[] end = new int[1];
        reply = reply(close + 1, realm, agent, tag, events, consumed, end);
        placeholders += reply.kind().equals("placeholder") ? 1 : 0;
        i = end[0] - 1;
      } else {
        waiting++;
        i = close;
      }
      requests.computeIfAbsent(tag, t -> new ArrayList<>()).add(new Request(tag, agent, starts.get(close + 1), reply));
    }
    Map<String, Integer> prose = new HashMap<>();
    for (String line : lines) {
      Matcher m = PROSE.matcher(line);
      if (m.find()) {
        prose.merge(m.group(1), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, List<Request>> e : requests.entrySet()) {
      if (e.getValue().size() > 1) {
        require(false, lineAt(e.getValue().get(1).end() - 1), "one request of " + e.getKey() + ", not "
            + e.getValue().size());
      }
    }
    return new Log(text, requests, prose, events, placeholders, waiting);
  }

  /** The reply right under the closing fence at {@code at - 1}; sets {@code end[0]} to the line after it. */
  private Reply reply(int at, String realm, String agent, String tag, Map<String, Integer> events,
      boolean[] consumed, int[] end) {
    Matcher h = header(at, realm);
    require(h != null, at, "a reply or placeholder header right under the request's closing fence");
    require(h.group(2).equals(agent), at, "the reply addressed to the request's agent " + agent);
    consumed[at] = true;
    int startLine = at;
    if (h.group(3) == null) {
      require(at + 1 < lines.size() && STATUS.matcher(lines.get(at + 1)).matches(), at + 1,
          "executing (Ns) or queued (N ahead) under a placeholder header");
      end[0] = at + 2;
      return new Reply("placeholder", agent, lines.get(at + 1), block(startLine, at + 2));
    }
    require(h.group(4) == null, at, "no (late) on a first reply");
    String kind = h.group(1).equals("👍") ? "ok" : "error";
    String body = fenceBody(at + 1, kind.equals("ok") ? "JSON" : "Error");
    if (kind.equals("ok")) {
      require(body.equals("\"done " + tag + "\""), at + 2, "the reply of " + tag + " holding \"done " + tag + "\"");
    }
    int next = events(fences.get(fenceOf[at + 1])[1] + 1, tag, events, consumed, realm);
    while (next < lines.size() && header(next, realm) != null && header(next, realm).group(4) != null) {
      consumed[next] = true;
      fenceBody(next + 1, null);
      next = events(fences.get(fenceOf[next + 1])[1] + 1, tag, events, consumed, realm);
    }
    end[0] = next;
    return new Reply(kind, agent, body, block(startLine, next));
  }

  private Matcher header(int at, String realm) {
    if (at >= lines.size() || fenceOf[at] >= 0) {
      return null;
    }
    Matcher m = Pattern.compile("^#### (👍|🚫)" + Pattern.quote(realm)
        + " to (\\S+) at \\d\\d:\\d\\d:\\d\\d(?: \\((\\d+ms|\\d+\\.\\ds)\\)( \\(late\\))?)?$").matcher(lines.get(at));
    return m.matches() ? m : null;
  }

  /** The content of the closed fence opening at line {@code at}, whose info starts with {@code info}. */
  private String fenceBody(int at, String info) {
    require(at < lines.size() && fenceOf[at] >= 0 && fences.get(fenceOf[at])[0] == at, at, "a fence under a header");
    int[] f = fences.get(fenceOf[at]);
    require(f[1] > 0, at, "a closed fence under a header");
    require(info == null || infos.get(fenceOf[at]).equals(info), at, "a " + info + " fence");
    return String.join("\n", lines.subList(at + 1, f[1]));
  }

  /**
   * Event blocks ({@code ##### <emoji><label>} and a fence) from line {@code at}, each first line counted; with a
   * {@code tag} each must name it, without one (a background block) each must be a background line and the
   * omission line and the link to the side file of the omitted events may appear. Returns the line after them.
   */
  private int events(int at, String tag, Map<String, Integer> counts, boolean[] consumed, String realm) {
    int i = at;
    while (i < lines.size() && fenceOf[i] < 0) {
      String line = lines.get(i);
      if (tag == null && (line.matches("^\\.\\.\\. \\(\\d+ more background events omitted\\) \\.\\.\\.$")
          || line.matches("^Omitted events: \\[([^\\]]+)\\]\\(\\1\\)$"))) {
        i++;
        continue;
      }
      if (!line.startsWith("##### ")) {
        break;
      }
      consumed[i] = true;
      String body = fenceBody(i + 1, null);
      Matcher m = EVENT_LINE.matcher(body.lines().findFirst().orElse(""));
      require(m.matches(), i + 2, "an event line starting with HH:MM:SS");
      String event = m.group(1);
      if (tag != null) {
        require(event.matches(Pattern.quote(tag) + " log \\d"), i + 2, "an event of " + tag + " under its reply");
      } else {
        require(event.startsWith("bg " + realm + " ") || event.contains("a result for unknown job"), i + 2,
            "a background line of " + realm);
      }
      counts.merge(event, 1, Integer::sum);
      i = fences.get(fenceOf[i + 1])[1] + 1;
    }
    return i;
  }

  private String block(int from, int to) {
    return text.substring(starts.get(from), starts.get(Math.min(to, lines.size())));
  }

  private static boolean runnable(String info) {
    String lang = info.strip().split("[ \t]", 2)[0].toLowerCase(Locale.ROOT);
    return lang.isEmpty() || lang.equals("js") || lang.equals("javascript") || lang.equals("mjs");
  }

  /** CommonMark fences: {@code fences} holds [open, close] line pairs (close -1 when never closed). */
  private void scanFences() {
    fenceOf = new int[lines.size()];
    int open = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (open < 0) {
        Matcher m = OPENING.matcher(line);
        fenceOf[i] = -1;
        if (m.matches() && !(m.group(1).charAt(0) == '`' && m.group(2).contains("`"))) {
          open = fences.size();
          fences.add(new int[] {i, -1, m.group(1).charAt(0), m.group(1).length()});
          infos.add(m.group(2).strip());
          fenceOf[i] = open;
        }
        continue;
      }
      int[] f = fences.get(open);
      fenceOf[i] = open;
      String fence = String.valueOf((char) f[2]);
      if (line.matches("^ {0,3}" + Pattern.quote(fence) + "{" + f[3] + ",}[ \t]*$")) {
        f[1] = i;
        open = -1;
      }
    }
  }

  private Map<String, String> readRegistry() {
    require(!text.isEmpty(), -1, "the registry is empty");
    require(text.indexOf('\0') < 0, lineAt(text.indexOf('\0')), "a NUL byte");
    require(lines.get(0).startsWith("# 👾 Daebug remote debugging REPL started "), 0, "the registry's title");
    int active = lines.indexOf("## Active Sessions");
    int howTo = lines.indexOf("## How to Use");
    require(active > 0 && howTo > active, active, "## Active Sessions, then ## How to Use");
    Map<String, String> realms = new LinkedHashMap<>();
    for (int i = active + 1; i < howTo; i++) {
      String line = lines.get(i);
      if (line.isEmpty() || line.startsWith("_No realm is connected yet")) {
        continue;
      }
      Matcher m = REALM_LINE.matcher(line);
      require(m.matches(), i, "a realm line * [name](daebug/name.md) (url) at HH:MM:SS: state");
      require(realms.put(m.group(1), m.group(2)) == null, i, "one line for realm " + m.group(1));
    }
    return realms;
  }

  private int lineAt(int offset) {
    int line = 0;
    while (line + 1 < starts.size() && starts.get(line + 1) <= offset) {
      line++;
    }
    return line;
  }

  private void require(boolean ok, int line, String expected) {
    if (!ok) {
      int from = Math.max(0, (line < 0 ? lines.size() : line) - 20);
      int to = line < 0 ? lines.size() : Math.min(lines.size(), line + 10);
      throw new AssertionError(what + ": expected " + expected + (line >= 0 ? " at line " + (line + 1) : "")
          + (line >= 0 && line < lines.size() ? " (" + lines.get(line) + ")" : "") + "; lines " + (from + 1) + " to "
          + to + " of " + lines.size() + ":\n" + String.join("\n", lines.subList(from, to)));
    }
  }
}

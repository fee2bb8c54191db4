package io.daebug.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts, in the logs a load run leaves behind, every request and every reply, independently of the broker's own
 * parser: each request the run sent must be in its realm's log exactly once, under the header of the agent or
 * controller that sent it; directly under its fence its reply ({@code #### 👍<realm> to <agent> at HH:MM:SS (dur)} and
 * the JSON fence {@code "<id>"}, the only place that value may appear), directly under that the job's console event
 * ({@code during <id>}); every background event the realm sent exactly once; no 🚫 reply, no placeholder left, one
 * footer at the end.
 *
 * <p>The load run's code and values are chosen so that this reading needs no full Markdown parser: requests are
 * {@code echo("<id>")}, ids are {@code [a-z0-9-]}, and no content line starts with a backtick.
 */
final class LoadAudit {
  private static final Pattern FENCE = Pattern.compile("^(`{3,}|~{3,})(.*)$");
  private static final Pattern REQUEST = Pattern.compile("^echo\\(\"([a-z0-9-]+)\"\\)$");
  private static final Pattern VALUE = Pattern.compile("^\"([a-z0-9-]+)\"$");
  private static final Pattern DURING = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d during ([a-z0-9-]+)$");
  private static final Pattern BACKGROUND = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (bg-[a-z0-9-]+)$");
  private static final Pattern OMITTED = Pattern.compile("^\\.\\.\\. \\((\\d+) more background events omitted\\) \\.\\.\\.$");
  /** The line after a block's last kept event that links the side file holding its omitted events (FORMAT.md §2.4). */
  private static final Pattern EVENTS_LINK = Pattern.compile("^Omitted events: \\[([^\\]]+)\\]\\(([^)]+)\\)$");
  private static final Pattern PLACEHOLDER = Pattern.compile("^(executing \\(\\d+s\\)|queued \\(\\d+ ahead\\))$");
  private static final String TIME = "\\d\\d:\\d\\d:\\d\\d";
  private static final int EXAMPLES = 20;

  /** What the run sent to one realm: request id -> the agent or controller name that sent it; background texts. */
  record Sent(String realm, Map<String, String> requests, Set<String> background) {}

  /** The tally over all logs. {@link #problems} holds the first few findings, each naming its log and id. */
  static final class Tally {
    int requests;
    int requestsLost;
    int requestsDuplicated;
    int requestsUnexpected;
    int replies;
    int repliesLost;
    int repliesDuplicated;
    int repliesMisplaced;
    int failedReplies;
    int jobEvents;
    int jobEventsLost;
    int jobEventsMisplaced;
    int background;
    int backgroundLost;
    int backgroundDuplicated;
    int backgroundOmitted;
    /** Events (of jobs or background) found in the side files the logs link. */
    int inSideFiles;
    int placeholdersLeft;
    int badFooters;
    final List<String> problems = new ArrayList<>();

    /** Nothing lost, duplicated, misplaced, failed or left over. */
    boolean clean() {
      return requestsLost + requestsDuplicated + requestsUnexpected + repliesLost + repliesDuplicated
          + repliesMisplaced + failedReplies + jobEventsLost + jobEventsMisplaced + backgroundLost
          + backgroundDuplicated + backgroundOmitted + placeholdersLeft + badFooters == 0;
    }

    void problem(String what) {
      if (problems.size() < EXAMPLES) {
        problems.add(what);
      }
    }
  }

  private record Fence(int start, int end, String info, List<String> content) {
    String text() {
      return String.join("\n", content);
    }
  }

  private LoadAudit() {}

  /** Reads the side files a log links, relative to the log's folder (null when one is missing). */
  static Function<String, String> sideFiles(java.nio.file.Path log) {
    return link -> {
      try {
        return java.nio.file.Files.readString(log.resolveSibling(link));
      } catch (java.nio.file.NoSuchFileException e) {
        return null;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  /** Counts events an omission line announced but no side file holds; returns 0. */
  private static long omittedWithoutFile(long unlinked, String realm, Tally tally) {
    if (unlinked > 0) {
      tally.backgroundOmitted += (int) unlinked;
      tally.problem(realm + ": " + unlinked + " events omitted with no side file linked");
    }
    return 0;
  }

  /** The events in a side file (one {@code #####} header each), adding their {@code during}/{@code bg-} lines. */
  private static long countEvents(String side, Map<String, Integer> during, Map<String, Integer> background) {
    long n = 0;
    for (String line : side.split("\n", -1)) {
      if (line.startsWith("##### ")) {
        n++;
      }
      Matcher d = DURING.matcher(line);
      if (d.matches()) {
        during.merge(d.group(1), 1, Integer::sum);
      }
      Matcher b = BACKGROUND.matcher(line);
      if (b.matches()) {
        background.merge(b.group(1), 1, Integer::sum);
      }
    }
    return n;
  }

  /** The reply value of request {@code id} as it appears in a log. */
  static String replyValue(String id) {
    return "```JSON\n\"" + id + "\"\n```\n";
  }

  /** The request an agent or controller sends: code whose value names its id. */
  static String requestCode(String id) {
    return "echo(\"" + id + "\")";
  }

  /** The id in a request's code, or null when the code is not a load request. */
  static String requestId(String code) {
    Matcher m = REQUEST.matcher(code == null ? "" : code.strip());
    return m.matches() ? m.group(1) : null;
  }

  /**
   * Adds what one realm's log {@code text} holds, with the side files of omitted events it links, against what was
   * {@code sent}, to {@code tally}.
   *
   * @param sideFile reads a side file by its link target (relative to the log's folder); null when it is missing
   */
  static void audit(String text, Function<String, String> sideFile, Sent sent, Tally tally) {
    String realm = sent.realm();
    String[] lines = text.split("\n", -1);
    Map<Integer, Fence> fences = new TreeMap<>(); // in file order
    List<String> outside = new ArrayList<>();
    List<Integer> outsideAt = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      Matcher open = FENCE.matcher(lines[i]);
      if (!open.matches()) {
        outside.add(lines[i]);
        outsideAt.add(i);
        continue;
      }
      String marker = open.group(1);
      List<String> content = new ArrayList<>();
      int j = i + 1;
      while (j < lines.length && !closes(lines[j], marker)) {
        content.add(lines[j++]);
      }
      fences.put(i, new Fence(i, j, open.group(2).strip(), content));
      i = j;
    }

    Map<String, Integer> requests = new HashMap<>();
    Map<String, Integer> replies = new HashMap<>();
    Map<String, Integer> during = new HashMap<>();
    Map<String, Integer> background = new HashMap<>();
    for (Fence f : fences.values()) {
      String id = f.content().size() == 1 ? requestId(f.content().get(0)) : null;
      if (id != null && (f.info().equalsIgnoreCase("js") || f.info().isEmpty())) {
        requests.merge(id, 1, Integer::sum);
        if (requests.get(id) == 1) {
          checkPlacement(lines, fences, f, id, sent, tally);
        }
      }
      if (f.info().equals("JSON") && f.content().size() == 1) {
        Matcher v = VALUE.matcher(f.content().get(0));
        if (v.matches()) {
          replies.merge(v.group(1), 1, Integer::sum);
        }
      }
      for (String line : f.content()) {
        Matcher d = DURING.matcher(line);
        if (d.matches()) {
          during.merge(d.group(1), 1, Integer::sum);
        }
        Matcher b = BACKGROUND.matcher(line);
        if (b.matches()) {
          background.merge(b.group(1), 1, Integer::sum);
        }
      }
    }
    long unlinked = 0; // events an omission line counts, until the link to their side file
    for (int k = 0; k < outside.size(); k++) {
      String line = outside.get(k);
      Matcher omitted = OMITTED.matcher(line);
      if (omitted.matches()) {
        unlinked = omittedWithoutFile(unlinked, realm, tally);
        unlinked = Long.parseLong(omitted.group(1));
      }
      Matcher link = EVENTS_LINK.matcher(line);
      if (link.matches() && link.group(1).equals(link.group(2))) {
        String side = sideFile.apply(link.group(2));
        long held = side == null ? -1 : countEvents(side, during, background);
        tally.inSideFiles += (int) Math.max(0, held);
        if (held != unlinked) {
          tally.problem(realm + ": side file " + link.group(2) + " holds " + held + " events, the log omits " + unlinked);
          tally.backgroundOmitted += (int) (held < 0 ? unlinked : Math.max(1, Math.abs(unlinked - held)));
        }
        unlinked = 0;
      }
      if (PLACEHOLDER.matcher(line).matches()) {
        tally.placeholdersLeft++;
        tally.problem(realm + ": placeholder left at line " + (outsideAt.get(k) + 1) + ": " + line);
      }
      if (line.startsWith("#### 🚫")) {
        tally.failedReplies++;
        tally.problem(realm + ": failed reply at line " + (outsideAt.get(k) + 1) + ": " + line);
      }
    }

    omittedWithoutFile(unlinked, realm, tally);
    for (String id : sent.requests().keySet()) {
      tally.requests++;
      int n = requests.getOrDefault(id, 0);
      if (n == 0) {
        tally.requestsLost++;
        tally.problem(realm + ": request " + id + " is not in the log");
        continue;
      }
      if (n > 1) {
        tally.requestsDuplicated++;
        tally.problem(realm + ": request " + id + " is in the log " + n + " times");
      }
      int r = replies.getOrDefault(id, 0);
      tally.replies += Math.min(r, 1);
      if (r == 0) {
        tally.repliesLost++;
        tally.problem(realm + ": no reply to " + id);
      } else if (r > 1) {
        tally.repliesDuplicated++;
        tally.problem(realm + ": " + r + " replies to " + id);
      }
      int e = during.getOrDefault(id, 0);
      tally.jobEvents += Math.min(e, 1);
      if (e == 0) {
        tally.jobEventsLost++;
        tally.problem(realm + ": no console event of job " + id);
      } else if (e > 1) {
        tally.jobEventsMisplaced++;
        tally.problem(realm + ": console event of job " + id + " written " + e + " times");
      }
    }
    for (String id : requests.keySet()) {
      if (!sent.requests().containsKey(id)) {
        tally.requestsUnexpected++;
        tally.problem(realm + ": request " + id + " was never sent to this realm");
      }
    }
    for (String bg : sent.background()) {
      tally.background++;
      int n = background.getOrDefault(bg, 0);
      if (n == 0) {
        tally.backgroundLost++;
        tally.problem(realm + ": background event " + bg + " is not in the log");
      } else if (n > 1) {
        tally.backgroundDuplicated++;
        tally.problem(realm + ": background event " + bg + " is in the log " + n + " times");
      }
    }
    checkFooter(text, outside, realm, tally);
  }

  /** The request's header above it; its reply, value and event directly below it. */
  private static void checkPlacement(String[] lines, Map<Integer, Fence> fences, Fence request, String id, Sent sent,
      Tally tally) {
    String agent = sent.requests().get(id);
    if (agent == null) {
      return; // unexpected; counted by the caller
    }
    String realm = sent.realm();
    String where = realm + ": request " + id + " (line " + (request.start() + 1) + ")";
    if (request.start() == 0 || !lines[request.start() - 1].matches(
        Pattern.quote("### 🗣️" + agent + " to " + realm + " at ") + TIME)) {
      tally.repliesMisplaced++;
      tally.problem(where + ": not under its header; line above: "
          + (request.start() == 0 ? "(none)" : lines[request.start() - 1]));
      return;
    }
    int at = request.end() + 1;
    Fence value = fences.get(at + 1);
    if (at >= lines.length || !lines[at].matches(Pattern.quote("#### 👍" + realm + " to " + agent + " at ") + TIME
        + " \\((\\d+ms|\\d+\\.\\ds)\\)") || value == null || !value.info().equals("JSON")
        || !value.text().equals("\"" + id + "\"")) {
      tally.repliesMisplaced++;
      tally.problem(where + ": its reply is not directly below it; below: "
          + String.join(" | ", List.of(lines).subList(Math.min(at, lines.length), Math.min(at + 3, lines.length))));
      return;
    }
    Fence event = fences.get(value.end() + 2);
    if (value.end() + 1 >= lines.length || !lines[value.end() + 1].equals("##### ☑️console.log") || event == null
        || !event.info().equals("Text console.log") || !event.text().matches(TIME + " during " + id)) {
      tally.jobEventsMisplaced++;
      tally.problem(where + ": its console event is not directly below its reply");
    }
  }

  private static void checkFooter(String text, List<String> outside, String realm, Tally tally) {
    int footers = 0;
    for (int k = 0; k + 1 < outside.size(); k++) {
      if (outside.get(k).equals(LogFile.RULE) && outside.get(k + 1).startsWith("> Append your ")) {
        footers++;
      }
    }
    if (footers != 1 || !LogFile.endsWithFooter(text)) {
      tally.badFooters++;
      tally.problem(realm + ": " + footers + " footers, " + (LogFile.endsWithFooter(text) ? "" : "not ")
          + "ending with the footer");
    }
  }

  private static boolean closes(String line, String marker) {
    String s = line.stripTrailing();
    return s.length() >= marker.length() && s.chars().allMatch(c -> c == marker.charAt(0));
  }
}

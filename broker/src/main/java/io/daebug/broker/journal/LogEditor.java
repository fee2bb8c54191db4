package io.daebug.broker.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edits the broker makes to a realm log, each applied to a fresh read of the file so an agent's
 * concurrent edits survive (FORMAT.md §4). Locating a pending reply relies on the request fence's code
 * and the reply header the broker wrote, never on line numbers.
 */
final class LogEditor {
  /**
   * A request accepted from below the footer.
   *
   * @param refusal why the broker will not run it (its 🚫 reply says so), or null
   */
  record NewRequest(String agent, String code, String info, Duration timeout, String pendingHeader, String refusal) {}

  /** Where a job's reply belongs: its code, the header written under it, and its rank among identical ones. */
  record Anchor(String code, String header, int ordinal) {}

  /** A job still queued or running: its agent, code, placeholder header and current status line. */
  record Waiting(String agent, String code, String header, String status) {}

  private LogEditor() {}

  /**
   * Accepts complete runnable fences below the footer: inserts missing headers, normalises old ones,
   * writes a placeholder under each fence and moves the footer below them. Returns the accepted requests
   * in file order (empty when nothing is ready: drafts, prose only).
   *
   * @param ahead jobs already running or queued for this realm; decides executing/queued placeholders
   */
  static List<NewRequest> accept(LogDocument doc, String realm, String language, String now, int ahead) {
    return accept(doc, realm, language, now, ahead, List.of());
  }

  /**
   * As {@link #accept(LogDocument, String, String, String, int)}, and a request below the footer that is the
   * request of a waiting job whose placeholder is gone from the file (same agent, same code) gets that job's
   * placeholder back instead of becoming a new request: an agent's save of a copy read before the broker
   * accepted the request puts it back below the footer, unaccepted, and it must not run a second time. Only a job
   * whose placeholder is unique among the waiting ones is taken back this way, so that no reply can change
   * places with another.
   */
  static List<NewRequest> accept(LogDocument doc, String realm, String language, String now, int ahead,
      List<Waiting> waiting) {
    List<Waiting> lost = lost(doc, waiting);
    int footer = doc.footer();
    int tailStart = footer < 0 ? 0 : footer + 2;
    LogDocument.Fence last = null;
    for (LogDocument.Fence f : doc.fences()) {
      if (f.open() >= tailStart && f.closed() && JournalFormat.isRunnable(f.tag(), language) && !doc.replied(f)) {
        last = f;
      }
    }
    if (last == null) {
      return List.of();
    }
    int end = last.close() + 1;
    while (end < doc.size() && Requests.header(doc.line(end)) == null) {
      if (end == doc.size() - 1 && doc.ends.get(end).isEmpty()) {
        break; // the agent is still typing this line (the next request's header, perhaps): it stays below
      }
      LogDocument.Fence f = doc.fenceAt(end);
      if (f != null && !f.closed()) {
        break;
      }
      end = f != null ? f.close() + 1 : end + 1;
    }
    int chunkEnd = end;
    while (chunkEnd > tailStart && doc.line(chunkEnd - 1).isBlank()) {
      chunkEnd--;
    }
    int chunkStart = tailStart;
    while (chunkStart < chunkEnd && doc.line(chunkStart).isBlank()) {
      chunkStart++;
    }

    List<String[]> out = new ArrayList<>();
    List<NewRequest> accepted = new ArrayList<>();
    if (footer >= 0) {
      int h = footer;
      while (h > 0 && doc.line(h - 1).isBlank()) {
        h--;
      }
      out.addAll(doc.slice(0, h));
      out.add(new String[] {"", "\n"});
    }
    String agent = null;
    String target = null; // the realm the header names
    String malformed = null; // a line meant as a header that is not one, before any header
    boolean headed = false;
    List<String[]> cancels = new ArrayList<>();
    for (int i = chunkStart; i < chunkEnd; i++) {
      String line = doc.line(i);
      LogDocument.Fence f = doc.fenceAt(i);
      if (f == null && !doc.inFence(i) && line.strip().equals(CANCEL)) {
        cancels.addAll(doc.slice(i, i + 1)); // stays below the footer, for the cancel to act on
        continue;
      }
      Requests.Header header = f == null && !doc.inFence(i) ? Requests.header(line) : null;
      if (header != null) {
        agent = header.agent();
        target = header.target();
        malformed = null;
        headed = true;
        out.add(new String[] {header.normalised(), doc.slice(i, i + 1).get(0)[1]});
        continue;
      }
      if (agent == null && footer >= 0 && !line.isBlank() && fenceComesFirst(doc, i, chunkEnd, language)) {
        // The appended text has no header: one goes above its first line (prose or a non-runnable fence).
        agent = "agent";
        out.add(new String[] {JournalFormat.requestHeader(agent, realm, now), "\n"});
      }
      if (f == null) {
        if (!headed && Requests.looksLikeHeader(line)) {
          malformed = line;
        }
        out.addAll(doc.slice(i, i + 1));
        continue;
      }
      boolean runs = f.closed() && JournalFormat.isRunnable(f.tag(), language) && !doc.replied(f);
      if (runs && agent == null) {
        agent = "agent";
        out.add(new String[] {JournalFormat.requestHeader(agent, realm, now), "\n"});
      }
      int close = f.closed() ? f.close() : chunkEnd - 1;
      out.addAll(doc.slice(i, close + 1));
      if (runs) {
        String code = doc.content(f);
        Waiting back = taken(lost, agent, code);
        if (back != null) {
          out.add(new String[] {back.header(), "\n"});
          out.add(new String[] {back.status(), "\n"});
        } else {
          String pending = JournalFormat.pendingHeader(realm, agent, now);
          int position = ahead + accepted.size();
          out.add(new String[] {pending, "\n"});
          out.add(new String[] {position == 0 ? JournalFormat.executing(0) : JournalFormat.queued(position), "\n"});
          accepted.add(new NewRequest(agent, code, f.info(), Requests.timeout(f.info()), pending,
              Refusals.of(doc, f, code, realm, target, malformed)));
        }
      }
      i = close;
    }
    out.add(new String[] {"", "\n"});
    out.add(new String[] {JournalFormat.RULE, "\n"});
    // The prompt line the log has (it names the page or the realm), else the language's
    out.add(new String[] {footer >= 0 ? doc.line(footer + 1) : JournalFormat.prompt(language), "\n"});
    out.add(new String[] {"", "\n"});
    out.addAll(cancels);
    int rest = end;
    while (rest < doc.size() && doc.line(rest).isBlank()) {
      rest++;
    }
    out.addAll(doc.slice(rest, doc.size()));
    if (rest < doc.size() && doc.ends.get(doc.size() - 1).isEmpty()) {
      // The agent is still typing the last line of what stays below the footer: no line ending for it yet.
      out.get(out.size() - 1)[1] = "";
    }
    doc.setAll(out);
    return accepted;
  }

  /**
   * In a log without a footer (all of it is the agent's), where the text that is not done with begins: the
   * first request still to run or the draft, from the header that names its agent (the last one above it,
   * else the start of its paragraph). A block written with a new footer goes there, so that text stays below the footer: still
   * to run, and a draft not grown by the broker's lines. The end of the file when there is no such text.
   */
  private static int unfinishedStart(LogDocument doc, String language) {
    for (LogDocument.Fence f : doc.fences()) {
      if (f.closed() && (!JournalFormat.isRunnable(f.tag(), language) || doc.replied(f))) {
        continue;
      }
      int at = f.open();
      for (int i = f.open() - 1; i >= 0; i--) {
        if (!doc.inFence(i) && Requests.header(doc.line(i)) != null) {
          return i;
        }
      }
      while (at > 0 && !doc.line(at - 1).isBlank() && !doc.inFence(at - 1)) {
        at--;
      }
      return at;
    }
    return doc.size();
  }

  /** Whether a runnable fence comes before the next header in lines [from, to). */
  private static boolean fenceComesFirst(LogDocument doc, int from, int to, String language) {
    for (int i = from; i < to; i++) {
      LogDocument.Fence f = doc.fenceAt(i);
      if (f != null) {
        if (f.closed() && JournalFormat.isRunnable(f.tag(), language) && !doc.replied(f)) {
          return true;
        }
        i = f.closed() ? f.close() : to;
      } else if (Requests.header(doc.line(i)) != null) {
        return false;
      }
    }
    return false;
  }

  /** The line that asks the broker to cancel the running job (issue 6; docs/journal-format.md). */
  static final String CANCEL = "%%CANCEL%%";

  /** Indexes of {@value #CANCEL} lines below the footer, outside fences, in file order. */
  static List<Integer> cancelLines(LogDocument doc) {
    int footer = doc.footer();
    int tailStart = footer < 0 ? 0 : footer + 2;
    List<Integer> out = new ArrayList<>();
    for (int i = tailStart; i < doc.size(); i++) {
      if (doc.line(i).strip().equals(CANCEL) && !doc.inFence(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Moves the {@value #CANCEL} lines below the footer to just above it, unchanged, so each is acted on once
   * and stays in the history right under the job it cancelled.
   *
   * @return how many were moved
   */
  static int takeCancels(LogDocument doc, String language) {
    List<Integer> at = cancelLines(doc);
    if (at.isEmpty()) {
      return 0;
    }
    List<String> moved = new ArrayList<>();
    for (int k = at.size() - 1; k >= 0; k--) {
      int i = at.get(k);
      moved.add(0, doc.line(i));
      doc.replace(i, i + 1, List.of());
    }
    aboveFooter(doc, moved, language);
    return moved.size();
  }

  /** The waiting jobs whose placeholder is gone from {@code doc}, among those whose placeholder is unique. */
  private static List<Waiting> lost(LogDocument doc, List<Waiting> waiting) {
    if (waiting.isEmpty()) {
      return new ArrayList<>();
    }
    // One pass over the waiting jobs and one over the fences, however long the queue (up to --max-queue).
    Map<List<String>, Integer> placeholders = new HashMap<>();
    for (Waiting w : waiting) {
      placeholders.merge(List.of(w.code(), w.header()), 1, Integer::sum);
    }
    Set<List<String>> inFile = new HashSet<>();
    for (LogDocument.Fence f : doc.fences()) {
      int h = f.close() + 1;
      if (f.closed() && h + 1 < doc.size() && doc.isPendingStatus(h + 1)) {
        inFile.add(List.of(doc.content(f), doc.line(h)));
      }
    }
    List<Waiting> out = new ArrayList<>();
    for (Waiting w : waiting) {
      List<String> key = List.of(w.code(), w.header());
      if (placeholders.get(key) == 1 && !inFile.contains(key)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Removes and returns the first of {@code lost} with this agent and code, or null. */
  private static Waiting taken(List<Waiting> lost, String agent, String code) {
    for (int i = 0; i < lost.size(); i++) {
      Waiting w = lost.get(i);
      if (w.agent().equals(agent) && w.code().equals(code)) {
        return lost.remove(i);
      }
    }
    return null;
  }

  /** Index of the placeholder header line for a pending job, or -1 when an edit removed it. */
  static int findPending(LogDocument doc, Anchor anchor) {
    int seen = 0;
    for (LogDocument.Fence f : doc.fences()) {
      if (!f.closed()) {
        continue;
      }
      int h = f.close() + 1;
      if (h + 1 < doc.size() && doc.line(h).equals(anchor.header()) && doc.isPendingStatus(h + 1)
          && doc.content(f).equals(anchor.code())) {
        if (seen++ == anchor.ordinal()) {
          return h;
        }
      }
    }
    return -1;
  }

  /**
   * Replaces every placeholder left by an earlier broker (it stopped or crashed while the job was
   * pending) with a 🚫 reply, so no request stays "executing" forever. Only for a realm that has no
   * pending job in this broker.
   *
   * @return how many placeholders were replaced
   */
  static int abandonStale(LogDocument doc, String realm, String now, String error) {
    String prefix = JournalFormat.OK_MARK + realm + " to ";
    int replaced = 0;
    for (int i = doc.fences().size() - 1; i >= 0; i--) {
      LogDocument.Fence f = doc.fences().get(i);
      int h = f.close() + 1;
      if (!f.closed() || h + 1 >= doc.size() || !doc.isPendingStatus(h + 1)) {
        continue;
      }
      String header = doc.line(h);
      int at = header.lastIndexOf(" at ");
      if (!header.startsWith(prefix) || at < prefix.length() || header.endsWith(")")) {
        continue;
      }
      String agent = header.substring(prefix.length(), at);
      doc.replace(h, h + 2, Replies.failure(realm, agent, now, java.time.Duration.ZERO, false, error, Events.NONE));
      replaced++;
    }
    return replaced;
  }

  /** Rewrites a pending job's status line ({@code executing (5s)}, {@code queued (1 ahead)}). */
  static boolean setStatus(LogDocument doc, Anchor anchor, String status) {
    int h = findPending(doc, anchor);
    if (h < 0) {
      return false;
    }
    doc.setLine(h + 1, status);
    return true;
  }

  /** A status line for a pending job's placeholder: what {@link #setStatus} takes, for {@link #setStatuses}. */
  record StatusLine(Anchor anchor, String status) {}

  /**
   * Rewrites many pending jobs' status lines, as {@link #setStatus} on each in turn does (for one placeholder named
   * twice, the last line wins), in one pass over the fences. Each line must be a placeholder status line
   * ({@link JournalFormat#status}): it replaces one, so no line moves and no placeholder stops being one, and the
   * order makes no difference. A long queue's statuses all change when its head ends (each one fewer ahead), and a
   * search per placeholder made each write of a 1,000-job queue compare a million fences.
   */
  static void setStatuses(LogDocument doc, List<StatusLine> wanted) {
    if (wanted.size() == 1) {
      setStatus(doc, wanted.get(0).anchor(), wanted.get(0).status());
      return;
    }
    Map<Anchor, String> lines = new HashMap<>();
    Set<String> headers = new HashSet<>();
    for (StatusLine w : wanted) {
      lines.put(w.anchor(), w.status());
      headers.add(w.anchor().header());
    }
    Map<Anchor, Integer> seen = new HashMap<>();
    for (LogDocument.Fence f : doc.fences()) {
      int h = f.close() + 1;
      if (!f.closed() || h + 1 >= doc.size() || !headers.contains(doc.line(h)) || !doc.isPendingStatus(h + 1)) {
        continue;
      }
      Anchor kind = new Anchor(doc.content(f), doc.line(h), 0);
      int ordinal = seen.merge(kind, 1, Integer::sum) - 1;
      String status = lines.get(new Anchor(kind.code(), kind.header(), ordinal));
      if (status != null) {
        doc.setLine(h + 1, status);
      }
    }
  }

  /** Replaces a job's placeholder with its reply; when the placeholder is gone, writes it above the footer. */
  static void reply(LogDocument doc, Anchor anchor, List<String> reply, String language) {
    int h = findPending(doc, anchor);
    if (h >= 0) {
      doc.replace(h, h + 2, reply);
    } else {
      aboveFooter(doc, reply, language);
    }
  }

  /** Writes a late reply below the reply that reported the job's timeout (and its events). */
  static void lateReply(LogDocument doc, Anchor timedOut, List<String> reply, String language) {
    int seen = 0;
    for (LogDocument.Fence f : doc.fences()) {
      int h = f.close() + 1;
      if (!f.closed() || h >= doc.size() || !doc.line(h).equals(timedOut.header())
          || !doc.content(f).equals(timedOut.code()) || seen++ != timedOut.ordinal()) {
        continue;
      }
      int at = skipBlocks(doc, h + 1);
      doc.replace(at, at, reply);
      return;
    }
    aboveFooter(doc, reply, language);
  }

  /** Skips a reply's result fence and the event blocks (and their ellipsis line) that follow it. */
  private static int skipBlocks(LogDocument doc, int i) {
    LogDocument.Fence f = doc.fenceAt(i);
    if (f != null && f.closed()) {
      i = f.close() + 1;
    }
    while (i < doc.size()) {
      if (Replies.isOmittedLine(doc.line(i)) || Replies.isEventsLink(doc.line(i))) {
        i++;
        continue;
      }
      LogDocument.Fence e = i + 1 < doc.size() && doc.line(i).startsWith(JournalFormat.EVENT_MARK)
          ? doc.fenceAt(i + 1) : null;
      if (e == null || !e.closed()) {
        break;
      }
      i = e.close() + 1;
    }
    return i;
  }

  /**
   * Inserts a block right above the footer (recreating the footer at the end when an edit removed it),
   * separated from what precedes it by one blank line.
   */
  static void aboveFooter(LogDocument doc, List<String> block, String language) {
    int footer = doc.footer();
    if (footer < 0) {
      int at = unfinishedStart(doc, language);
      List<String> withFooter = new ArrayList<>();
      if (at > 0 && !doc.line(at - 1).isBlank()) {
        withFooter.add("");
      }
      withFooter.addAll(block);
      withFooter.add("");
      withFooter.add(JournalFormat.RULE);
      withFooter.add(JournalFormat.prompt(language));
      withFooter.add("");
      doc.replace(at, at, withFooter);
      return;
    }
    int h = footer;
    while (h > 0 && doc.line(h - 1).isBlank()) {
      h--;
    }
    List<String> insert = new ArrayList<>();
    if (h > 0) {
      insert.add("");
    }
    insert.addAll(block);
    insert.add("");
    doc.replace(h, footer, insert);
  }
}

package io.daebug.broker.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One realm's chat log, {@code daebug/<realm>.md}. Every change is a batch of edits applied to a fresh
 * read of the file and written atomically (see {@link AtomicFiles}). Not thread-safe: the broker calls
 * it from its single journal thread (docs/concurrency.md).
 */
public final class RealmLog implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RealmLog.class);
  /**
   * How long a write waits for a log that looks half-saved (its footer gone though the broker saw one) to
   * be whole again: an editor saving in place (truncate, then write) caught between its writes.
   */
  static final Duration HALF_SAVED_WAIT = Duration.ofMillis(100);
  /** A request accepted from the log. */
  public record Request(String agent, String code, String info, Duration timeout, Anchor anchor) {}

  /** Where a job's reply goes; see {@link LogEditor#findPending}. */
  public record Anchor(String code, String header) {}

  private final Path file;
  private final String realm;
  private final String language;
  private final int resultCap;
  private final DirSync dirSync;
  private AtomicFiles.Stamp lastSeen;
  /** Length and hash of the text as the broker last read or wrote it, to notice text it merged unseen. */
  private long lastLength = -1;
  private int lastHash;
  /** A broker write carried text the broker had not read yet (an agent's append racing it). */
  private boolean mergedUnseen;
  /** The log had its footer when the broker last read or wrote it: a version without one is probably half-saved. */
  private boolean hadFooter;
  private int cancels;
  private final Orphans orphans = new Orphans();

  /**
   * @param resultCap the largest value text written into the log, in UTF-8 bytes
   * @param dirSync makes renames in the log's folder durable
   */
  public RealmLog(Path file, String realm, String language, int resultCap, DirSync dirSync) {
    this.dirSync = dirSync;
    this.file = file;
    this.realm = realm;
    this.language = language;
    this.resultCap = resultCap;
  }

  public Path file() {
    return file;
  }

  /** Creates the log with its title, guide and footer unless it exists (an agent's file is adopted as is). */
  public void create() throws IOException {
    AtomicFiles.createIfMissing(file, JournalFormat.newLog(realm, language));
    lastSeen = AtomicFiles.Stamp.of(file);
  }

  private void remember(String text) {
    lastLength = text == null ? -1 : text.length();
    lastHash = text == null ? 0 : text.hashCode();
  }

  /**
   * Whether a write since the last {@link #peek} carried text the broker had not read: an agent appended
   * while the broker was writing, and the watcher's event for that append may already have been
   * consumed. The caller should look for requests.
   */
  public boolean mergedUnseen() {
    return mergedUnseen;
  }

  /** How many {@code %%CANCEL%%} lines below the footer the last {@link #peek} saw. */
  public int cancelsAtLastPeek() {
    return cancels;
  }

  /** Whether the file changed since the broker last wrote or read it (cheap: one stat). */
  public boolean changedSinceLastSeen() throws IOException {
    AtomicFiles.Stamp now = AtomicFiles.Stamp.of(file);
    return mergedUnseen || now == null || !now.equals(lastSeen);
  }

  /**
   * Reads the log and returns the requests that an accept would take now, without writing anything;
   * {@link Batch#accept} writes them later with the same {@code now} and {@code ahead}. The file as read
   * counts as seen for {@link #changedSinceLastSeen()}.
   *
   * @param ahead jobs already running or queued, to number the placeholders
   * @param settledOnly when true, a file that looks half-written yields null (see {@link #looksUnsettled})
   * @return the requests in file order, or null when the file looked half-written
   */
  public List<Request> peek(String now, int ahead, boolean settledOnly) throws IOException {
    AtomicFiles.Stamp stamp = AtomicFiles.Stamp.of(file);
    String text = AtomicFiles.read(file);
    LogDocument doc = LogDocument.parse(text == null ? JournalFormat.newLog(realm, language) : text);
    if (settledOnly && (looksUnsettled(doc) || halfSaved(doc))) {
      return null;
    }
    hadFooter = doc.footer() >= 0;
    lastSeen = stamp;
    mergedUnseen = false;
    remember(text);
    cancels = LogEditor.cancelLines(doc).size();
    return requests(LogEditor.accept(doc, realm, language, now, ahead));
  }

  private static List<Request> requests(List<LogEditor.NewRequest> accepted) {
    List<Request> out = new ArrayList<>(accepted.size());
    for (LogEditor.NewRequest r : accepted) {
      out.add(new Request(r.agent(), r.code(), r.info(), r.timeout(), new Anchor(r.code(), r.pendingHeader())));
    }
    return out;
  }

  /**
   * Whether the file is probably being written right now: its last line has no line ending (writers
   * flush whole lines far more often than not), or the broker's footer is missing from a file that has
   * the broker's replies (an editor rewriting the file in place, caught halfway). Acting on such a
   * snapshot could run a request whose reply is still in the part not yet written.
   */
  static boolean looksUnsettled(LogDocument doc) {
    int n = doc.size();
    if (n == 0) {
      return false;
    }
    if (doc.ends.get(n - 1).isEmpty()) {
      return true;
    }
    if (doc.footer() >= 0) {
      return false;
    }
    for (String line : doc.lines) {
      if (line.startsWith(JournalFormat.OK_MARK) || line.startsWith(JournalFormat.FAIL_MARK)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Carries text that a writer appended to a version of this log the broker has since replaced over
   * to the current file (see {@link Orphans}).
   *
   * @return true when text was carried over (the caller should look for new requests)
   */
  public boolean recoverOrphans() throws IOException {
    if (orphans.isEmpty()) {
      return false;
    }
    String extra = orphans.drain();
    if (extra.isEmpty()) {
      return false;
    }
    update(text -> {
      String out = text == null ? extra : text + extra;
      remember(out);
      return out;
    });
    mergedUnseen = true;
    return true;
  }

  /** Stops watching replaced versions (the realm is gone). */
  @Override
  public void close() {
    orphans.close();
  }

  /** Whether replaced versions of the log are still being watched. */
  public boolean hasOrphans() {
    return !orphans.isEmpty();
  }

  /** Starts a batch of edits, written together by {@link Batch#commit()}. */
  public Batch batch() {
    return new Batch();
  }

  /** Edits collected and applied in one atomic write. */
  public final class Batch {
    private final List<Consumer<LogDocument>> edits = new ArrayList<>();

    private Batch() {}

    /**
     * Accepts the requests below the footer as {@link #peek} saw them (same {@code now} and {@code ahead}),
     * before every other edit of the batch. Requests beyond the first {@code handed} (appended since the
     * peek) are given to {@code onNew} before the file is written.
     */
    public Batch accept(String now, int ahead, int handed, Consumer<List<Request>> onNew) {
      int[] seen = {handed};
      edits.add(0, doc -> {
        List<Request> all = requests(LogEditor.accept(doc, realm, language, now, ahead));
        if (all.size() > seen[0]) {
          onNew.accept(List.copyOf(all.subList(seen[0], all.size())));
          seen[0] = all.size();
        }
      });
      return this;
    }

    /**
     * Writes a request that did not come from the file (a controller's) above the footer, as an accepted
     * request looks: header, fence, placeholder. Its reply is then found through
     * {@link RealmLog#insertedAnchor}.
     *
     * @param status the placeholder's status line when the edit is applied
     */
    public Batch insert(String agent, String time, String info, String code, java.util.function.Supplier<String> status) {
      edits.add(doc -> {
        List<String> lines = new ArrayList<>();
        lines.add(JournalFormat.requestHeader(agent, realm, time));
        lines.addAll(JournalFormat.fence(info, code));
        lines.add(JournalFormat.pendingHeader(realm, agent, time));
        lines.add(status.get());
        LogEditor.aboveFooter(doc, lines, language);
      });
      return this;
    }

    public boolean isEmpty() {
      return edits.isEmpty();
    }

    /** Moves the {@code %%CANCEL%%} lines below the footer above it (acted on; see {@link LogEditor#takeCancels}). */
    public Batch takeCancels() {
      edits.add(doc -> LogEditor.takeCancels(doc, language));
      return this;
    }

    /** Sets a pending job's placeholder to {@code executing (Ns)}. */
    public Batch executing(Anchor a, int ordinal, long seconds) {
      edits.add(doc -> LogEditor.setStatus(doc, anchor(a, ordinal), JournalFormat.executing(seconds)));
      return this;
    }

    /** Sets a pending job's placeholder to {@code queued (N ahead)}. */
    public Batch queued(Anchor a, int ordinal, int ahead) {
      edits.add(doc -> LogEditor.setStatus(doc, anchor(a, ordinal), JournalFormat.queued(ahead)));
      return this;
    }

    /**
     * Replaces the placeholder with a successful reply and the job's events. A value longer than the
     * result cap is cut in the log and written whole to {@code daebug/<realm>.results/<job>.json}.
     */
    public Batch success(Anchor a, int ordinal, String jobId, String agent, String time, Duration took,
        JsonNode value, List<JournalEvent> events, long omitted) throws IOException {
      List<String> lines = successLines(jobId, agent, time, took, false, value, events, omitted);
      edits.add(doc -> LogEditor.reply(doc, anchor(a, ordinal), lines, language));
      return this;
    }

    /** Replaces the placeholder with a 🚫 reply holding {@code error} and the job's events. */
    public Batch failure(Anchor a, int ordinal, String agent, String time, Duration took, String error,
        List<JournalEvent> events, long omitted) {
      List<String> lines = Replies.failure(realm, agent, time, took, false, error, events, omitted);
      edits.add(doc -> LogEditor.reply(doc, anchor(a, ordinal), lines, language));
      return this;
    }

    /**
     * Writes a late result below the reply that reported the job's failure (timeout, disconnect).
     *
     * @param failedHeader the exact 🚫 header line written for the job
     */
    public Batch late(Anchor a, int ordinal, String failedHeader, String jobId, String agent, String time,
        Duration took, boolean ok, JsonNode value, String error, List<JournalEvent> events, long omitted)
        throws IOException {
      List<String> lines = ok
          ? successLines(jobId, agent, time, took, true, value, events, omitted)
          : Replies.failure(realm, agent, time, took, true, error, events, omitted);
      edits.add(doc -> LogEditor.lateReply(doc, new LogEditor.Anchor(a.code(), failedHeader, ordinal), lines,
          language));
      return this;
    }

    /** Replaces placeholders an earlier broker left behind with a 🚫 reply holding {@code error}. */
    public Batch abandonStale(String time, String error) {
      edits.add(doc -> LogEditor.abandonStale(doc, realm, time, error));
      return this;
    }

    /** Writes a background block above the footer. */
    public Batch background(String time, List<JournalEvent> events, long omitted) {
      List<String> lines = Replies.background(realm, time, events, omitted);
      edits.add(doc -> LogEditor.aboveFooter(doc, lines, language));
      return this;
    }

    /** Applies every edit to the file's current content in one atomic write. */
    public void commit() throws IOException {
      if (!edits.isEmpty()) {
        write(doc -> edits.forEach(e -> e.accept(doc)));
      }
    }
  }

  private List<String> successLines(String jobId, String agent, String time, Duration took, boolean late,
      JsonNode value, List<JournalEvent> events, long omitted) throws IOException {
    ValueRenderer.Rendered rendered = ValueRenderer.render(value);
    String cut = Replies.cut(rendered.text(), resultCap);
    String link = null;
    if (cut != null) {
      String side = realm + ".results/" + jobId + ".json";
      Path sideFile = file.resolveSibling(side);
      java.nio.file.Files.createDirectories(sideFile.getParent());
      AtomicFiles.replace(sideFile, value == null ? "null" : value.toPrettyString());
      rendered = new ValueRenderer.Rendered(rendered.language(), cut);
      link = "Full value: [" + side + "](" + side + ")";
    }
    return Replies.success(realm, agent, time, took, late, rendered, link, events, omitted);
  }

  /** Where the reply of a request written by {@link Batch#insert} goes (its code as the file will hold it). */
  public Anchor insertedAnchor(String agent, String code, String time) {
    return new Anchor(String.join("\n", JournalFormat.splitLines(JournalFormat.wellFormed(code))),
        JournalFormat.pendingHeader(realm, agent, time));
  }

  /** The 🚫 header a failed reply gets, so a late result can find it. */
  public String failureHeader(String agent, String time, Duration took) {
    return JournalFormat.replyHeader(false, realm, agent, time, took, false);
  }

  private static LogEditor.Anchor anchor(Anchor a, int ordinal) {
    return new LogEditor.Anchor(a.code(), a.header(), ordinal);
  }

  /**
   * Whether the log lost its footer since the broker last saw it, the sign of an editor saving it in place
   * (truncate, then write) caught between its writes. Acting on that half would lose the broker's edit (an
   * accept that finds none of the requests it took, so they run again; a reply that finds no placeholder) and
   * replace the file the editor is still writing to.
   */
  private boolean halfSaved(LogDocument doc) {
    return hadFooter && doc.footer() < 0;
  }

  /**
   * Replaces the log with {@code edit} applied to its current text (see {@link AtomicFiles#update}), but not
   * while it looks half-saved: then it reads the file again, every millisecond, for at most
   * {@link #HALF_SAVED_WAIT}, and after that takes it as it is. Mechanism (the lead may revise it): the core
   * waits; a save in place completes in microseconds, so this is rare and short.
   */
  private void update(java.util.function.UnaryOperator<String> edit) throws IOException {
    long giveUp = System.nanoTime() + HALF_SAVED_WAIT.toNanos();
    while (true) {
      try {
        lastSeen = AtomicFiles.update(file, orphans, dirSync, text -> {
          if (text != null && hadFooter && !mayHaveFooter(text) && System.nanoTime() < giveUp
              && halfSaved(LogDocument.parse(text))) {
            throw new HalfSaved();
          }
          return edit.apply(text);
        });
        String extra = orphans.drain();
        if (!extra.isEmpty()) {
          // Appended to the version just replaced, in the instant before the rename: carried over the same way.
          update(text -> {
            String out = text == null ? extra : text + extra;
            remember(out);
            return out;
          });
          mergedUnseen = true;
        }
        return;
      } catch (HalfSaved e) {
        java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  /** A cheap look (from the end, no parse) that passes every log with a footer, so most writes parse once. */
  private static boolean mayHaveFooter(String text) {
    int rule = text.lastIndexOf(JournalFormat.RULE);
    return rule >= 0 && text.indexOf("> Append your ", rule) > 0;
  }

  /** Thrown by a write's edit to read the file again: it looked half-saved. */
  private static final class HalfSaved extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HalfSaved() {
      super(null, null, false, false);
    }
  }

  private void write(Consumer<LogDocument> edit) throws IOException {
    long start = System.nanoTime();
    update(text -> {
      String base = text == null ? JournalFormat.newLog(realm, language) : text;
      LogDocument doc = LogDocument.parse(base);
      if (text != null && (text.length() != lastLength || text.hashCode() != lastHash)) {
        mergedUnseen = true;
      }
      edit.accept(doc);
      hadFooter = doc.footer() >= 0;
      String out = doc.text();
      String written = out.equals(base) && text != null ? text : out;
      remember(written);
      return written;
    });
    if (log.isTraceEnabled()) {
      log.trace("wrote {} in {} us", file.getFileName(), (System.nanoTime() - start) / 1000);
    }
  }
}

package io.daebug.broker.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.time.Duration;
import java.util.ArrayList;
import io.daebug.broker.journal.RegionReader.Snapshot;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One realm's chat log, {@code daebug/<realm>.md}. Every change is a batch of edits applied to a fresh
 * read of the file's live region (see {@link LiveRegion}) and written from the first changed byte on (see
 * {@link TailWriter}), so its cost does not grow with the log. Not thread-safe: the broker calls it from
 * its single journal thread (docs/concurrency.md).
 */
public final class RealmLog implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RealmLog.class);
  /**
   * How long a write waits for a log that looks half-saved (its footer gone though the broker saw one) to
   * be whole again: an editor saving in place (truncate, then write) caught between its writes.
   */
  static final Duration HALF_SAVED_WAIT = Duration.ofMillis(100);
  /**
   * How long a write waits at most for a half-saved log that keeps changing: a big file saved on a busy machine is
   * still being written, and taking it as it is would put the broker's text into the middle of the save, and the rest
   * of the save after it.
   */
  static final Duration HALF_SAVED_MAX = Duration.ofSeconds(2);
  /** An accepted request; {@code refusal} says why it must not run (its reply is a 🚫 saying so), or is null. */
  public record Request(String agent, String code, String info, Duration timeout, Anchor anchor, String refusal) {
    /** A request to run. */
    public Request(String agent, String code, String info, Duration timeout, Anchor anchor) {
      this(agent, code, info, timeout, anchor, null);
    }
  }

  /** Where a job's reply goes; see {@link LogEditor#findPending}. */
  public record Anchor(String code, String header) {}

  /** A job queued or running: its agent, where its reply goes, and its placeholder's status line now. */
  public record Waiting(String agent, Anchor anchor, PendingStatus status) {}

  /** A job answered earlier: its reply is written again where a stale save put its placeholder back. */
  public record Answered(Anchor anchor, List<String> reply) {}

  /**
   * What one {@link Batch#commit} did, for the caller to act on once it is in the file.
   *
   * @param wrote whether the batch had anything to write (a read that found nothing new writes nothing)
   * @param accepted the requests its accept took from below the footer, in file order (their placeholders are in
   *     the file now)
   * @param cancels how many {@code %%CANCEL%%} lines it took from below the footer
   * @param restored answered jobs whose reply it wrote again over a placeholder a stale save put back
   * @param unsettled the log looked half-written, so nothing was accepted: look again when the writer is done
   * @param replies the reply lines written, by job id
   * @param mergedUnseen the write carried text the broker had not read (an agent's append racing it): look for
   *     requests again
   * @param orphans replaced versions of the log are still watched for appends (see {@link Orphans})
   */
  public record Commit(boolean wrote, List<Request> accepted, int cancels, List<Anchor> restored, boolean unsettled,
      Map<String, List<String>> replies, boolean mergedUnseen, boolean orphans) {
    /** Nothing written, nothing found. */
    public static final Commit NONE = new Commit(false, List.of(), 0, List.of(), false, Map.of(), false, false);

    /** The reply lines written for job {@code id}, or null. */
    public List<String> reply(String id) {
      return replies.get(id);
    }
  }

  private final Path file;
  private final String realm;
  private final String language;
  private final int resultCap;
  private final Orphans orphans;
  /** The broker's ticker, in nanoseconds. */
  private final java.util.function.LongSupplier nanos;
  private final TailWriter writer;
  private final History history;
  private AtomicFiles.Stamp lastSeen;
  /** The last bytes of the version the broker wrote last (to tell whether the log still holds them). */
  private byte[] lastWritten;
  /** Where the live region is, and what the broker last read or wrote there. */
  private final RegionReader reader;
  /** A broker write carried text the broker had not read yet (an agent's append racing it). */
  private boolean mergedUnseen;
  /** The log had its footer when the broker last read or wrote it: a version without one is probably half-saved. */
  private boolean hadFooter;
  /** {@link #create} ran once: this object's state is the journal thread's from then on. */
  private volatile boolean created;
  private int cancels;
  private List<Anchor> answeredFound = List.of();

  /**
   * @param resultCap the largest value text written into the log, in UTF-8 bytes
   * @param dirSync makes renames in the log's folder durable
   */
  /** How far a write holding a realm's output goes before it returns ({@link WriteOptions#output()}). */
  private final Durability output;

  public RealmLog(Path file, String realm, String language, int resultCap, DirSync dirSync) {
    this(file, realm, language, resultCap, dirSync, WriteOptions.defaults());
  }

  /**
   * @param options when history moves out of the log, and the fault-injection hook
   */
  public RealmLog(Path file, String realm, String language, int resultCap, DirSync dirSync, WriteOptions options) {
    this(file, realm, language, resultCap, dirSync, options, System::nanoTime);
  }

  /**
   * @param nanos the broker's ticker, in nanoseconds: how long replaced versions are watched ({@link Orphans}), and how
   *     long a write waits for a half-saved log
   */
  public RealmLog(Path file, String realm, String language, int resultCap, DirSync dirSync, WriteOptions options,
      java.util.function.LongSupplier nanos) {
    this.file = file;
    this.nanos = nanos;
    this.orphans = new Orphans(nanos);
    this.realm = realm;
    this.language = language;
    this.resultCap = resultCap;
    this.writer = new TailWriter(file, dirSync, orphans, options.faults());
    this.history = new History(file, options.historyAbove(), options.faults());
    this.reader = new RegionReader(file);
    this.output = options.output();
  }

  public Path file() {
    return file;
  }

  /**
   * A log read and parsed whole on another thread than the core (see {@link #prime}): where its live region is,
   * so that the core's first read of a big adopted log takes only that region.
   */
  public static final class Primed {
    private final Path file;
    private final RegionReader reader;
    private final boolean hadFooter;
    private final Orphans orphans;

    Primed(Path file, RegionReader reader, boolean hadFooter, Orphans orphans) {
      this.file = file;
      this.reader = reader;
      this.hadFooter = hadFooter;
      this.orphans = orphans;
    }

    /** Where the log's live region is, and what was read there (for tests comparing two ways of priming). */
    RegionReader reader() {
      return reader;
    }

    /** Whether the log had its footer. */
    boolean hadFooter() {
      return hadFooter;
    }
  }

  /**
   * Reads {@code file} on the caller's thread (not the core's: for a 200 MB log this takes seconds), finds its live
   * region, and moves its finished history out ({@link History}) when it is past {@code options}' threshold, the
   * one-time cost of adopting a big log; null when it is not there. A log of {@link StreamedPrime#FROM} bytes or
   * more is scanned a chunk at a time, its history copied by the kernel, and only what stays in it parsed
   * ({@link StreamedPrime}); a smaller one, or one the scan is not sure of, is read and parsed whole. Touches no
   * {@link RealmLog}.
   */
  public static Primed prime(Path file, WriteOptions options) throws IOException {
    LogPaths.requireRegularOrAbsent(file);
    AtomicFiles.Stamp stamp = AtomicFiles.Stamp.of(file);
    Primed streamed = stamp != null && stamp.size() >= StreamedPrime.FROM ? StreamedPrime.prime(file, options, true)
        : null;
    return streamed != null ? streamed : primeWhole(file, options, true);
  }

  /**
   * {@link #prime} reading and parsing the file whole; {@code move} false leaves its history where it is (a retry
   * after the file changed under a move).
   */
  static Primed primeWhole(Path file, WriteOptions options, boolean move) throws IOException {
    RegionReader r = new RegionReader(file);
    Snapshot s = r.read(true, null);
    if (s.bytes() == null) {
      return null;
    }
    LogDocument doc = LogDocument.parse(s.text(), true);
    Orphans orphans = new Orphans();
    if (move && new History(file, options.historyAbove(), options.faults()).moveOut(doc, s.bytes())) {
      byte[] out = Utf8.encode(doc.text());
      int common = Math.max(0, Arrays.mismatch(s.bytes(), out));
      AtomicFiles.Stamp written;
      try (DirSync sync = new DirSync(file.getParent())) {
        written = new TailWriter(file, sync, orphans, options.faults()).write(s.stamp(), common,
            s.bytes().length - common, Arrays.copyOfRange(out, common, out.length), Durability.DURABLE);
      }
      if (written != null) {
        s = new Snapshot(written, 0, out);
      } else { // changed meanwhile: the first write moves the history (its part is written again)
        s = r.read(true, null);
        if (s.bytes() == null) {
          return null;
        }
        doc = LogDocument.parse(s.text(), true);
      }
    }
    r.narrow(s, doc);
    return new Primed(file, r, doc.footer() >= 0, orphans);
  }

  /**
   * Takes what {@link #prime} found, before the first read: that read then checks the region is still there (a
   * change above it means a whole read after all) and reads only it. Ignored for another file.
   */
  public void adopt(Primed primed) {
    if (primed != null && primed.file.equals(file)) {
      reader.seedFrom(primed.reader);
      hadFooter = primed.hadFooter;
      orphans.takeOver(primed.orphans);
    }
  }

  /** Creates the log with its title, guide and footer unless it exists (an agent's file is adopted as is). */
  public void create() throws IOException {
    LogPaths.requireRegularOrAbsent(file);
    if (created) {
      // Opened before (a realm that reconnects): a write may be in flight on the journal thread, which owns this
      // object's state; only a log deleted since is made again (the next accept reads it whole).
      AtomicFiles.createIfMissing(file, JournalFormat.newLog(realm, language));
      return;
    }
    AtomicFiles.createIfMissing(file, JournalFormat.newLog(realm, language));
    lastSeen = AtomicFiles.Stamp.of(file);
    created = true;
  }

  /**
   * Whether the log lost its footer since the broker last saw it, the sign of an editor saving it in place
   * (truncate, then write) caught between its writes. Acting on that half would lose the broker's edit (an
   * accept that finds none of the requests it took, so they run again; a reply that finds no placeholder).
   */
  private boolean halfSaved(LogDocument doc) {
    return hadFooter && doc.footer() < 0;
  }

  /**
   * {@link #halfSaved(LogDocument)} of a snapshot, with a cheap look first, on its bytes (from the end, nothing
   * decoded or parsed; the rule and the prompt are ASCII, so their bytes are found where their text would be).
   */
  private boolean halfSaved(Snapshot s) {
    byte[] b = s.bytes();
    int rule = Utf8.lastIndexOf(b, HistoryScan.RULE);
    boolean mayHaveFooter = rule >= 0 && Utf8.indexOf(b, HistoryScan.PROMPT, rule) > 0;
    return !mayHaveFooter && halfSaved(parse(s));
  }

  /** How many reads took only the live region, and how many the whole file. */
  long[] reads() {
    return reader.reads();
  }

  /** Reads the log (its live region, or all of it when the region moved). */
  private Snapshot read(boolean whole) throws IOException {
    LogPaths.requireRegularOrAbsent(file); // an lstat: a FIFO or a link put there since is never opened
    return reader.read(whole, lastSeen == null ? null : lastSeen.key());
  }

  /** A whole-file snapshot cut down to its live region (see {@link RegionReader#narrow}); others as they are. */
  private Snapshot narrow(Snapshot s) {
    return s.whole() && s.bytes() != null ? reader.narrow(s, parse(s)) : s;
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

  /** The answered jobs (of those given to the last {@link #peek}) whose placeholder was in the file. */
  public List<Anchor> answeredAtLastPeek() {
    return answeredFound;
  }

  /** Whether the file changed since the broker last wrote or read it (cheap: one stat). */
  public boolean changedSinceLastSeen() throws IOException {
    AtomicFiles.Stamp now = AtomicFiles.Stamp.of(file);
    return mergedUnseen || now == null || !now.equals(lastSeen);
  }

  /**
   * Reads the log and returns the requests that an accept would take now, without writing anything;
   * {@link Batch#accept} writes them later with the same {@code now} and {@code ahead}. The file as read
   * counts as seen for {@link #changedSinceLastSeen()}. It also notes which of the {@code answered} jobs'
   * placeholders are in the file ({@link #answeredAtLastPeek()}): a save of a copy read before the reply was
   * written puts one back.
   *
   * @param ahead jobs already running or queued, to number the placeholders
   * @param settledOnly when true, a file that looks half-written yields null (see {@link LogDocument#looksUnsettled})
   * @return the requests in file order, or null when the file looked half-written
   */
  public List<Request> peek(String now, int ahead, boolean settledOnly, List<Anchor> answered) throws IOException {
    Snapshot s = narrow(read(false));
    LogDocument doc = parse(s);
    if (doc.footer() < 0 && !s.whole()) {
      s = read(true);
      doc = parse(s);
    }
    if (settledOnly && (doc.looksUnsettled() || halfSaved(doc))) {
      return null;
    }
    hadFooter = doc.footer() >= 0;
    lastSeen = s.stamp();
    mergedUnseen = false;
    if (s.bytes() != null) {
      reader.remember(doc, s.offset(), s.bytes(), reader.guardAbove(s));
    }
    cancels = LogEditor.cancelLines(doc).size();
    List<Anchor> found = new ArrayList<>();
    for (Anchor a : answered) {
      if (LogEditor.findPending(doc, anchor(a, 0)) >= 0) {
        found.add(a);
      }
    }
    answeredFound = found;
    return requests(LogEditor.accept(doc, realm, language, now, ahead));
  }

  private static List<Request> requests(List<LogEditor.NewRequest> accepted) {
    List<Request> out = new ArrayList<>(accepted.size());
    for (LogEditor.NewRequest r : accepted) {
      out.add(new Request(r.agent(), r.code(), r.info(), r.timeout(), new Anchor(r.code(), r.pendingHeader()),
          r.refusal()));
    }
    return out;
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
    List<Orphans.Piece> carry = orphans.drain();
    if (carry.isEmpty()) {
      return false;
    }
    write(false, this::parse, Durability.DURABLE, carry);
    return true;
  }

  /**
   * Removes what a write left to remove once its end was handed on (links of replaced versions whose text is all in
   * the log). Safe on any thread, alongside a write.
   */
  public void cleanUp() {
    orphans.cleanUp();
  }

  /**
   * Takes the task that makes the last {@link Durability#DURABLE_AFTER} write durable ({@link PendingSync}), or null
   * when there is none. Call it on the write's thread, right after the commit; run the task on any thread.
   */
  public PendingSync takeSync() {
    return writer.takeSync();
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

  /**
   * The side file for the events a reply or background block omits (see {@link EventSpill}).
   *
   * @param name a job id, or {@code background-<time>}
   * @param title what the events were omitted from
   */
  public EventSpill spill(String name, String title) {
    return new EventSpill(file, realm, name, title);
  }

  /** Starts a batch of edits, written together by {@link Batch#commit()}. */
  public Batch batch() {
    return new Batch();
  }

  /** Edits collected and applied in one atomic write. */
  public final class Batch {
    private final List<DocEdit> edits = new ArrayList<>();
    /** The accept of {@link #accept(String, int, List, List, boolean)}, or null. */
    private AcceptStep acceptStep;
    private final Map<String, List<String>> replies = new LinkedHashMap<>();
    /** The batch holds a realm's output (a reply, a background block): see {@link #durability()}. */
    private boolean output;
    /** An edit of this batch may reach above the live region: read and edit the whole file. */
    private boolean whole;
    /** Run once the batch is written, with what its last attempt found. */
    private final List<Runnable> written = new ArrayList<>();
    private List<String> replied;

    private Batch() {}

    /**
     * Accepts the requests below the footer (same {@code now} and {@code ahead} as the {@link #peek} that saw
     * them), before every other edit of the batch. Once the file is written, the requests the write accepted
     * beyond the first {@code handed} go to {@code onNew}: those of the content the write was made on, which an
     * agent's save since the peek (or between a write's attempts) can have changed.
     * A request of one of the {@code waiting} jobs that a stale save put back below the footer gets its
     * placeholder back and is not new (see {@link LogEditor#accept}).
     */
    public Batch accept(String now, int ahead, int handed, List<Waiting> waiting, Consumer<List<Request>> onNew) {
      List<LogEditor.Waiting> jobs = new ArrayList<>(waiting.size());
      for (Waiting w : waiting) {
        jobs.add(new LogEditor.Waiting(w.agent(), w.anchor().code(), w.anchor().header(),
            JournalFormat.status(w.status())));
      }
      List<List<Request>> found = new ArrayList<>(List.of(List.of()));
      edits.add(0, doc -> found.set(0, requests(LogEditor.accept(doc, realm, language, now, ahead, jobs))));
      written.add(() -> {
        List<Request> all = found.get(0);
        if (all.size() > handed) {
          onNew.accept(List.copyOf(all.subList(handed, all.size())));
        }
      });
      return this;
    }

    /**
     * Reads the log's new requests and accepts them, in this batch's one write, after the edits added before it:
     * writes the replies again that a stale save undid ({@code answered} whose placeholder is back), moves the
     * {@code %%CANCEL%%} lines below the footer above it, and accepts the complete requests below the footer with
     * their placeholders. Each appended request is read and parsed once, here. The {@link Commit} says what it
     * took. Text a writer appended to a replaced version of the log is carried over first (see {@link Orphans}).
     *
     * @param ahead jobs already running or queued, to number the placeholders
     * @param waiting the jobs queued or running: a request of one of them that a stale save put back below the
     *     footer gets its placeholder back and is not new (see {@link LogEditor#accept})
     * @param force read even when the file seems unchanged since the broker last read or wrote it, and accept
     *     even when the log looks half-written (otherwise the commit says {@link Commit#unsettled})
     */
    public Batch accept(String now, int ahead, List<Waiting> waiting, List<Answered> answered, boolean force) {
      List<LogEditor.Waiting> jobs = new ArrayList<>(waiting.size());
      for (Waiting w : waiting) {
        jobs.add(new LogEditor.Waiting(w.agent(), w.anchor().code(), w.anchor().header(),
            JournalFormat.status(w.status())));
      }
      AcceptStep step = new AcceptStep(force);
      acceptStep = step;
      edits.add(doc -> step.apply(doc, now, ahead, jobs, answered));
      return this;
    }

    /**
     * Writes a request that did not come from the file (a controller's) above the footer, as an accepted
     * request looks: header, fence, placeholder. Its reply is then found through
     * {@link RealmLog#insertedAnchor}.
     *
     * @param status the placeholder's status line when the edit is applied
     */
    public Batch insert(String agent, String time, String info, String code, PendingStatus status) {
      return insert(agent, time, info, code, () -> status);
    }

    /** As {@link #insert(String, String, String, String, PendingStatus)}, the status taken when the edit is applied. */
    public Batch insert(String agent, String time, String info, String code, Supplier<PendingStatus> status) {
      edits.add(doc -> {
        List<String> lines = new ArrayList<>();
        lines.add(JournalFormat.requestHeader(agent, realm, time));
        lines.addAll(JournalFormat.fence(info, code));
        lines.add(JournalFormat.pendingHeader(realm, agent, time));
        lines.add(JournalFormat.status(status.get()));
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

    /** Sets a pending job's placeholder's status line ({@code executing (Ns)}, {@code queued (N ahead)}). */
    public Batch status(Anchor a, int ordinal, PendingStatus status) {
      LogEditor.StatusLine line = new LogEditor.StatusLine(anchor(a, ordinal), JournalFormat.status(status));
      Statuses run = edits.isEmpty() || !(edits.get(edits.size() - 1) instanceof Statuses last) ? null : last;
      if (run == null) {
        run = new Statuses();
        edits.add(run);
      }
      run.lines.add(line);
      return this;
    }

    /** Sets a pending job's placeholder to {@code executing (Ns)}. */
    public Batch executing(Anchor a, int ordinal, long seconds) {
      return status(a, ordinal, new PendingStatus.Executing(seconds));
    }

    /** Sets a pending job's placeholder to {@code queued (N ahead)}. */
    public Batch queued(Anchor a, int ordinal, int ahead) {
      return status(a, ordinal, new PendingStatus.Queued(ahead));
    }

    /** Sets a pending job's placeholder to {@code queued (N ahead)}, followed by {@code : why} when why is given. */
    public Batch queued(Anchor a, int ordinal, int ahead, String why) {
      return status(a, ordinal, new PendingStatus.Queued(ahead, why));
    }

    /**
     * Replaces the placeholder with a successful reply and the job's events. A value longer than the
     * result cap is cut in the log and written whole to {@code daebug/<realm>.results/<job>.json}.
     */
    public Batch success(Anchor a, int ordinal, String jobId, String agent, String time, Duration took,
        JsonNode value, Events events) {
      return success(a, ordinal, jobId, agent, time, took, value, () -> events);
    }

    /**
     * As {@link #success(Anchor, int, String, String, String, Duration, JsonNode, Events)}, with the events (and the
     * whole value's side file) made in the write: {@code events} is called once, on the thread that commits.
     */
    public Batch success(Anchor a, int ordinal, String jobId, String agent, String time, Duration took,
        JsonNode value, Supplier<Events> events) {
      return reply(jobId, anchor(a, ordinal), () -> Replies.success(file, realm, language, resultCap, jobId, agent,
          time, took, false, value, events.get()));
    }

    /** Replaces a placeholder with the reply {@code lines} makes (once, in the write), kept by job id. */
    private Batch reply(String jobId, LogEditor.Anchor at, Lines lines) {
      output = true;
      Lines once = Lines.once(lines);
      edits.add(doc -> {
        List<String> made = once.get();
        LogEditor.reply(doc, at, made, language);
        replied = made;
        if (jobId != null) {
          replies.put(jobId, made);
        }
      });
      return this;
    }

    /** The lines of the reply the last {@link #success} or {@link #failure} of this batch writes. */
    public List<String> replyLines() {
      return replied;
    }

    /**
     * Writes a reply again in place of its job's placeholder, if the placeholder is there: an agent's save of a
     * copy read before the reply was written put it back (and the job is done).
     */
    public Batch restore(Anchor a, List<String> reply) {
      edits.add(doc -> {
        int h = LogEditor.findPending(doc, anchor(a, 0));
        if (h >= 0) {
          doc.replace(h, h + 2, reply);
        }
      });
      return this;
    }

    /** Replaces the placeholder with a 🚫 reply holding {@code error} (cut to the result cap) and the job's events. */
    public Batch failure(Anchor a, int ordinal, String agent, String time, Duration took, String error,
        Events events) {
      return failure(null, a, ordinal, agent, time, took, error, () -> events);
    }

    /** As {@link #failure(Anchor, int, String, String, Duration, String, Events)}, the events taken in the write. */
    public Batch failure(String jobId, Anchor a, int ordinal, String agent, String time, Duration took, String error,
        Supplier<Events> events) {
      String capped = Replies.capped(error, resultCap);
      return reply(jobId, anchor(a, ordinal), () -> Replies.failure(realm, agent, time, took, false, capped,
          events.get()));
    }

    /**
     * Writes a late result below the reply that reported the job's failure (timeout, disconnect).
     *
     * @param failedHeader the exact 🚫 header line written for the job
     */
    public Batch late(Anchor a, int ordinal, String failedHeader, String jobId, String agent, String time,
        Duration took, boolean ok, JsonNode value, String error, Events events) {
      return late(a, ordinal, failedHeader, jobId, agent, time, took, ok, value, error, () -> events);
    }

    /** As {@link #late(Anchor, int, String, String, String, String, Duration, boolean, JsonNode, String, Events)}. */
    public Batch late(Anchor a, int ordinal, String failedHeader, String jobId, String agent, String time,
        Duration took, boolean ok, JsonNode value, String error, Supplier<Events> events) {
      Lines lines = Lines.once(() -> ok
          ? Replies.success(file, realm, language, resultCap, jobId, agent, time, took, true, value, events.get())
          : Replies.failure(realm, agent, time, took, true, Replies.capped(error, resultCap), events.get()));
      whole = true; // the 🚫 reply it goes under can be anywhere above
      output = true;
      edits.add(doc -> LogEditor.lateReply(doc, new LogEditor.Anchor(a.code(), failedHeader, ordinal), lines.get(),
          language));
      return this;
    }

    /** Replaces placeholders an earlier broker left behind with a 🚫 reply holding {@code error}. */
    public Batch abandonStale(String time, String error) {
      // No need to read the whole file: the live region starts above every placeholder (LiveRegion).
      output = true;
      edits.add(doc -> LogEditor.abandonStale(doc, realm, time, error));
      return this;
    }

    /** Writes a background block above the footer. */
    public Batch background(String time, Events events) {
      return background(time, () -> events);
    }

    /** As {@link #background(String, Events)}, the events (and their side file) taken in the write. */
    public Batch background(String time, Supplier<Events> events) {
      output = true;
      Lines lines = Lines.once(() -> Replies.background(realm, time, events.get()));
      edits.add(doc -> LogEditor.aboveFooter(doc, lines.get(), language));
      return this;
    }

    /**
     * How far this batch's write must go (docs/concurrency.md, "What is on disk before what"): the options' output
     * durability ({@link Durability#DURABLE_AFTER}, or {@link Durability#DURABLE} with {@code --durable-replies}) when
     * it holds a realm's output (a reply, a late reply, a background block, the replies to an earlier broker's
     * placeholders); {@link Durability#VISIBLE} when it only accepts requests, writes placeholders, statuses or a
     * controller's request: a killed broker leaves those in the file all the same (the page cache survives it), which
     * is what keeps a job from running twice, and the next durable write of the log makes them durable too.
     */
    public Durability durability() {
      return output ? RealmLog.this.output : Durability.VISIBLE;
    }

    /** {@link #commit(Durability)} with {@link Durability#DURABLE}. */
    public Commit commit() throws IOException {
      return commit(Durability.DURABLE);
    }

    /**
     * Applies every edit to the file's current content and writes the result as one new version of the log (none
     * when nothing changes), returning once that version is {@code durability} (see {@link Durability}), and says
     * what it did. An accept that finds the file unchanged since the broker last saw it reads nothing.
     */
    public Commit commit(Durability durability) throws IOException {
      AcceptStep step = acceptStep;
      boolean writes = !edits.isEmpty();
      if (step != null) {
        recoverOrphans();
        if (!step.force && edits.size() == 1 && !changedSinceLastSeen()) {
          writes = false; // nothing new to read, nothing else to write
        }
      }
      if (writes) {
        write(whole, s -> {
          LogDocument doc = parse(s);
          for (DocEdit e : edits) {
            e.apply(doc);
          }
          return doc;
        }, durability);
        if (step != null && !step.unsettled) {
          mergedUnseen = false; // whatever the write carried, this accept read
        }
      }
      written.forEach(Runnable::run);
      boolean acceptOnly = step != null && edits.size() == 1;
      boolean changed = writes && !(acceptOnly && step.accepted.isEmpty() && step.cancels == 0
          && step.restored.isEmpty());
      return step == null || !writes
          ? new Commit(changed, List.of(), 0, List.of(), false, Map.copyOf(replies), mergedUnseen, !orphans.isEmpty())
          : new Commit(changed, step.accepted, step.cancels, step.restored, step.unsettled, Map.copyOf(replies),
              mergedUnseen, !orphans.isEmpty());
    }
  }

  /** One edit of a parsed log, applied in the write (again when the write must start over). */
  private interface DocEdit {
    void apply(LogDocument doc) throws IOException;
  }

  /** Status lines set one after the other, applied as one edit: one pass over the log for all of them. */
  private static final class Statuses implements DocEdit {
    final List<LogEditor.StatusLine> lines = new ArrayList<>();

    @Override
    public void apply(LogDocument doc) {
      LogEditor.setStatuses(doc, lines);
    }
  }

  /** Lines made in the write, once, however many times the write starts over. */
  private interface Lines {
    List<String> get() throws IOException;

    static Lines once(Lines make) {
      Object[] made = new Object[1];
      return () -> {
        if (made[0] == null) {
          made[0] = make.get();
        }
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) made[0];
        return out;
      };
    }
  }

  /** The accept of a batch: what it found on the content its write was made on (the last attempt's). */
  private final class AcceptStep {
    final boolean force;
    boolean unsettled;
    int cancels;
    List<Anchor> restored = List.of();
    List<Request> accepted = List.of();

    AcceptStep(boolean force) {
      this.force = force;
    }

    void apply(LogDocument doc, String now, int ahead, List<LogEditor.Waiting> waiting, List<Answered> answered) {
      unsettled = !force && (doc.looksUnsettled() || halfSaved(doc));
      cancels = 0;
      restored = List.of();
      accepted = List.of();
      if (unsettled) {
        return; // looked at again when the writer is done (or read as it is by a forced accept)
      }
      hadFooter = doc.footer() >= 0;
      List<Anchor> back = new ArrayList<>();
      for (Answered a : answered) {
        // before the accept: a new placeholder just like the old one must not get the old reply
        int h = LogEditor.findPending(doc, anchor(a.anchor(), 0));
        if (h >= 0) {
          doc.replace(h, h + 2, a.reply());
          back.add(a.anchor());
        }
      }
      restored = back;
      cancels = LogEditor.takeCancels(doc, language);
      accepted = requests(LogEditor.accept(doc, realm, language, now, ahead, waiting));
    }
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

  private LogDocument parse(Snapshot s) {
    String text = s.text();
    return LogDocument.parse(text == null ? JournalFormat.newLog(realm, language) : text, s.whole());
  }

  /** One edit of a snapshot: the document after the edit (its text is what the file gets from the snapshot's offset). */
  private interface Edit {
    LogDocument apply(Snapshot s) throws IOException;
  }

  /**
   * Applies an edit to the log's current content and writes what changed (see {@link TailWriter}); when the log
   * changes meanwhile, reads it again and redoes the edit. Reads only the live region unless {@code whole}
   * or the region is gone.
   */
  private void write(boolean whole, Edit edit, Durability durability) throws IOException {
    write(whole, edit, durability, orphans.drain());
  }

  /** {@link #write(boolean, Edit, Durability)}, carrying {@code carry} (text appended to replaced versions) over. */
  private void write(boolean whole, Edit edit, Durability durability, List<Orphans.Piece> carry) throws IOException {
    if (!carry.isEmpty()) {
      mergedUnseen = true; // text the broker has not read: the caller looks for requests in it
    }
    long start = System.nanoTime();
    long first = nanos.getAsLong();
    long giveUp = first + HALF_SAVED_WAIT.toNanos();
    long atMost = first + HALF_SAVED_MAX.toNanos();
    AtomicFiles.Stamp halfSeen = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Snapshot s = read(whole);
      if (s.bytes() != null && hadFooter && halfSaved(s)) {
        // An editor is between the truncate and the last write of a save in place: wait for it, briefly, and for as
        // long as it keeps writing (up to HALF_SAVED_MAX).
        long now = nanos.getAsLong();
        if (halfSeen != null && !Objects.equals(s.stamp(), halfSeen)) {
          giveUp = Math.min(now + HALF_SAVED_WAIT.toNanos(), atMost);
        }
        halfSeen = s.stamp();
        // (a ticker a test holds still must not keep the write waiting: the system's clock bounds the wait too)
        if (now < giveUp && System.nanoTime() - start < HALF_SAVED_MAX.toNanos()) {
          java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1));
          attempt--;
          continue;
        }
      }
      if (s.bytes() != null && reader.unseenIn(s)) {
        mergedUnseen = true;
      }
      if (!whole) {
        s = narrow(s);
      }
      if (!s.whole() && history.due(s.offset())) {
        whole = true; // history to move out of the log: the edit is made on the whole file
        continue;
      }
      byte[] guardAbove = reader.guardAbove(s);
      LogDocument doc = edit.apply(carry.isEmpty() ? s : withCarried(s, carry));
      if (!s.whole() && doc.footer() < 0) {
        whole = true; // the footer is gone from the region: the whole file decides where things go
        continue;
      }
      byte[] out = Utf8.encode(doc.text());
      if (s.whole() && s.bytes() != null && history.moveOut(doc, out)) {
        out = Utf8.encode(doc.text());
      }
      byte[] old = s.bytes() == null ? new byte[0] : s.bytes();
      int common = Arrays.mismatch(old, out);
      if (common < 0 && s.bytes() != null) {
        lastSeen = s.stamp();
        reader.remember(doc, s.offset(), out, guardAbove);
        return;
      }
      if (common < 0) {
        common = 0;
      }
      AtomicFiles.Stamp written = writer.write(s.stamp(), s.offset() + common, old.length - common,
          Arrays.copyOfRange(out, common, out.length), durability);
      if (written == null) {
        history.abandoned();
        continue;
      }
      history.kept();
      lastSeen = written;
      lastWritten = Arrays.copyOfRange(out, Math.max(0, out.length - Orphans.TAIL), out.length);
      hadFooter = doc.footer() >= 0;
      reader.remember(doc, s.offset(), out, guardAbove);
      orphans.written();
      if (log.isTraceEnabled()) {
        log.trace("wrote {} from byte {} ({} bytes) in {} us", file.getFileName(), s.offset() + common,
            out.length - common, (System.nanoTime() - start) / 1000);
      }
      List<Orphans.Piece> more = orphans.drain();
      if (!more.isEmpty()) {
        write(false, this::parse, durability, more);
      }
      return;
    }
    throw new IOException("gave up writing " + file + ": it kept changing during " + ATTEMPTS + " attempts");
  }

  private static final int ATTEMPTS = 20;

  /**
   * {@code s} with text appended to replaced versions of the log put in: right after the end of the version the
   * broker wrote last, before what was appended to it since, when the log is still that version (a writer that
   * appends in several opens, one of which raced the broker's rename, wrote the carried text first); else at the
   * end.
   */
  private Snapshot withCarried(Snapshot s, List<Orphans.Piece> carry) {
    byte[] b = s.bytes() == null ? new byte[0] : s.bytes();
    java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream last = new java.io.ByteArrayOutputStream();
    int at = -1;
    for (Orphans.Piece p : carry) {
      int here = s.bytes() == null ? -1 : insertionPoint(s, p);
      byte[] text = Utf8.encode(p.text());
      if (here >= 0 && (at < 0 || here == at)) {
        at = here;
        first.writeBytes(text);
      } else {
        last.writeBytes(text);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length + first.size() + last.size());
    int split = at < 0 ? b.length : at;
    out.write(b, 0, split);
    out.writeBytes(first.toByteArray());
    out.write(b, split, b.length - split);
    out.writeBytes(last.toByteArray());
    return new Snapshot(s.stamp(), s.offset(), out.toByteArray());
  }

  /** Where in {@code s}'s bytes a piece goes: the end of its successor, when that is the broker's last write. */
  private int insertionPoint(Snapshot s, Orphans.Piece p) {
    if (lastSeen == null || lastWritten == null || s.stamp() == null || !Objects.equals(p.successor(), s.stamp().key())
        || !Objects.equals(p.successor(), lastSeen.key())) {
      return -1;
    }
    long rel = p.successorEnd() - s.offset();
    if (rel < lastWritten.length || rel > s.bytes().length) {
      return -1;
    }
    int end = (int) rel;
    // Still the broker's bytes there (no save rewrote the file since): the appends come after them.
    return Arrays.equals(s.bytes(), end - lastWritten.length, end, lastWritten, 0, lastWritten.length) ? end : -1;
  }
}

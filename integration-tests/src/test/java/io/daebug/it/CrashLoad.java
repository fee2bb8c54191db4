package io.daebug.it;

import static io.daebug.it.TestAwait.await;

import io.daebug.broker.journal.JournalFiles;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steady load of {@link CrashIT}: one agent per realm log appending requests (a unique tag in the prose and in
 * the code; about one in three written in two or three {@code write} calls, cut anywhere, mid-line too), and a
 * client-java controller submitting jobs to random realms, at most {@value #IN_FLIGHT} at a time. Each agent reads
 * its log before every append, as agents do, and every reply it sees is remembered: it must survive every kill.
 *
 * <p>{@link #pause()} returns once no append is in progress; an agent that had written part of a line writes the
 * rest of that line then (an editor finishing its line), so no half line waits in a log while no broker runs: a
 * broker takes a last line without a line ending as it is after 300 ms (journal-format.md).
 */
final class CrashLoad {
  private static final int IN_FLIGHT = 6;

  /** One agent request: its text and how much of it is in the file. */
  static final class Appended {
    final String realm;
    final String tag;
    final String text;
    private final List<Integer> cuts = new ArrayList<>();
    volatile int written;

    Appended(String realm, String tag, String text) {
      this.realm = realm;
      this.tag = tag;
      this.text = text;
    }

    boolean complete() {
      return written == text.length();
    }
  }

  private final Path root;
  private final ScheduledExecutorService scheduler;
  private final DaebugClient client;
  private final List<String> realms;
  private final Random random;
  /** Every agent request, in the order written, per realm. */
  final Map<String, List<Appended>> appended = new ConcurrentHashMap<>();
  /** Every final reply an agent or a check saw, per realm and tag. */
  final Map<String, Map<String, CrashReading.Reply>> seen = new ConcurrentHashMap<>();
  /** Controller jobs by tag: the realm submitted to, and the tags whose result was OK (acknowledged). */
  final Map<String, String> submitted = new ConcurrentHashMap<>();
  final Map<String, String> acked = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicInteger submissions = new AtomicInteger();
  /** Appends during which a broker write replaced the log. */
  final AtomicInteger raced = new AtomicInteger();
  private volatile boolean brokerDown;
  private volatile boolean paused = true;
  private volatile boolean stopped;

  CrashLoad(Path root, ScheduledExecutorService scheduler, DaebugClient client, List<String> realms, long seed) {
    this.root = root;
    this.scheduler = scheduler;
    this.client = client;
    this.realms = realms;
    this.random = new Random(seed);
    for (String realm : realms) {
      appended.put(realm, new CopyOnWriteArrayList<>());
      seen.put(realm, new ConcurrentHashMap<>());
      schedule(() -> agentStep(realm), 10);
    }
    schedule(this::controllerStep, 10);
  }

  Path log(String realm) {
    return root.resolve("daebug").resolve(realm + ".md");
  }

  void resume() {
    paused = false;
  }

  /** Stops appending and submitting; returns once no append is half done (see the class comment). */
  void pause() {
    paused = true;
    await().until(() -> busy.get() == 0);
    for (List<Appended> list : appended.values()) {
      Appended last = list.isEmpty() ? null : list.get(list.size() - 1);
      if (last != null && last.written > 0 && !last.complete() && last.text.charAt(last.written - 1) != '\n') {
        write(last, last.text.indexOf('\n', last.written) + 1);
      }
    }
  }

  /** Pauses for good and writes the rest of every request. */
  void finish() {
    pause();
    stopped = true;
    for (List<Appended> list : appended.values()) {
      for (Appended a : list) {
        if (!a.complete()) {
          write(a, a.text.length());
        }
      }
    }
  }

  /** Controller jobs still waiting for their answer. */
  int outstanding() {
    return outstanding.get();
  }

  private void schedule(Runnable step, int delayMs) {
    if (!stopped) {
      scheduler.schedule(step, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized int next(int bound) {
    return random.nextInt(bound);
  }

  private void agentStep(String realm) {
    busy.incrementAndGet();
    int delay = 10 + next(120);
    try {
      if (paused) {
        return;
      }
      observe(realm);
      List<Appended> list = appended.get(realm);
      Appended last = list.isEmpty() ? null : list.get(list.size() - 1);
      if (last == null || last.complete()) {
        last = request(realm, list.size() + 1);
        list.add(last);
      }
      while (!last.cuts.isEmpty() && last.cuts.get(0) <= last.written) {
        last.cuts.remove(0); // passed when the line was finished at a pause
      }
      write(last, last.cuts.isEmpty() ? last.text.length() : last.cuts.remove(0));
      if (!last.complete()) {
        delay = 5 + next(30);
      }
    } catch (RuntimeException | Error e) {
      problems.add("agent of " + realm + ": " + e);
    } finally {
      busy.decrementAndGet();
      schedule(() -> agentStep(realm), delay);
    }
  }

  private Appended request(String realm, int n) {
    String agent = "a" + realms.indexOf(realm);
    String tag = agent + "-" + n;
    String text = "### 🗣️" + agent + " to " + realm + " at 10:11:" + String.format("%02d", n % 60) + "\n"
        + "Why: " + agent + " asks for " + tag + " (request " + n + " of " + agent + ").\n"
        + "```js\ncrash(\"" + tag + "\")\n```\n";
    Appended a = new Appended(realm, tag, text);
    if (next(3) == 0) {
      // Cuts anywhere between the first character and the closing fence's last backtick, never between
      // the surrogates of the emoji; the last part always ends the request's text.
      int parts = 1 + next(2);
      int from = 0;
      for (int i = 0; i < parts && text.length() - 2 - from > 0; i++) {
        int cut = from + 1 + next(text.length() - 2 - from);
        if (cut <= from || cut >= text.length() - 1 || Character.isLowSurrogate(text.charAt(cut))) {
          break;
        }
        a.cuts.add(cut);
        from = cut;
      }
    }
    return a;
  }

  /**
   * Appends the next part of {@code a}. When a broker write replaced the log while the part was being written
   * (its inode changed), the part may have gone into the replaced version: the agent waits until the broker has
   * carried it over, or died; in the second case the next broker carries it (the checks look after the restart).
   */
  private void write(Appended a, int upTo) {
    Path file = log(a.realm);
    Object before = inode(file);
    String part = a.text.substring(a.written, upTo);
    append(file, part);
    a.written = upTo;
    if (!Objects.equals(before, inode(file))) {
      raced.incrementAndGet();
      await().until(() -> present(a) || brokerDown);
    }
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object inode(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether what the agent wrote of {@code a} so far is in the log (whole, or at its end while being typed). */
  private boolean present(Appended a) {
    String text = LogFile.read(log(a.realm));
    return a.complete() ? text.contains(a.text) : text.endsWith(a.text.substring(0, a.written));
  }

  /** Tells the agents whether a broker runs (a part in a replaced version waits for the next one to carry it). */
  void brokerDown(boolean down) {
    brokerDown = down;
  }

  /** Reads the log as the agent sees it and remembers its final replies; a log that does not parse is a problem. */
  private void observe(String realm) {
    // The log with its history parts put back (a long run moves finished history out of the log). An agent's own
    // writes are on this thread, between reads.
    String text;
    try {
      text = JournalFiles.readWithHistory(log(realm));
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (text == null) {
      return;
    }
    CrashReading.Log log;
    try {
      log = CrashReading.log(realm, "log of " + realm + " read by its agent while the broker ran", text);
    } catch (AssertionError e) {
      problems.add(e.getMessage());
      return;
    }
    remember(realm, log);
  }

  /** Remembers every final reply of {@code log}. */
  void remember(String realm, CrashReading.Log log) {
    Map<String, CrashReading.Reply> replies = seen.get(realm);
    for (Map.Entry<String, List<CrashReading.Request>> e : log.requests().entrySet()) {
      CrashReading.Reply r = e.getValue().get(0).reply();
      if (r != null && !r.kind().equals("placeholder")) {
        replies.putIfAbsent(e.getKey(), r);
      }
    }
  }

  private void controllerStep() {
    busy.incrementAndGet();
    try {
      if (paused || outstanding.get() >= IN_FLIGHT) {
        return;
      }
      String tag = "c-" + submissions.incrementAndGet();
      String realm = realms.get(next(realms.size()));
      submitted.put(tag, realm);
      outstanding.incrementAndGet();
      client.submit(JobRequest.js(realm, "crash(\"" + tag + "\")")).whenComplete((r, e) -> {
        if (e == null) {
          acked.put(tag, realm);
        } else {
          Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause() : e;
          failures.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
        }
        outstanding.decrementAndGet();
      });
    } catch (RuntimeException e) {
      problems.add("controller: " + e);
    } finally {
      busy.decrementAndGet();
      schedule(this::controllerStep, 5 + next(40));
    }
  }
}

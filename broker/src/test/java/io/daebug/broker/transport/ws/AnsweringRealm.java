package io.daebug.broker.transport.ws;

import io.daebug.broker.protocol.RunJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted realm that answers every job on its own: after a random short delay (the realm's "work"), it
 * sends 0 to 3 console events for the job, then the result {@code "r-<marker>"} for a job whose code is
 * {@code '<marker>'}, and now and then a background event {@code b-<n>}. So the broker writes placeholders,
 * replies, events and background blocks while an agent edits the log. It notes when it got each job and
 * when it sent each result, so a test can tell which of the broker's writes an agent's stale save may
 * have undone. Every frame goes out from one named thread, in order.
 */
final class AnsweringRealm implements AutoCloseable {
  private static final Pattern CODE = Pattern.compile("'(m\\d+)'");
  /** Background events per run: few enough that a block never omits one (at most 10 per block). */
  private static final int MAX_BACKGROUND = 8;

  /** What the realm did for a marker: when each run of it arrived, when its first result was sent. */
  record Runs(List<Long> dispatchedAt, List<Integer> events, long[] resultSentAt) {}

  private final FakeRealm realm;
  private final SplittableRandom random;
  private final long eventTime;
  private final ScheduledExecutorService out = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "edits-realm");
    t.setDaemon(true);
    return t;
  });
  private final Thread reader = new Thread(this::read, "edits-realm-jobs");
  private final Map<String, Runs> runs = new ConcurrentHashMap<>();
  /** Background event number to when it was sent. */
  private final Map<Integer, Long> background = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;
  private int backgroundSent;

  private final java.util.function.Consumer<String> note;

  AnsweringRealm(FakeRealm realm, SplittableRandom random, long eventTime, java.util.function.Consumer<String> note) {
    this.note = note;
    this.realm = realm;
    this.random = random;
    this.eventTime = eventTime;
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    while (!stopped) {
      try {
        RunJob job = realm.pollJob(Duration.ofMillis(50));
        if (job != null) {
          onJob(job);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | AssertionError e) {
        problems.add(String.valueOf(e));
      }
    }
  }

  private void onJob(RunJob job) {
    Matcher m = CODE.matcher(job.code());
    if (!m.matches()) {
      problems.add("a job whose code is no request of the agent's: " + job.code());
      return;
    }
    String marker = m.group(1);
    note.accept("realm got " + marker + " as " + job.id());
    Runs r = runs.computeIfAbsent(marker, k -> new Runs(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
        new long[] {0}));
    r.dispatchedAt().add(System.nanoTime());
    int events;
    long delay;
    int bg;
    synchronized (random) {
      events = random.nextInt(2) == 0 ? 0 : 1 + random.nextInt(3);
      delay = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(25);
      bg = backgroundSent < MAX_BACKGROUND && random.nextInt(5) == 0 ? ++backgroundSent : 0;
    }
    boolean withBackground = bg > 0;
    out.schedule(() -> {
      try {
        for (int i = 1; i <= events; i++) {
          realm.sendEvent(job.id(), "log", eventTime, "e-" + marker + "-" + i);
        }
        r.events().add(events);
        synchronized (r) {
          if (r.resultSentAt()[0] == 0) {
            r.resultSentAt()[0] = System.nanoTime();
          }
        }
        note.accept("realm answers " + marker + " (" + job.id() + ")");
        realm.sendResult(job.id(), "\"r-" + marker + "\"");
        if (withBackground) {
          background.put(bg, System.nanoTime());
          realm.sendEvent(null, "log", eventTime, "b-" + bg);
        }
      } catch (RuntimeException | AssertionError e) {
        problems.add(String.valueOf(e));
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Per marker, every run the realm got. */
  Map<String, Runs> runs() {
    return runs;
  }

  /** Background event number to the nanoTime it was sent. */
  Map<Integer, Long> background() {
    return background;
  }

  /** Whether every job that arrived was answered. */
  boolean idle() {
    return runs.values().stream().allMatch(r -> r.events().size() == r.dispatchedAt().size());
  }

  List<String> problems() {
    return problems;
  }

  @Override
  public void close() {
    stopped = true;
    out.shutdownNow();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
      out.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.daebug.it;

import static io.daebug.it.TestAwait.await;

import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One load run against a broker started as a process (the jar), shared by {@code LoadBench} and {@code LoadIT}:
 * {@code realms} protocol-level realms ({@link WireRealm}) that answer each job at once with its id and log one console
 * line during it, and log background lines on their own; for {@code duration}, {@code appenders} threads append
 * requests to the realms' logs ({@code fileInFlight} unanswered per realm) while {@code controllers} Java clients
 * submit jobs to every realm ({@code controllerInFlight} per realm each). Then it waits for every answer, stops the
 * broker with {@code %%SHUTDOWN%%} and counts everything in the logs ({@link LoadAudit}).
 */
final class LoadRun {
  private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final Duration DRAIN = Duration.ofSeconds(120);

  /** What to run. */
  record Options(int realms, Duration duration, int appenders, int fileInFlight, int controllers,
      int controllerInFlight, Duration eventEvery, Duration warmup) {
    /** With no warm-up: the window starts with the load. */
    Options(int realms, Duration duration, int appenders, int fileInFlight, int controllers, int controllerInFlight,
        Duration eventEvery) {
      this(realms, duration, appenders, fileInFlight, controllers, controllerInFlight, eventEvery, Duration.ZERO);
    }

    Options {
      if (realms < 1 || appenders < 1 || fileInFlight < 0 || controllers < 0 || controllerInFlight < 0) {
        throw new IllegalArgumentException("realms and appenders must be positive, the others not negative");
      }
    }
  }

  /**
   * What happened. Latencies are in nanoseconds, sorted; {@code perRealmInWindow} is how many jobs each realm had
   * answered when the load stopped, sorted (a realm far below the others was starved); the CPU seconds are the
   * broker's process and this JVM's (realms, appenders, controllers, watcher) during the window. The window starts
   * after the warm-up ({@link Options#warmup}), in which the same load runs (the broker's JIT compilers are busiest
   * then); {@code whole} is the run from its start, warm-up included. Latencies are of the jobs answered in the window.
   */
  record Result(Options options, double seconds, int fileAnsweredInWindow, int controllerAnsweredInWindow,
      int[] perRealmInWindow, double brokerCpuSeconds, double benchCpuSeconds, long[] fileLatency,
      long[] controllerLatency, int jobEventsSent, int backgroundSent, LoadAudit.Tally tally,
      List<String> realmProblems, List<String> controllerProblems, List<String> waitProblems, int brokerExit,
      List<String> brokerWarnings, Whole whole) {
    /** Nothing lost, duplicated, misplaced or failed, anywhere, and the broker stopped cleanly. */
    boolean clean() {
      return tally.clean() && realmProblems.isEmpty() && controllerProblems.isEmpty() && waitProblems.isEmpty()
          && brokerExit == 0;
    }
  }

  /** The run from the start of the load to its end, warm-up included: seconds, jobs answered, broker CPU seconds. */
  record Whole(double seconds, int answered, double brokerCpuSeconds) {}

  /** One realm and what was sent to it. */
  private static final class Target {
    final int index;
    final String name;
    final Path log;
    final Map<String, String> requests = new ConcurrentHashMap<>();
    final Set<String> background = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> ran = new ConcurrentHashMap<>();
    final AtomicInteger seq = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    WireRealm realm;

    Target(int index, Path root) {
      this.index = index;
      this.name = String.format(Locale.ROOT, "load-%03d", index);
      this.log = root.resolve("daebug").resolve(name + ".md");
    }

    /** The realm side: one console line naming the job, then the request's id as the value. */
    void run(WireRealm r, String jobId, String code) {
      String id = LoadAudit.requestId(code);
      ran.merge(id == null ? "(not a load request) " + code : id, 1, Integer::sum);
      r.event(jobId, "log", "during " + id);
      r.result(jobId, WireRealm.quote(String.valueOf(id)));
    }
  }

  private final Options options;
  private final Path root;
  private final PrintStream progress;
  private final List<Target> targets = new ArrayList<>();
  private final ConcurrentLinkedQueue<Long> fileLatency = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> controllerLatency = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> controllerProblems = new ConcurrentLinkedQueue<>();
  private final AtomicInteger controllerOutstanding = new AtomicInteger();
  private final AtomicInteger jobEventsSent = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> runProblems = new ConcurrentLinkedQueue<>();
  private volatile boolean stopped;
  /** Whether the window is open: the warm-up is over and the load not stopped. */
  private volatile boolean measuring;
  /** Jobs answered in the warm-up. */
  private final AtomicInteger answeredInWarmup = new AtomicInteger();

  private LoadRun(Options options, Path root, PrintStream progress) {
    this.options = options;
    this.root = root;
    this.progress = progress;
  }

  /** Runs the load in {@code root} (an empty folder), printing progress lines to {@code progress}. */
  static Result run(Options options, Path root, PrintStream progress) throws Exception {
    return new LoadRun(options, root, progress).run();
  }

  private Result run() throws Exception {
    List<String> waitProblems = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    List<DaebugClient> clients = new ArrayList<>();
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-background");
      t.setDaemon(true);
      return t;
    });
    int exit;
    List<String> warnings;
    double seconds;
    int fileInWindow;
    int controllerInWindow;
    int[] perRealm;
    double brokerCpu;
    double benchCpu;
    Whole whole;
    try (BrokerProcess broker = BrokerProcess.start(root, "--log-level", "WARN")) {
      URI uri = broker.awaitUri();
      connectRealms(http, uri);
      progress.printf(Locale.ROOT, "%d realms connected to %s%n", targets.size(), uri);
      for (int k = 1; k <= options.controllers(); k++) {
        clients.add(Daebug.connect(ClientOptions.of(uri).withClientName("ctl-" + k)));
      }
      try (ReplyWatcher watcher = new ReplyWatcher(root.resolve("daebug"))) {
        AtomicInteger fileAnswered = new AtomicInteger();
        AtomicInteger controllerAnswered = new AtomicInteger();
        long loadStart = System.nanoTime();
        long start = loadStart + options.warmup().toNanos();
        long deadline = start + options.duration().toNanos();
        long brokerCpuAtLoad = cpuNanos(broker.process().pid());
        measuring = options.warmup().isZero();
        long brokerCpuStart = brokerCpuAtLoad;
        long benchCpuStart = cpuNanos(ProcessHandle.current().pid());
        startBackground(background);
        for (int k = 0; k < clients.size(); k++) {
          for (Target t : targets) {
            for (int j = 0; j < options.controllerInFlight(); j++) {
              submit(clients.get(k), k + 1, t, controllerAnswered);
            }
          }
        }
        List<Thread> appenders = startAppenders(watcher, deadline, fileAnswered);
        if (!measuring) {
          // a benchmark's warm-up (LoadIT has none): the same load, not counted
          for (long left; (left = start - System.nanoTime()) > 0; ) {
            TimeUnit.NANOSECONDS.sleep(left);
          }
          brokerCpuStart = cpuNanos(broker.process().pid());
          benchCpuStart = cpuNanos(ProcessHandle.current().pid());
          measuring = true;
        }
        for (Thread a : appenders) {
          a.join();
        }
        stopped = true;
        measuring = false;
        long end = System.nanoTime();
        seconds = (end - start) / 1e9;
        long brokerCpuEnd = cpuNanos(broker.process().pid());
        brokerCpu = (brokerCpuEnd - brokerCpuStart) / 1e9;
        whole = new Whole((end - loadStart) / 1e9, answeredInWarmup.get() + fileAnswered.get()
            + controllerAnswered.get(), (brokerCpuEnd - brokerCpuAtLoad) / 1e9);
        benchCpu = (cpuNanos(ProcessHandle.current().pid()) - benchCpuStart) / 1e9;
        fileInWindow = fileAnswered.get();
        controllerInWindow = controllerAnswered.get();
        perRealm = targets.stream().mapToInt(t -> t.answered.get()).sorted().toArray();
        background.shutdown();
        background.awaitTermination(10, TimeUnit.SECONDS);
        progress.printf(Locale.ROOT, "load stopped after %.1f s; waiting for %d file and %d controller jobs%n", seconds,
            watcher.unanswered(), controllerOutstanding.get());
        awaitOrNote(waitProblems, "every request answered in its log and every controller job completed",
            () -> watcher.unanswered() == 0 && controllerOutstanding.get() == 0,
            () -> "controller jobs outstanding: " + controllerOutstanding.get() + "; broker warnings: "
                + broker.output().lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(5).toList()
                + "; unanswered in the logs: " + tails(watcher.unansweredIds()));
        awaitOrNote(waitProblems, "every background event in its log", this::allBackgroundWritten,
            () -> "background events not in the logs yet");
        if (watcher.failure() != null) {
          waitProblems.add("the reply watcher failed: " + watcher.failure());
        }
      }
      clients.forEach(DaebugClient::close);
      waitProblems.addAll(runProblems);
      exit = shutDown(broker, waitProblems);
      warnings = broker.output().lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).toList();
    } finally {
      background.shutdownNow();
      clients.forEach(DaebugClient::close);
      targets.stream().filter(t -> t.realm != null).forEach(t -> t.realm.abort());
    }
    return new Result(options, seconds, fileInWindow, controllerInWindow, perRealm, brokerCpu, benchCpu,
        sorted(fileLatency),
        sorted(controllerLatency), jobEventsSent.get(), targets.stream().mapToInt(t -> t.background.size()).sum(),
        audit(), realmProblems(), List.copyOf(controllerProblems), waitProblems, exit, warnings, whole);
  }

  private void connectRealms(HttpClient http, URI uri) {
    for (int i = 1; i <= options.realms(); i++) {
      targets.add(new Target(i, root));
    }
    for (int from = 0; from < targets.size(); from += 50) {
      List<Target> batch = targets.subList(from, Math.min(from + 50, targets.size()));
      List<CompletableFuture<WireRealm>> open = new ArrayList<>();
      for (Target t : batch) {
        open.add(WireRealm.connect(http, uri, t.name, (r, id, code) -> {
          jobEventsSent.incrementAndGet();
          t.run(r, id, code);
        }));
      }
      for (int k = 0; k < batch.size(); k++) {
        Target t = batch.get(k);
        t.realm = open.get(k).join();
        String name = t.realm.welcome().orTimeout(30, TimeUnit.SECONDS).join();
        if (!name.equals(t.name)) {
          throw new IllegalStateException("realm " + t.name + " was named " + name + " (the root was not empty?)");
        }
      }
    }
  }

  /** Every realm logs {@code bg-<realm>-<n>} outside jobs every {@code eventEvery}, the realms spread over it. */
  private void startBackground(ScheduledExecutorService background) {
    long every = options.eventEvery().toNanos();
    if (every <= 0) {
      return;
    }
    for (Target t : targets) {
      AtomicInteger n = new AtomicInteger();
      background.scheduleAtFixedRate(() -> {
        String text = "bg-" + t.index + "-" + n.incrementAndGet();
        t.background.add(text);
        t.realm.event(null, "info", text);
      }, every * t.index / targets.size(), every, TimeUnit.NANOSECONDS);
    }
  }

  /** Submits one controller job to {@code t}, and its successor when it completes (until the load stops). */
  private void submit(DaebugClient client, int k, Target t, AtomicInteger answered) {
    if (stopped) {
      return;
    }
    String id = "c" + k + "-" + t.index + "-" + t.seq.incrementAndGet();
    t.requests.put(id, client.name());
    controllerOutstanding.incrementAndGet();
    long start = System.nanoTime();
    client.submit(JobRequest.of(t.name, LoadAudit.requestCode(id))).whenComplete((r, e) -> {
      long took = System.nanoTime() - start;
      if (e != null) {
        controllerProblems.add(t.name + ": controller job " + id + " failed: " + e);
      } else if (!r.value().isTextual() || !r.value().asText().equals(id)) {
        controllerProblems.add(t.name + ": controller job " + id + " got " + r.value());
      } else {
        count(took, controllerLatency, answered, t);
      }
      controllerOutstanding.decrementAndGet();
      submit(client, k, t, answered);
    });
  }

  /**
   * A job answered: its latency and count go to the window while it is open, the count to the warm-up before it.
   * Without a warm-up, every latency is kept (LoadIT checks that both sources were answered at all).
   */
  private void count(long took, ConcurrentLinkedQueue<Long> latency, AtomicInteger answered, Target t) {
    if (measuring || options.warmup().isZero()) {
      latency.add(took);
    }
    if (measuring) {
      answered.incrementAndGet();
      t.answered.incrementAndGet();
    } else if (!stopped) {
      answeredInWarmup.incrementAndGet();
    }
  }

  /** Appender {@code a} owns realms {@code a, a + appenders, ...} and keeps {@code fileInFlight} requests in each. */
  private List<Thread> startAppenders(ReplyWatcher watcher, long deadline, AtomicInteger answered) {
    List<Thread> threads = new ArrayList<>();
    for (int a = 1; a <= options.appenders(); a++) {
      String agent = "agent-" + a;
      BlockingQueue<Target> free = new LinkedBlockingQueue<>();
      for (int i = a - 1; i < targets.size(); i += options.appenders()) {
        for (int j = 0; j < options.fileInFlight(); j++) {
          free.add(targets.get(i));
        }
      }
      Thread thread = new Thread(() -> {
        try {
          while (System.nanoTime() < deadline) {
            Target t = free.poll(50, TimeUnit.MILLISECONDS);
            if (t != null) {
              append(watcher, agent, t, free, answered);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-" + agent);
      thread.setUncaughtExceptionHandler((th, e) -> runProblems.add(th.getName() + " failed: " + e));
      thread.start();
      threads.add(thread);
    }
    return threads;
  }

  private void append(ReplyWatcher watcher, String agent, Target t, BlockingQueue<Target> free,
      AtomicInteger answered) {
    String id = "f-" + t.index + "-" + t.seq.incrementAndGet();
    t.requests.put(id, agent);
    String text = "### 🗣️" + agent + " to " + t.name + " at " + LocalTime.now().format(HHMMSS) + "\n```js\n"
        + LoadAudit.requestCode(id) + "\n```\n";
    long start = System.nanoTime();
    watcher.expect(t.log, id, start, took -> {
      count(took, fileLatency, answered, t);
      free.add(t);
    });
    try {
      Files.writeString(t.log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every background event sent is in its log, or its log says some were omitted (the audit reports them). */
  private boolean allBackgroundWritten() {
    for (Target t : targets) {
      String text = LogFile.read(t.log);
      if (text.contains(" more background events omitted) ...")) {
        continue;
      }
      for (String bg : t.background) {
        if (!text.contains(" " + bg + "\n")) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code %%SHUTDOWN%%} in {@code daebug.md}, as a user stops it; returns the exit code. First waits until the
   * registry lists every realm {@code live}: the broker rewrites {@code daebug.md} (coalesced, 50 ms) when a realm's
   * state changes, and a line appended while such a rewrite is between its check and its rename is lost (reported
   * as a broker bug; the registry's write does not take the stat-checked path the logs take).
   */
  private int shutDown(BrokerProcess broker, List<String> problems) throws Exception {
    Path registry = root.resolve("daebug.md");
    awaitOrNote(problems, "every realm listed live in daebug.md",
        () -> LogFile.read(registry).lines().filter(l -> l.endsWith(": live")).count() == targets.size(),
        () -> LogFile.read(registry));
    Files.writeString(registry, "%%SHUTDOWN%%\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    if (!broker.process().waitFor(30, TimeUnit.SECONDS)) {
      problems.add("the broker did not stop within 30 s of %%SHUTDOWN%%");
      broker.close();
    }
    return broker.process().waitFor();
  }

  private LoadAudit.Tally audit() {
    LoadAudit.Tally tally = new LoadAudit.Tally();
    for (Target t : targets) {
      LoadAudit.audit(LogFile.read(t.log), LoadAudit.sideFiles(t.log), new LoadAudit.Sent(t.name, t.requests,
          t.background), tally);
    }
    return tally;
  }

  /** What the realms saw: every request run exactly once, nothing else run. */
  private List<String> realmProblems() {
    List<String> out = new ArrayList<>();
    for (Target t : targets) {
      t.ran.forEach((id, n) -> {
        if (n != 1 || !t.requests.containsKey(id)) {
          out.add(t.name + ": the realm ran " + id + " " + n + " times");
        }
      });
      t.requests.keySet().stream().filter(id -> !t.ran.containsKey(id))
          .forEach(id -> out.add(t.name + ": the realm never ran " + id));
      if (t.realm != null && t.realm.sendFailure() != null) {
        out.add(t.name + ": a send failed: " + t.realm.sendFailure());
      }
    }
    return out;
  }

  /** The unanswered ids of up to three logs with the end of each log, then the count of the others. */
  private static String tails(Map<Path, Set<String>> unanswered) {
    StringBuilder b = new StringBuilder();
    unanswered.entrySet().stream().limit(3).forEach(e -> {
      String text = LogFile.read(e.getKey());
      b.append(e.getKey().getFileName()).append(' ').append(e.getValue()).append(" ending: ")
          .append(text.substring(Math.max(0, text.length() - 700)).replace("\n", "\\n")).append(" || ");
    });
    return b.append(unanswered.size()).append(" logs in all").toString();
  }

  private static void awaitOrNote(List<String> problems, String what, Callable<Boolean> done,
      Supplier<String> detail) {
    try {
      await(DRAIN).until(done);
    } catch (ConditionTimeoutException e) {
      problems.add("not within " + DRAIN.toSeconds() + " s: " + what + " (" + detail.get() + ")");
    }
  }

  /** User plus system CPU time of a process, from {@code /proc/PID/stat} (clock ticks of 10 ms). */
  private static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // utime, stime (fields 14, 15)
  }

  private static long[] sorted(ConcurrentLinkedQueue<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }
}

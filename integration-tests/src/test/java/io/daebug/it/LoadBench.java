package io.daebug.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (a program, not a test): many realms receiving jobs from their logs and from controllers at once, with
 * background events, for a while ({@link LoadRun}); prints jobs per second overall and per source, median and p99
 * latency per source, the events, and whether anything was lost or duplicated, counted in the files. Exits 1 when
 * anything was.
 *
 * <p>The broker is the jar in its own process ({@code --log-level WARN}, so its per-job INFO line is not piped through
 * this program), so the measured JVM is the broker alone; the realms, the appenders and the controllers are in this
 * one. File latency runs from the append to the moment the reply is seen in the file ({@link ReplyWatcher}: inotify,
 * then one read); controller latency from {@code submit} to the result.
 *
 * <p>Run: {@code mvn -B -pl app -am package -DskipTests}, then
 * {@code mvn -B -pl integration-tests -am test-compile -DskipTests} and
 * {@code mvn -B -pl integration-tests exec:exec@load-bench -Dbench.realms=200 -Dbench.seconds=60}. Other properties
 * (defaults): {@code bench.appenders} (4) appender threads, {@code bench.fileInFlight} (2) requests in flight per
 * realm from the files, {@code bench.controllers} (2) Java clients, {@code bench.controllerInFlight} (1) jobs in flight
 * per realm per client, {@code bench.eventMs} (2000) between one realm's background events, {@code bench.warmup} (20)
 * seconds of the same load before the measured window (a fresh broker's JIT compilers take about as much CPU as the
 * broker's own work in its first half minute; {@code 0} measures from the start, as figures before 7 Dec did). The
 * whole run, warm-up included, is printed too.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    LoadRun.Options o = new LoadRun.Options(property("bench.realms", 200),
        Duration.ofSeconds(property("bench.seconds", 60)), property("bench.appenders", 4),
        property("bench.fileInFlight", 2), property("bench.controllers", 2), property("bench.controllerInFlight", 1),
        Duration.ofMillis(property("bench.eventMs", 2000)), Duration.ofSeconds(property("bench.warmup", 20)));
    System.out.printf(Locale.ROOT, "load: %d realms for %d s after a %d s warm-up under the same load; %d appender threads, %d requests in flight per realm"
        + " from the logs; %d controllers, %d job(s) in flight per realm each; a background event per realm every"
        + " %d ms%n", o.realms(), o.duration().toSeconds(), o.warmup().toSeconds(), o.appenders(), o.fileInFlight(), o.controllers(),
        o.controllerInFlight(), o.eventEvery().toMillis());
    String loadBefore = loadAverage();
    Path root = Files.createTempDirectory("daebug-load-bench-");
    LoadRun.Result r = LoadRun.run(o, root, System.out);
    System.out.printf(Locale.ROOT, "machine: %d cores; load average (1, 5, 15 min) before %s, after %s%n",
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
    int all = r.fileAnsweredInWindow() + r.controllerAnsweredInWindow();
    System.out.printf(Locale.ROOT, "jobs answered in the %.1f s window: %,d = %.1f jobs/s (from logs %,d = %.1f/s,"
        + " from controllers %,d = %.1f/s)%n", r.seconds(), all, all / r.seconds(), r.fileAnsweredInWindow(),
        r.fileAnsweredInWindow() / r.seconds(), r.controllerAnsweredInWindow(),
        r.controllerAnsweredInWindow() / r.seconds());
    System.out.printf(Locale.ROOT, "CPU in the window: broker %.1f s (%.0f%% of one core, %.2f ms per job), this"
        + " JVM (realms, agents, controllers) %.1f s%n", r.brokerCpuSeconds(), 100 * r.brokerCpuSeconds() / r.seconds(),
        1000 * r.brokerCpuSeconds() / Math.max(1, all), r.benchCpuSeconds());
    LoadRun.Whole w = r.whole();
    System.out.printf(Locale.ROOT, "whole run, warm-up included (%.1f s): %,d jobs = %.1f jobs/s, broker CPU %.1f s"
        + " (%.2f ms per job)%n", w.seconds(), w.answered(), w.answered() / w.seconds(), w.brokerCpuSeconds(),
        1000 * w.brokerCpuSeconds() / Math.max(1, w.answered()));
    int[] perRealm = r.perRealmInWindow();
    System.out.printf(Locale.ROOT, "jobs answered per realm in the window: min %d, median %d, max %d%n", perRealm[0],
        perRealm[perRealm.length / 2], perRealm[perRealm.length - 1]);
    latency("from logs (append -> reply seen in the file)", r.fileLatency());
    latency("from controllers (submit -> result)", r.controllerLatency());
    LoadAudit.Tally t = r.tally();
    System.out.printf(Locale.ROOT, "events: %,d during jobs sent, %,d found under their replies; %,d background"
        + " sent, %,d found%n", r.jobEventsSent(), t.jobEvents - t.jobEventsMisplaced, t.background,
        t.background - t.backgroundLost - t.backgroundOmitted);
    System.out.printf(Locale.ROOT, "requests in the logs: %,d sent; lost %d, duplicated %d, never sent %d%n",
        t.requests, t.requestsLost, t.requestsDuplicated, t.requestsUnexpected);
    System.out.printf(Locale.ROOT, "replies: %,d found; lost %d, duplicated %d, not directly under their request %d,"
        + " failed (🚫) %d, placeholders left %d; job events lost %d, misplaced %d; background lost %d, duplicated"
        + " %d, omitted %d; bad footers %d%n", t.replies, t.repliesLost, t.repliesDuplicated, t.repliesMisplaced,
        t.failedReplies, t.placeholdersLeft, t.jobEventsLost, t.jobEventsMisplaced, t.backgroundLost,
        t.backgroundDuplicated, t.backgroundOmitted, t.badFooters);
    System.out.printf(Locale.ROOT, "broker: exit code %d after %%%%SHUTDOWN%%%%, %d WARN/ERROR lines%n",
        r.brokerExit(), r.brokerWarnings().size());
    print("log findings", t.problems);
    print("realm findings", r.realmProblems());
    print("controller findings", r.controllerProblems());
    print("waits", r.waitProblems());
    print("broker WARN/ERROR lines", r.brokerWarnings());
    if (r.clean()) {
      TempDirs.deleteTree(root);
      System.out.println("RESULT: nothing lost, nothing duplicated: every request once, every reply once and"
          + " directly under its own request, every event present");
    } else {
      System.out.println("RESULT: LOST/DUPLICATED/FAILED (see the findings above); the logs are kept in " + root);
      System.exit(1);
    }
  }

  private static void latency(String what, long[] nanos) {
    if (nanos.length == 0) {
      System.out.printf(Locale.ROOT, "latency %s: no jobs%n", what);
      return;
    }
    System.out.printf(Locale.ROOT, "latency %s: %,d jobs, min %.1f ms, median %.1f ms, p99 %.1f ms, max %.1f ms%n",
        what, nanos.length, nanos[0] / 1e6, nanos[nanos.length / 2] / 1e6,
        nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6, nanos[nanos.length - 1] / 1e6);
  }

  private static void print(String what, List<String> lines) {
    if (!lines.isEmpty()) {
      System.out.printf(Locale.ROOT, "%s (%d, first 20):%n", what, lines.size());
      lines.stream().limit(20).forEach(l -> System.out.println("  " + l));
    }
  }

  /** A system property given on the command line; blank or absent means the default. */
  private static int property(String name, int defaultValue) {
    String v = System.getProperty(name, "");
    return v.isBlank() ? defaultValue : Integer.parseInt(v.strip());
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}

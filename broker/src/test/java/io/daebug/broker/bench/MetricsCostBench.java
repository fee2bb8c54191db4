package io.daebug.broker.bench;

import io.daebug.broker.metrics.BrokerMetrics;
import io.daebug.broker.metrics.PrometheusMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (a program, not a test): what the metrics cost the broker's core thread per job, and what a scrape
 * costs. A job makes the calls the core makes for a typical job (dispatch, two console events, two log writes,
 * its end); rounds of 100,000 jobs alternate between {@link BrokerMetrics#NONE} (the core without metrics) and
 * {@link PrometheusMetrics}, so the machine's load falls on both alike. Then 200 scrapes of a registry with 200
 * realms. Prints the median of the rounds in nanoseconds per job and milliseconds per scrape.
 *
 * <p>{@code mvn -B -o -q -pl broker -am test-compile exec:exec@metrics-bench -Dexec.executable=true}
 */
public final class MetricsCostBench {
  private static final int ROUNDS = 30;
  private static final int JOBS = 100_000;
  /** Core tasks timed per job (the first argument): about 8.5 in {@code StallBench}'s probe (frames, timers...). */
  private static int coreTasks = 9;

  private MetricsCostBench() {}

  public static void main(String[] args) {
    coreTasks = args.length > 0 ? Integer.parseInt(args[0]) : coreTasks;
    List<PrometheusMetrics.RealmState> realms = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      realms.add(new PrometheusMetrics.RealmState(i % 3 == 0 ? "node" : "page", i % 10 == 0 ? "executing" : "live"));
    }
    try (PrometheusMetrics prometheus = new PrometheusMetrics(() -> realms, Clock.systemUTC(), System::nanoTime,
        "bench")) {
      double[] none = new double[ROUNDS];
      double[] micrometer = new double[ROUNDS];
      long sink = 0;
      for (int r = -5; r < ROUNDS; r++) { // 5 warm-up rounds
        double a = nanosPerJob(BrokerMetrics.NONE);
        double b = nanosPerJob(prometheus);
        if (r >= 0) {
          none[r] = a;
          micrometer[r] = b;
        }
      }
      double[] scrapes = new double[200];
      for (int i = -20; i < scrapes.length; i++) {
        long t0 = System.nanoTime();
        sink += prometheus.scrape().length();
        if (i >= 0) {
          scrapes[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      System.out.printf(Locale.ROOT, "per job, no metrics (BrokerMetrics.NONE): median %.1f ns%n", median(none));
      System.out.printf(Locale.ROOT, "per job, Micrometer (PrometheusMetrics):   median %.1f ns%n", median(micrometer));
      System.out.printf(Locale.ROOT, "scrape of /-daebug/metrics text, 200 realms: median %.2f ms, %d bytes%n",
          median(scrapes), prometheus.scrape().length());
      if (sink == 42) {
        System.out.println();
      }
    }
  }

  private static double nanosPerJob(BrokerMetrics m) {
    Duration queued = Duration.ofNanos(120_000);
    Duration ran = Duration.ofNanos(1_400_000);
    Duration write = Duration.ofNanos(90_000);
    long t0 = System.nanoTime();
    for (int i = 0; i < JOBS; i++) {
      m.journalWrite(write);
      m.jobStarted(queued);
      m.event(false);
      m.event((i & 7) == 0);
      m.jobEnded((i & 15) == 0 ? "error" : "ok", ran);
      m.journalWrite(write);
      for (int t = 0; t < coreTasks; t++) {
        m.coreTask(15_000);
      }
    }
    return (System.nanoTime() - t0) / (double) JOBS;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}

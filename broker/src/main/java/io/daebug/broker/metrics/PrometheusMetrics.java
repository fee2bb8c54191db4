package io.daebug.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The broker's metrics in a Micrometer {@link PrometheusMeterRegistry}, scraped as Prometheus text at
 * {@code /-daebug/metrics}. The core reports into it through {@link BrokerMetrics}; realm gauges are counted
 * from a snapshot taken at each scrape; the HTTP server binds Jetty's connection and thread pool meters to
 * {@link #registry()}. Each metric is described in docs/operations.md. Thread-safe.
 */
public final class PrometheusMetrics implements BrokerMetrics, AutoCloseable {
  /** A realm as the gauges count it. */
  public record RealmState(String kind, String state) {}

  /** Every outcome a job can end with (docs/protocol.md), registered at 0 so rates work from the start. */
  public static final List<String> OUTCOMES = List.of("ok", "error", "timeout", "cancelled", "disconnected", "failed");

  /** Histogram buckets of job durations and queue times: a job is 1 ms to minutes. */
  private static final Duration[] JOB_BUCKETS = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
      10_000, 30_000, 60_000, 300_000);
  /** Histogram buckets of log writes: a write is tens of microseconds to a few hundred milliseconds. */
  private static final Duration[] WRITE_BUCKETS = millis(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250,
      1000);

  /** Histogram buckets of the core's tasks: most take microseconds; past a few milliseconds every realm notices. */
  private static final Duration[] CORE_TASK_BUCKETS = millis(0.1, 1, 2, 5, 10, 20, 50, 100, 250, 1000);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> jobs = new LinkedHashMap<>();
  private final Counter late;
  private final Timer duration;
  private final Timer queued;
  private final Timer writes;
  private final Timer coreTasks;
  private final Counter events;
  private final Counter omitted;
  private final MultiGauge realms;
  private final Supplier<List<RealmState>> snapshot;
  /** Realm kinds are the realms' own words: past this many distinct ones, new ones are counted as {@code other}. */
  static final int MAX_KINDS = 32;

  /** Every (state, kind) seen so far: one that empties is reported as 0, not dropped. */
  private final Map<Tags, Boolean> seen = new LinkedHashMap<>();
  private final Set<String> kinds = new HashSet<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Instant started;
  private final LongSupplier nanoTime;
  private final long startedNanos;

  /**
   * @param snapshot the realms now, taken at each scrape (the broker asks its core thread); null when unknown
   * @param clock the broker's wall clock, for its start time
   * @param nanoTime a monotonic clock (the broker's ticker), for its uptime
   * @param version the broker's version, for {@code daebug_broker_info}
   */
  public PrometheusMetrics(Supplier<List<RealmState>> snapshot, Clock clock, LongSupplier nanoTime, String version) {
    this.snapshot = snapshot;
    this.nanoTime = nanoTime;
    this.startedNanos = nanoTime.getAsLong();
    this.started = clock.instant();
    for (String outcome : OUTCOMES) {
      jobs.put(outcome, Counter.builder("daebug.jobs").description("Jobs ended, by outcome")
          .tag("outcome", outcome).register(registry));
    }
    late = Counter.builder("daebug.jobs.late").description("Results that came after their job had ended")
        .register(registry);
    duration = Timer.builder("daebug.job.duration").description("Time from a job's dispatch to its end")
        .serviceLevelObjectives(JOB_BUCKETS).register(registry);
    queued = Timer.builder("daebug.job.queue").description("Time a job waited in its realm's queue")
        .serviceLevelObjectives(JOB_BUCKETS).register(registry);
    writes = Timer.builder("daebug.journal.write").description("Time of one write of a realm's log")
        .serviceLevelObjectives(WRITE_BUCKETS).register(registry);
    coreTasks = Timer.builder("daebug.core.task")
        .description("Time of one task of the broker's core, during which every realm's work waits")
        .serviceLevelObjectives(CORE_TASK_BUCKETS).register(registry);
    events = Counter.builder("daebug.events").description("Realm events (console lines, uncaught errors) received")
        .register(registry);
    omitted = Counter.builder("daebug.events.omitted")
        .description("Events only counted in an omission line of their log (2/.../8 rule)").register(registry);
    realms = MultiGauge.builder("daebug.realms").description("Realms in the registry, by state and kind")
        .register(registry);
    Gauge.builder("daebug.broker.uptime", this, m -> m.uptime().toMillis() / 1000.0).baseUnit("seconds")
        .description("Time since this broker started").register(registry);
    Gauge.builder("daebug.broker.info", () -> 1).description("The broker's version").tag("version", version)
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /** Where the HTTP server binds its own meters (Jetty connections and threads). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition format (version 0.0.4) of every meter, realm gauges counted now. */
  public synchronized String scrape() {
    List<RealmState> now = snapshot.get();
    if (now != null) { // null: the core did not answer in time; the gauges keep their last counts
      countRealms(now);
    }
    return registry.scrape();
  }

  private void countRealms(List<RealmState> now) {
    Map<Tags, Integer> counts = new LinkedHashMap<>();
    for (RealmState r : now) {
      String kind = String.valueOf(r.kind());
      if (!kinds.contains(kind)) {
        kind = kinds.size() < MAX_KINDS ? kind : "other";
        kinds.add(kind);
      }
      counts.merge(Tags.of("kind", kind, "state", baseState(r.state())), 1, Integer::sum);
    }
    counts.keySet().forEach(t -> seen.put(t, Boolean.TRUE));
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (Tags t : seen.keySet()) {
      int n = counts.getOrDefault(t, 0);
      rows.add(MultiGauge.Row.of(t, n));
    }
    realms.register(rows, true);
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /** Jobs ended by outcome (every outcome, in {@link #OUTCOMES} order), for {@code /-daebug/health}. */
  public Map<String, Long> jobsByOutcome() {
    Map<String, Long> out = new LinkedHashMap<>();
    jobs.forEach((outcome, counter) -> out.put(outcome, (long) counter.count()));
    return out;
  }

  /** When this broker started. */
  public Instant started() {
    return started;
  }

  /** Time since this broker started. */
  public Duration uptime() {
    return Duration.ofNanos(nanoTime.getAsLong() - startedNanos);
  }

  @Override
  public void jobStarted(Duration queue) {
    queued.record(queue);
  }

  @Override
  public void jobEnded(String outcome, Duration ran) {
    Counter c = jobs.get(outcome);
    if (c != null) {
      c.increment();
    }
    if (ran != null) {
      duration.record(ran);
    }
  }

  @Override
  public void lateResult() {
    late.increment();
  }

  @Override
  public void journalWrite(Duration took) {
    writes.record(took);
  }

  @Override
  public void coreTask(long nanos) {
    coreTasks.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void event(boolean omittedOne) {
    events.increment();
    if (omittedOne) {
      omitted.increment();
    }
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  /** {@code queued 3} and {@code unresponsive (busy: ...)} are counted as {@code queued} and {@code unresponsive}. */
  static String baseState(String state) {
    if (state == null || state.isEmpty()) {
      return "unknown";
    }
    int space = state.indexOf(' ');
    return space < 0 ? state : state.substring(0, space);
  }

  private static Duration[] millis(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos((long) (values[i] * TimeUnit.MILLISECONDS.toNanos(1)));
    }
    return out;
  }
}

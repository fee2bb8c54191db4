package io.daebug.it;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.RealmInfo;
import io.daebug.client.realm.JvmRealm;
import io.daebug.client.realm.RealmOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark (a program, not a test): round trips of a trivial job from the Java client through the broker,
 * journaling on, to (a) a JVM realm and (b) a headless Chromium realm, next to a plain WebSocket echo through
 * the broker's own Jetty ({@code /-daebug/echo}) in the same run, so the broker's own cost shows. Prints
 * min/median/p99 microseconds and jobs per second (one at a time, and with 64 in flight).
 *
 * <p>Run: {@code mvn -q -B install -DskipTests && mvn -q -B -pl integration-tests test-compile exec:exec@bench-control}
 * ({@code -Dbench.rounds=N}, default 1000).
 */
public final class ControllerBench {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int IN_FLIGHT = 64;

  private ControllerBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 1000;
    int warmup = Math.max(100, rounds / 5);
    Path root = Files.createTempDirectory("daebug-bench-control-");
    Files.writeString(root.resolve("index.html"),
        "<!doctype html><html><head><title>bench</title></head><body>bench</body></html>");
    List<String> rows = new ArrayList<>();
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0))) {
      URI uri = broker.uri();
      rows.add(row("plain WebSocket echo (/-daebug/echo)", echo(uri, warmup, rounds), echoThroughput(uri, rounds)));
      // answers every job with 2 at once, over the same JDK WebSocket: client -> broker -> realm and back with no
      // evaluation, so what it adds to two echo round trips is the broker's own work (the journal write included)
      WireRealm instant = WireRealm.connect(HttpClient.newHttpClient(), uri, "bench-instant", WireRealm.ANSWER_TWO)
          .get(10, TimeUnit.SECONDS);
      try (DaebugClient client = Daebug.connect(ClientOptions.of(uri).withClientName("bench"))) {
        client.awaitRealm("bench-instant", WAIT);
        JobRequest nothing = JobRequest.of("bench-instant", "1 + 1");
        rows.add(row("client -> broker -> instant realm (answers 2 at once)", jobs(client, nothing, warmup, rounds),
            throughput(client, nothing, rounds)));
      } finally {
        instant.abort();
      }
      try (DaebugClient client = Daebug.connect(ClientOptions.of(uri).withClientName("bench"));
          JvmRealm jvm = JvmRealm.start(RealmOptions.of(uri).withName("bench-jvm"))) {
        jvm.awaitConnected(WAIT);
        client.awaitRealm("bench-jvm", WAIT);
        JobRequest javaJob = JobRequest.of("bench-jvm", "1 + 1");
        rows.add(row("client -> broker -> JVM realm (JShell 1 + 1)", jobs(client, javaJob, warmup, rounds),
            throughput(client, javaJob, rounds)));
        Chromium chromium = Chromium.open(uri.toString());
        try {
          String tab = awaitPage(client);
          JobRequest jsJob = JobRequest.js(tab, "1+1");
          rows.add(row("client -> broker -> Chromium tab (1+1)", jobs(client, jsJob, warmup, rounds),
              throughput(client, jsJob, rounds)));
        } finally {
          chromium.close();
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d rounds after %d warm-up, journaling on (every job's request and reply"
        + " written to daebug/<realm>.md with fsync before its result is sent)%n", rounds, warmup);
    System.out.printf(Locale.ROOT, "%-48s %9s %9s %9s %12s %12s%n", "path", "min us", "median us", "p99 us",
        "jobs/s (1)", "jobs/s (" + IN_FLIGHT + ")");
    rows.forEach(System.out::println);
  }

  private static String row(String what, long[] nanos, double parallelPerSecond) {
    Arrays.sort(nanos);
    double mean = Arrays.stream(nanos).average().orElse(0);
    return String.format(Locale.ROOT, "%-48s %9.0f %9.0f %9.0f %12.0f %12.0f", what, nanos[0] / 1e3,
        nanos[nanos.length / 2] / 1e3, nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e3, 1e9 / mean,
        parallelPerSecond);
  }

  private static long[] jobs(DaebugClient client, JobRequest job, int warmup, int rounds) {
    long[] out = new long[rounds];
    for (int i = 0; i < warmup + rounds; i++) {
      long start = System.nanoTime();
      JobResult r = client.run(job, WAIT);
      long took = System.nanoTime() - start;
      if (r.value().asInt() != 2) {
        throw new IllegalStateException("unexpected value " + r.value());
      }
      if (i >= warmup) {
        out[i - warmup] = took;
      }
    }
    return out;
  }

  /** Jobs per second with {@value #IN_FLIGHT} submitted at a time (they queue in the realm). */
  private static double throughput(DaebugClient client, JobRequest job, int total) throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<JobResult>> window = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      window.add(client.submit(job));
      if (window.size() == IN_FLIGHT) {
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        window.clear();
      }
    }
    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return total / ((System.nanoTime() - start) / 1e9);
  }

  private static String awaitPage(DaebugClient client) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (RealmInfo r : client.realms()) {
        if ("page".equals(r.kind()) && "live".equals(r.state())) {
          return r.name();
        }
      }
      client.refreshRealms().join();
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new IllegalStateException("no Chromium realm within " + WAIT);
  }

  // ---- the plain WebSocket echo ----

  private static long[] echo(URI broker, int warmup, int rounds) throws Exception {
    Echo echo = Echo.open(broker);
    try {
      long[] out = new long[rounds];
      String frame = "{\"type\":\"submit\",\"ref\":\"c-1\",\"realm\":\"bench-jvm\",\"code\":\"1 + 1\"}";
      for (int i = 0; i < warmup + rounds; i++) {
        long start = System.nanoTime();
        echo.roundTrip(frame);
        long took = System.nanoTime() - start;
        if (i >= warmup) {
          out[i - warmup] = took;
        }
      }
      return out;
    } finally {
      echo.close();
    }
  }

  private static double echoThroughput(URI broker, int total) throws Exception {
    Echo echo = Echo.open(broker);
    try {
      long start = System.nanoTime();
      for (int i = 0; i < total; i += IN_FLIGHT) {
        echo.burst("{\"type\":\"submit\",\"ref\":\"c-1\",\"realm\":\"bench-jvm\",\"code\":\"1 + 1\"}",
            Math.min(IN_FLIGHT, total - i));
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      echo.close();
    }
  }

  /** A java.net.http WebSocket on the echo endpoint: the same transport the Java client uses. */
  private static final class Echo implements WebSocket.Listener {
    private final AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();
    private int expected;
    private WebSocket ws;

    static Echo open(URI broker) throws Exception {
      Echo e = new Echo();
      URI echo = URI.create("ws://" + broker.getHost() + ":" + broker.getPort() + "/-daebug/echo");
      e.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(echo, e).get(10, TimeUnit.SECONDS);
      return e;
    }

    void roundTrip(String frame) throws Exception {
      burst(frame, 1);
    }

    void burst(String frame, int n) throws Exception {
      CompletableFuture<Void> done = new CompletableFuture<>();
      synchronized (this) {
        expected = n;
      }
      pending.set(done);
      for (int i = 0; i < n; i++) {
        ws.sendText(frame, true).join();
      }
      done.get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (last) {
        boolean complete;
        synchronized (this) {
          complete = --expected == 0;
        }
        if (complete) {
          pending.get().complete(null);
        }
      }
      webSocket.request(1);
      return null;
    }

    void close() {
      ws.abort();
    }
  }
}

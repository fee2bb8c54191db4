package io.daebug.broker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.transport.ws.FakeRealm;
import io.daebug.broker.transport.ws.WsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Benchmark (a program, not a test) of fairness (issue 12, item 8): how long does one realm's job wait while another
 * client makes the broker work? A probe controller submits 1+1 to realm {@code steady} over and over (each once the
 * last result came) and records each round trip; meanwhile, in turn: nothing (the baseline), a controller that sends
 * 10,000 submits to realm {@code busy} at once, and a realm that connects with a 200 MB log to adopt. Printed per
 * phase: the probe's median, p99 and worst round trip, the worst being the longest stall the other client caused, and
 * from {@code daebug_core_task_seconds} how many of the core's tasks in the phase took longer than 5, 20 and 100 ms
 * and the bucket of the longest: the time the core itself was held, apart from the machine's and the collector's.
 * Default limits: past {@code --max-queue} (1,000) the burst's submits are refused ({@code queue-full}).
 *
 * <p>Run: {@code mvn -q -o -B -pl broker test-compile exec:exec@stall-bench} ({@code -Dbench.burst=10000
 * -Dbench.bigLogMb=200}).
 */
public final class StallBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CORE_BUCKET =
      Pattern.compile("(?m)^daebug_core_task_seconds_bucket\\{le=\"([^\"]+)\"} ([0-9.eE+]+)$");
  private static URI metrics;

  private StallBench() {}

  public static void main(String[] args) throws Exception {
    int burst = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int bigMb = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String phases = args.length > 2 ? args[2] : "burst,adopt";
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path root = Files.createTempDirectory("daebug-stall-");
    Files.createDirectories(root.resolve("daebug"));
    BigLogBench.pad(root.resolve("daebug").resolve("big.md"), "big", bigMb * 1024L * 1024L);
    WebSocketClient client = new WebSocketClient();
    client.start();
    List<AutoCloseable> open = new ArrayList<>();
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0))) {
      URI realmUri = URI.create("ws://127.0.0.1:" + broker.port() + WsServer.REALM_PATH);
      URI controlUri = URI.create("ws://127.0.0.1:" + broker.port() + WsServer.CONTROL_PATH);
      metrics = URI.create("http://127.0.0.1:" + broker.port() + "/-daebug/metrics");
      for (String name : List.of("steady", "busy")) {
        FakeRealm realm = FakeRealm.connect(client, realmUri, Map.of());
        open.add(realm);
        realm.hello(name, "tab-" + name);
        Thread t = new Thread(() -> answer(realm), "bench-realm-" + name);
        t.setDaemon(true);
        t.start();
      }
      Controller probe = Controller.connect(client, controlUri, "probe");
      Controller blaster = Controller.connect(client, controlUri, "blaster");
      open.add(probe);
      open.add(blaster);
      System.out.printf(Locale.ROOT, "probe: 1+1 to realm steady, one at a time; others: %,d submits at once, a %d MB"
          + " log adopted%n", burst, bigMb);

      phase("baseline (nothing else)", probe, () -> sleep(3000));
      phase(!phases.contains("burst") ? null : String.format(Locale.ROOT, "%,d submits from one controller", burst),
          probe, () -> {
        for (int i = 0; i < burst; i++) {
          blaster.send("{\"type\":\"submit\",\"ref\":\"b" + i + "\",\"realm\":\"busy\",\"code\":\"1+1 // " + i + "\"}");
        }
        blaster.awaitAnswers(burst); // a result each, or a queue-full error past --max-queue (1,000)
      });
      phase(!phases.contains("adopt") ? null : bigMb + " MB log adopted", probe, () -> {
        FakeRealm big = FakeRealm.connect(client, realmUri, Map.of());
        open.add(big);
        big.sendHello("big", "tab-big");
        for (int waited = 0; big.pending() == 0 && waited < 300_000; waited += 10) {
          sleep(10); // the welcome comes once the log is read (on the primer thread, or the core before)
        }
        big.awaitWelcome();
      });
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
      client.stop();
      BigLogBench.deleteAll(root);
    }
  }

  /** Runs the probe while {@code load} runs, and prints its round trips. */
  private static void phase(String what, Controller probe, ThrowingRunnable load) throws Exception {
    if (what == null) {
      return; // not asked for
    }
    AtomicBoolean done = new AtomicBoolean();
    List<Double> ms = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Map<Double, Double> coreBefore = coreBuckets();
    Thread t = new Thread(() -> {
      int n = 0;
      while (!done.get()) {
        long start = System.nanoTime();
        probe.send("{\"type\":\"submit\",\"ref\":\"p" + n++ + "\",\"realm\":\"steady\",\"code\":\"1+1\"}");
        probe.awaitAnswers(1);
        ms.add((System.nanoTime() - start) / 1e6);
      }
      stopped.countDown();
    }, "bench-probe");
    t.start();
    long started = System.nanoTime();
    load.run();
    double took = (System.nanoTime() - started) / 1e6;
    done.set(true);
    stopped.await();
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "%-32s %5d probe jobs in %6.0f ms: median %6.1f ms, p99 %7.1f ms, worst %7.1f ms%n",
        what, sorted.length, took, sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)],
        sorted[sorted.length - 1]);
    Map<Double, Double> coreAfter = coreBuckets();
    if (coreAfter.isEmpty()) {
      System.out.println("  (this broker has no daebug_core_task_seconds)");
      return;
    }
    double tasks = coreAfter.get(Double.POSITIVE_INFINITY) - coreBefore.get(Double.POSITIVE_INFINITY);
    double longestAbove = 0;
    double longestUpTo = 0;
    for (Map.Entry<Double, Double> e : coreAfter.entrySet()) { // cumulative: past the last bucket that grew by all
      double grew = e.getValue() - coreBefore.get(e.getKey());
      if (grew < tasks) {
        longestAbove = e.getKey();
      } else if (longestUpTo == 0) {
        longestUpTo = e.getKey();
      }
    }
    System.out.printf(Locale.ROOT, "%-32s %,.0f core tasks, over 5 ms: %.0f, over 20 ms: %.0f, over 100 ms: %.0f;"
        + " longest %.1f to %.1f ms%n", "", tasks, tasks - grew(coreBefore, coreAfter, 0.005),
        tasks - grew(coreBefore, coreAfter, 0.02), tasks - grew(coreBefore, coreAfter, 0.1), longestAbove * 1000,
        longestUpTo * 1000);
  }

  private static double grew(Map<Double, Double> before, Map<Double, Double> after, double le) {
    return after.get(le) - before.get(le);
  }

  /** The core task histogram's cumulative buckets, upper bound in seconds to count; empty when there is none. */
  private static Map<Double, Double> coreBuckets() throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<Double, Double> out = new TreeMap<>();
    Matcher m = CORE_BUCKET.matcher(text);
    while (m.find()) {
      out.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
          Double.parseDouble(m.group(2)));
    }
    return out; // empty for a broker from before the histogram, run side by side with this one
  }

  private static void answer(FakeRealm realm) {
    while (true) {
      RunJob job;
      try {
        job = realm.awaitJob();
      } catch (AssertionError e) {
        if (!realm.isOpen()) {
          return;
        }
        continue;
      }
      realm.sendResult(job.id(), "2");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** A minimal controller: sends raw frames, counts the answers to its submits ({@code result} or {@code error}). */
  public static final class Controller implements Session.Listener.AutoDemanding, AutoCloseable {
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private volatile Session session;

    static Controller connect(WebSocketClient client, URI uri, String name) throws Exception {
      Controller c = new Controller();
      client.connect(c, uri).get(10, TimeUnit.SECONDS);
      c.send("{\"type\":\"hello\",\"name\":\"" + name + "\",\"protocol\":1}");
      return c;
    }

    @Override
    public void onWebSocketOpen(Session s) {
      session = s;
    }

    @Override
    public void onWebSocketText(String text) {
      try {
        JsonNode m = JSON.readTree(text);
        String type = m.path("type").asText();
        if (type.equals("result") || (type.equals("error") && m.has("ref"))) {
          answers.add(m);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void send(String frame) {
      session.sendText(frame, Callback.NOOP);
    }

    void awaitAnswers(int n) {
      try {
        for (int i = 0; i < n; i++) {
          if (answers.poll(120, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("no answer within 120 s (" + i + " of " + n + ")");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      Session s = session;
      if (s != null) {
        s.close();
      }
    }
  }
}

package io.daebug.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (a program, not a test): the broker's memory per idle connected realm. Starts the broker jar as a process
 * ({@code --max-realms-per-address 5000}), connects a few warm-up realms, measures its heap after a full GC
 * ({@code jcmd PID GC.run}, then {@code GC.heap_info}) and its resident set ({@code VmRSS} in
 * {@code /proc/PID/status}), connects N more realms (default 2,000), lets them answer pings for a few intervals,
 * measures again and prints bytes per realm.
 *
 * <p>The realms are minimal, in this JVM: a {@link WireRealm} each (one shared HttpClient), sending the realm
 * protocol's {@code hello} and answering pings (the JDK client sends pongs by itself). Each gets its name, a
 * log file and a line in {@code daebug.md}, like any realm; none runs a job.
 *
 * <p>Run: {@code mvn -q -B -pl integration-tests test-compile exec:exec@memory-bench} after building the jar
 * ({@code -Dbench.realms=2000}).
 */
public final class MemoryBench {
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);
  private static final Pattern THREADS = Pattern.compile("^Threads:\\s+(\\d+)", Pattern.MULTILINE);
  private static final int WARMUP = 50;
  private static final Duration PING = Duration.ofSeconds(1);

  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 2000;
    Path root = Files.createTempDirectory("daebug-memory-bench-");
    HttpClient http = HttpClient.newHttpClient();
    List<WireRealm> sockets = new ArrayList<>();
    try (BrokerProcess broker = BrokerProcess.start(root, "--max-realms-per-address", "5000", "--ping-interval",
        PING.toMillis() + "ms", "--unresponsive-after", PING.multipliedBy(3).toMillis() + "ms")) {
      long pid = broker.process().pid();
      URI realm = URI.create("http://127.0.0.1:" + broker.port() + "/");
      URI health = URI.create("http://127.0.0.1:" + broker.port() + "/-daebug/health");
      AtomicInteger welcomed = new AtomicInteger();

      connect(http, realm, "warm", WARMUP, sockets, welcomed);
      awaitLive(http, health, WARMUP, welcomed);
      settle();
      Sample before = sample(pid);
      System.out.printf(Locale.ROOT, "%d realms: heap after GC %,d KiB, RSS %,d KiB, %d threads, %d fds%n", WARMUP,
          before.heapKiB, before.rssKiB, before.threads, before.fds);

      long start = System.nanoTime();
      connect(http, realm, "idle", count, sockets, welcomed);
      awaitLive(http, health, WARMUP + count, welcomed);
      System.out.printf(Locale.ROOT, "%d more realms connected and listed live in %.1f s%n", count,
          (System.nanoTime() - start) / 1e9);
      settle();
      Sample after = sample(pid);
      System.out.printf(Locale.ROOT, "%d realms: heap after GC %,d KiB, RSS %,d KiB, %d threads, %d fds%n",
          WARMUP + count, after.heapKiB, after.rssKiB, after.threads, after.fds);
      System.out.printf(Locale.ROOT, "per idle realm: %,d bytes of heap (live objects after GC), %,d bytes of RSS%n",
          (after.heapKiB - before.heapKiB) * 1024 / count, (after.rssKiB - before.rssKiB) * 1024 / count);
      awaitLive(http, health, WARMUP + count, welcomed);
      System.out.println("all realms still live after the measurement (pings answered)");
    } finally {
      for (WireRealm s : sockets) {
        s.abort();
      }
      TempDirs.deleteTree(root);
    }
  }

  /** Opens {@code n} realms named {@code prefix-i}, 50 handshakes at a time; each says hello once open. */
  private static void connect(HttpClient http, URI broker, String prefix, int n, List<WireRealm> out,
      AtomicInteger welcomed) {
    List<CompletableFuture<WireRealm>> batch = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      batch.add(WireRealm.connect(http, broker, prefix + "-" + i, WireRealm.IGNORE));
      if (batch.size() == 50 || i == n) {
        for (CompletableFuture<WireRealm> f : batch) {
          WireRealm realm = f.join();
          realm.welcome().thenRun(welcomed::incrementAndGet);
          out.add(realm);
        }
        batch.clear();
      }
    }
  }

  /** Waits until {@code n} realms were welcomed and the broker's health lists {@code n} realms, all live. */
  private static void awaitLive(HttpClient http, URI health, int n, AtomicInteger welcomed) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    String body = "";
    while (System.nanoTime() < deadline) {
      if (welcomed.get() >= n) {
        body = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body();
        int live = count(body, "\"state\":\"live\"");
        int all = count(body, "\"name\":");
        if (live == n && all == n) {
          return;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new IllegalStateException("expected " + n + " live realms, welcomed " + welcomed.get() + "; health: "
        + body.substring(0, Math.min(body.length(), 2000)));
  }

  /** Several ping intervals, so every realm has been pinged and has answered before a measurement. */
  private static void settle() {
    LockSupport.parkNanos(PING.multipliedBy(5).toNanos());
  }

  private record Sample(long heapKiB, long rssKiB, long threads, long fds) {}

  private static Sample sample(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    jcmd(pid, "GC.run");
    String heap = jcmd(pid, "GC.heap_info");
    Matcher used = HEAP_USED.matcher(heap);
    if (!used.find()) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info:\n" + heap);
    }
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    Matcher rss = VM_RSS.matcher(status);
    Matcher threads = THREADS.matcher(status);
    if (!rss.find() || !threads.find()) {
      throw new IllegalStateException("no VmRSS or Threads in /proc/" + pid + "/status");
    }
    long fds;
    try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = list.count();
    }
    return new Sample(Long.parseLong(used.group(1)), Long.parseLong(rss.group(1)), Long.parseLong(threads.group(1)),
        fds);
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
    }
    return out;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}

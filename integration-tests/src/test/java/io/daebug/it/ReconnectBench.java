package io.daebug.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (a program, not a test): how long realms take to be registered again after the broker restarts. The
 * broker jar runs with a Node realm and a headless Chromium tab connected; N times (default 20) it is killed
 * (SIGKILL) and started again on the same port and root, and the program measures, for each realm, the time from
 * the new broker accepting TCP connections (polled with a connect every millisecond) to the realm's {@code live}
 * line in {@code daebug.md} (polled with a stat every 100 µs), and to the broker's log line saying it handled the
 * realm's hello (millisecond timestamps). Before each kill the realms stay connected for
 * longer than the client's {@code minUptimeMs} (5 s), so every restart starts from a reset backoff, as after a
 * broker that ran for a while. Prints min, median, p90 and max per realm, and the JVM's own restart time.
 *
 * <p>The figure is dominated by the client's backoff ({@code client-js/src/socket.js} {@code DEFAULTS}: first retry
 * after 250 ms, then x1.5 per failed attempt, +/-30 % jitter, at most 10 s): the realm learns that the broker is back
 * only at its next attempt.
 *
 * <p>Run: {@code mvn -q -B -pl integration-tests test-compile exec:exec@reconnect-bench} after building the jar
 * ({@code -Dbench.restarts=20 -Dbench.uptime=6} are the defaults).
 */
public final class ReconnectBench {
  private ReconnectBench() {}

  public static void main(String[] args) throws Exception {
    int restarts = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    long uptimeMs = TimeUnit.SECONDS.toMillis(args.length > 1 ? Long.parseLong(args[1]) : 6);
    Path root = Files.createTempDirectory("daebug-reconnect-bench-");
    Pages.write(root, "bench.html");
    BrokerProcess broker = BrokerProcess.start(root);
    String base = broker.awaitUri().toString();
    int port = broker.port();
    Path registry = root.resolve("daebug.md");
    List<Double> node = new ArrayList<>();
    List<Double> tab = new ArrayList<>();
    List<Double> nodeHello = new ArrayList<>();
    List<Double> tabHello = new ArrayList<>();
    List<Double> jvm = new ArrayList<>();
    List<Double> cold = new ArrayList<>();
    try {
      try (Chromium chromium = Chromium.launch();
          NodeRealmProcess realm = NodeRealmProcess.start(broker.awaitUri(), "bench-node", root)) {
        chromium.openTab(base + "bench.html");
        String tabName = awaitLive(registry, Pattern.quote(base + "bench.html"), 30_000);
        String nodeUrl = "node://" + realm.pid() + "@[^)\\s]+";
        awaitLive(registry, nodeUrl, 30_000);
        System.out.printf("realms: Node bench-node (pid %d), Chromium tab %s; %d restarts, %d ms up before each%n",
            realm.pid(), tabName, restarts, uptimeMs);
        for (int i = 1; i <= restarts; i++) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(uptimeMs));
          broker.kill();
          long killed = System.nanoTime();
          Files.deleteIfExists(registry); // what is listed from now on is the new broker's
          broker = BrokerProcess.start(root, "--port", String.valueOf(port));
          long accepting = awaitAccepting(port);
          LocalTime acceptingWall = LocalTime.now();
          long[] seen = awaitBoth(registry, Pattern.quote(base + "bench.html"), nodeUrl);
          jvm.add((accepting - killed) / 1e6);
          node.add((seen[1] - accepting) / 1e6);
          tab.add((seen[0] - accepting) / 1e6);
          nodeHello.add(helloAfter(broker.output(), "bench-node", acceptingWall));
          tabHello.add(helloAfter(broker.output(), tabName, acceptingWall));
          System.out.printf(Locale.ROOT, "restart %2d: accepting %5.0f ms after the kill; hello handled after %5.0f ms"
              + " (node), %5.0f ms (tab); listed again after %6.1f ms (node), %6.1f ms (tab)%n", i, jvm.get(i - 1),
              nodeHello.get(i - 1), tabHello.get(i - 1), node.get(i - 1), tab.get(i - 1));
        }
      }
      // What the realms cannot do faster: a realm connecting the moment the port accepts, on a cold broker.
      for (int i = 1; i <= 5; i++) {
        broker.kill();
        broker = BrokerProcess.start(root, "--port", String.valueOf(port));
        awaitAccepting(port);
        cold.add(coldWelcome(port));
      }
    } finally {
      broker.close();
      TempDirs.deleteTree(root);
    }
    System.out.println(summary("Node realm: accepting -> hello handled (broker log, ms resolution)", nodeHello));
    System.out.println(summary("Chromium tab: accepting -> hello handled (broker log, ms resolution)", tabHello));
    System.out.println(summary("Node realm: accepting -> listed live in daebug.md", node));
    System.out.println(summary("Chromium tab: accepting -> listed live in daebug.md", tab));
    System.out.println(summary("broker JVM: SIGKILL -> accepting", jvm));
    System.out.println(summary("cold broker: a realm opening its socket as the port accepts -> welcome", cold));
  }

  static String summary(String what, List<Double> samples) {
    double[] ms = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(Locale.ROOT, "%s, %d samples: min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms", what,
        ms.length, ms[0], median(ms), ms[(int) Math.ceil(ms.length * 0.9) - 1], ms[ms.length - 1]);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * Milliseconds from {@code since} to the broker's {@code HH:MM:SS.mmm INFO ... realm NAME connected} line: when
   * it handled the realm's hello (the broker logs it before it writes the registry).
   */
  private static double helloAfter(String output, String name, LocalTime since) {
    Matcher m = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) INFO  RealmSessions - realm " + Pattern.quote(name)
        + " connected ", Pattern.MULTILINE).matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no connect line for " + name + " in:\n" + output);
    }
    return Duration.between(since, LocalTime.parse(m.group(1))).toNanos() / 1e6;
  }

  /** Milliseconds from opening a realm socket (JDK WebSocket) to its welcome. */
  private static double coldWelcome(int port) {
    long start = System.nanoTime();
    CompletableFuture<Long> welcome = new CompletableFuture<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/-daebug/realm"), new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket ws) {
            ws.request(Long.MAX_VALUE);
            ws.sendText("{\"type\":\"hello\",\"name\":\"cold-probe\",\"kind\":\"jvm\",\"url\":\"bench://cold\","
                + "\"language\":\"javascript\",\"protocol\":1}", true);
          }

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            welcome.complete(System.nanoTime());
            return null;
          }
        }).join();
    try {
      return (welcome.get(60, TimeUnit.SECONDS) - start) / 1e6;
    } catch (Exception e) {
      throw new IllegalStateException("no welcome", e);
    } finally {
      socket.abort();
    }
  }

  /** The first moment a TCP connect to the port succeeds (a connect attempt every millisecond). */
  private static long awaitAccepting(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return System.nanoTime();
      } catch (IOException e) {
        TimeUnit.MILLISECONDS.sleep(1);
      }
    }
    throw new IllegalStateException("the broker did not accept connections on port " + port + " within 60 s");
  }

  /** Waits until both realms are listed live; returns when each was first seen (tab, node). */
  private static long[] awaitBoth(Path registry, String tabUrl, String nodeUrl) {
    Pattern tab = livePattern(tabUrl);
    Pattern node = livePattern(nodeUrl);
    long[] seen = {0, 0};
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Object last = null;
    while (seen[0] == 0 || seen[1] == 0) {
      Object now = stamp(registry);
      if (now != null && !now.equals(last)) {
        last = now;
        String text = read(registry);
        long t = System.nanoTime();
        if (seen[0] == 0 && tab.matcher(text).find()) {
          seen[0] = t;
        }
        if (seen[1] == 0 && node.matcher(text).find()) {
          seen[1] = t;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("realms not listed again within 60 s:\n" + read(registry));
      }
      LockSupport.parkNanos(100_000);
    }
    return seen;
  }

  /** Waits until a realm living at a URL matching {@code urlRegex} is listed live; returns its name. */
  private static String awaitLive(Path registry, String urlRegex, long timeoutMs) {
    Pattern p = livePattern(urlRegex);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      Matcher m = p.matcher(read(registry));
      if (m.find()) {
        return m.group(1);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new IllegalStateException("no live realm at " + urlRegex + " within " + timeoutMs + " ms:\n" + read(registry));
  }

  private static Pattern livePattern(String urlRegex) {
    return Pattern.compile("^\\* \\[([a-z0-9-]+)\\]\\(daebug/\\1\\.md\\) \\(" + urlRegex
        + "\\) at \\d\\d:\\d\\d:\\d\\d: live$", Pattern.MULTILINE);
  }

  private static Object stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
    } catch (IOException e) {
      return null;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return ""; // missing, or replaced while read
    }
  }
}

package io.daebug.it;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (a program, not a test): appends a {@code 1+1} request to a live headless Chromium realm's
 * log N times (default 100, after 10 warm-up rounds) and prints min/median/p99 milliseconds from the
 * moment the append returns to the moment the complete reply is in the file.
 *
 * <p>Run: {@code mvn -q -B install -DskipTests && mvn -q -B -pl integration-tests test-compile exec:exec@bench}
 */
public final class LatencyBench {
  private static final Pattern REGISTRY_LINE = Pattern.compile("\\* \\[([a-z0-9-]+)\\]\\(daebug/");
  private static final String REQUEST = "```js\n1+1\n```\n";
  private static final String REPLY_VALUE = "```JSON\n2\n```\n";

  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int warmup = 10;
    Path root = Files.createTempDirectory("daebug-bench-");
    Files.writeString(root.resolve("index.html"),
        "<!doctype html><html><head><title>bench</title></head><body>bench</body></html>");
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0));
        Chromium chromium = Chromium.open(broker.uri().toString())) {
      Path log = awaitRealmLog(root, chromium);
      double[] ms = new double[rounds];
      for (int i = 0; i < warmup + rounds; i++) {
        long took = roundTrip(log, i + 1);
        if (i >= warmup) {
          ms[i - warmup] = took / 1e6;
        }
      }
      Arrays.sort(ms);
      System.out.printf(Locale.ROOT, "append -> reply in file, %d rounds (1+1 in headless Chromium): "
          + "min %.2f ms, median %.2f ms, p99 %.2f ms, max %.2f ms%n", rounds, ms[0], ms[rounds / 2],
          ms[(int) Math.ceil(rounds * 0.99) - 1], ms[rounds - 1]);
    }
  }

  /**
   * Appends one request and waits until the file holds {@code expected} replies: a {@code stat} every
   * 100 µs (about 2 µs of CPU each), and a read only when the file changed, so the benchmark's own
   * detection adds at most ~0.1 ms and does not compete with the broker and Chromium for the CPU.
   */
  private static long roundTrip(Path log, int expected) throws Exception {
    long start = System.nanoTime();
    Files.writeString(log, REQUEST, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    Object seen = null;
    while (true) {
      BasicFileAttributes a = Files.readAttributes(log, BasicFileAttributes.class);
      Object now = List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
      if (!now.equals(seen)) {
        seen = now;
        if (count(LogFile.read(log), REPLY_VALUE) >= expected) {
          return System.nanoTime() - start;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no reply within 30 s; log:\n" + LogFile.read(log));
      }
      LockSupport.parkNanos(100_000);
    }
  }

  private static Path awaitRealmLog(Path root, Chromium chromium) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && chromium.isAlive()) {
      Path registry = root.resolve("daebug.md");
      if (Files.exists(registry)) {
        Matcher m = REGISTRY_LINE.matcher(Files.readString(registry));
        if (m.find() && Files.exists(root.resolve("daebug/" + m.group(1) + ".md"))) {
          return root.resolve("daebug/" + m.group(1) + ".md");
        }
      }
      LockSupport.parkNanos(10_000_000);
    }
    throw new IllegalStateException("no realm registered within 30 s (chromium alive: " + chromium.isAlive() + ")");
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}

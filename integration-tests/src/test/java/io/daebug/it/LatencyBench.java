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
 * moment the append returns to the moment the complete reply is in the file. A standalone Python realm
 * ({@code python3 -m daebug}, see {@link PythonRealmProcess}) on the same broker gets the same {@code 1+1}
 * in a {@code python} fence, its rounds interleaved with Chromium's so both see the same machine load;
 * its figures are printed on a second line.
 *
 * <p>Run: {@code mvn -q -B install -DskipTests && mvn -q -B -pl integration-tests test-compile exec:exec@bench}
 */
public final class LatencyBench {
  private static final Pattern REGISTRY_LINE = Pattern.compile("\\* \\[([a-z0-9-]+)\\]\\(daebug/[^)]+\\) \\(http");
  private static final String REQUEST = "```js\n1+1\n```\n";
  private static final String PYTHON_REQUEST = "```python\n1+1\n```\n";
  private static final String REPLY_VALUE = "```JSON\n2\n```\n";

  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int warmup = 10;
    Path root = Files.createTempDirectory("daebug-bench-");
    Files.writeString(root.resolve("index.html"),
        "<!doctype html><html><head><title>bench</title></head><body>bench</body></html>");
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0));
        Chromium chromium = Chromium.open(broker.uri().toString());
        PythonRealmProcess python = PythonRealmProcess.start(broker.uri(), "bench-py", root)) {
      Path log = awaitRealmLog(root, chromium);
      Path pyLog = root.resolve("daebug/bench-py.md");
      awaitFooter(pyLog, python);
      double[] ms = new double[rounds];
      double[] pyMs = new double[rounds];
      for (int i = 0; i < warmup + rounds; i++) {
        long took = roundTrip(log, REQUEST, i + 1);
        long pyTook = roundTrip(pyLog, PYTHON_REQUEST, i + 1);
        if (i >= warmup) {
          ms[i - warmup] = took / 1e6;
          pyMs[i - warmup] = pyTook / 1e6;
        }
      }
      print(rounds, "headless Chromium", ms);
      print(rounds, "Python " + pythonVersion(), pyMs);
    }
  }

  private static void print(int rounds, String realm, double[] ms) {
    Arrays.sort(ms);
    System.out.printf(Locale.ROOT, "append -> reply in file, %d rounds (1+1 in %s): "
        + "min %.2f ms, median %.2f ms, p99 %.2f ms, max %.2f ms%n", rounds, realm, ms[0], ms[rounds / 2],
        ms[(int) Math.ceil(rounds * 0.99) - 1], ms[rounds - 1]);
  }

  private static String pythonVersion() throws Exception {
    Process p = new ProcessBuilder(PythonRealmProcess.PYTHON, "--version").redirectErrorStream(true).start();
    String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return version.replace("Python ", "");
  }

  /** Waits until the Python realm's log exists and ends with its footer. */
  private static void awaitFooter(Path log, PythonRealmProcess python) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!LogFile.read(log).endsWith(LogFile.PYTHON_FOOTER)) {
      if (System.nanoTime() > deadline || !python.isAlive()) {
        throw new IllegalStateException("the Python realm did not connect within 30 s:\n" + python.output());
      }
      LockSupport.parkNanos(10_000_000);
    }
  }

  /**
   * Appends one request and waits until the file holds {@code expected} replies: a {@code stat} every
   * 100 µs (about 2 µs of CPU each), and a read only when the file changed, so the benchmark's own
   * detection adds at most ~0.1 ms and does not compete with the broker and Chromium for the CPU.
   */
  private static long roundTrip(Path log, String request, int expected) throws Exception {
    long start = System.nanoTime();
    Files.writeString(log, request, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
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

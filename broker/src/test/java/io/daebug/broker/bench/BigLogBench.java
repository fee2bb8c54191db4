package io.daebug.broker.bench;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.transport.ws.FakeRealm;
import io.daebug.broker.transport.ws.WsServer;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Benchmark (a program, not a test): does a job get slower as its realm's log grows? One real broker adopts
 * one log per starting size (default 0, 10 and 50 MB of realistic earlier requests, replies and console
 * output), a scripted realm per log answers every job at once, and an agent appends N requests (default
 * 1,000, after 20 warm-up ones) to each file, each once the previous reply is in the file, the sizes taking
 * turns job by job so that the machine's load falls on all of them alike.
 * Printed per size: median and p99 milliseconds from the append to the complete reply in the file (what
 * the agent sees), and from the moment the realm got the job (the request was accepted) to the reply in
 * the file.
 *
 * <p>Run: {@code mvn -q -o -B -pl broker test-compile exec:exec@big-log-bench} (sizes and count:
 * {@code -Dbench.sizes=0,10,50 -Dbench.jobs=1000}).
 */
public final class BigLogBench {
  private static final String REALM = "bench";
  private static final int WARMUP = 20;
  private static final int TAIL = 16 * 1024;
  /** {@code -Ddaebug.journal.historyAbove} (the exec execution sets it), read here at the edge as Main does. */
  private static final io.daebug.broker.journal.WriteOptions WRITES =
      io.daebug.broker.config.SystemProperties.writes(System.getProperties());

  private BigLogBench() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "0,10,50").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    // One INFO line per job would time the console, not the journal.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    System.out.printf(Locale.ROOT, "%d jobs per size after %d warm-up, 1+1 answered at once by a scripted realm;"
        + " sizes take turns job by job, so machine load falls on all of them alike; history moved out of a log above %s"
        + " bytes%n", jobs, WARMUP, WRITES.historyAbove());
    Path root = Files.createTempDirectory("daebug-big-log-");
    Path[] logs = new Path[sizes.length];
    long[] startSizes = new long[sizes.length];
    Files.createDirectories(root.resolve("daebug"));
    for (int s = 0; s < sizes.length; s++) {
      logs[s] = root.resolve("daebug").resolve(REALM + "-" + s + ".md");
      pad(logs[s], REALM + "-" + s, sizes[s] * 1024L * 1024L);
      startSizes[s] = Files.size(logs[s]);
    }
    Map<String, Long> received = new ConcurrentHashMap<>();
    WebSocketClient client = new WebSocketClient();
    client.start();
    List<FakeRealm> realms = new java.util.ArrayList<>();
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0).withWrites(WRITES))) {
      for (int s = 0; s < sizes.length; s++) {
        FakeRealm realm = FakeRealm.connect(client, URI.create("ws://127.0.0.1:" + broker.port() + WsServer.REALM_PATH),
            Map.of());
        realms.add(realm);
        long adopting = System.nanoTime();
        realm.sendHello(REALM + "-" + s, null);
        realm.next(io.daebug.broker.protocol.Welcome.class, java.time.Duration.ofMinutes(2)); // a big log on a busy machine
        Thread answering = new Thread(() -> answer(realm, received), "bench-realm-" + s);
        answering.setDaemon(true);
        answering.start();
        appendAndAwait(logs[s], "'adopted' // " + s);
        System.out.printf(Locale.ROOT, "log %2d MB adopted: first job answered %.0f ms after hello%n", sizes[s],
            (System.nanoTime() - adopting) / 1e6);
      }
      double[][] appendToReply = new double[sizes.length][jobs];
      double[][] acceptToReply = new double[sizes.length][jobs];
      for (int i = 0; i < WARMUP + jobs; i++) {
        for (int s = 0; s < sizes.length; s++) {
          String code = "1+1 // #" + s + "-" + i;
          long appended = System.nanoTime();
          long replied = appendAndAwait(logs[s], code);
          if (i >= WARMUP) {
            appendToReply[s][i - WARMUP] = (replied - appended) / 1e6;
            acceptToReply[s][i - WARMUP] = (replied - received.get(code)) / 1e6;
          }
          received.remove(code);
        }
      }
      double[] medians = new double[sizes.length];
      for (int s = 0; s < sizes.length; s++) {
        medians[s] = median(acceptToReply[s]);
        System.out.printf(Locale.ROOT, "log %2d MB (%,d bytes at start, %,d at end): append -> reply %s;"
            + " accepted -> reply %s%n", sizes[s], startSizes[s], Files.size(logs[s]), stats(appendToReply[s]),
            stats(acceptToReply[s]));
      }
      double lo = Arrays.stream(medians).min().orElse(0);
      double hi = Arrays.stream(medians).max().orElse(0);
      System.out.printf(Locale.ROOT, "accepted -> reply medians: largest %.1f%% above smallest%n", (hi / lo - 1) * 100);
    } finally {
      for (FakeRealm realm : realms) {
        realm.close();
      }
      client.stop();
      deleteAll(root);
    }
  }

  /** Appends a request for {@code code} and returns when its reply is complete in the file. */
  private static long appendAndAwait(Path log, String code) throws Exception {
    Files.writeString(log, "```js\n" + code + "\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    return awaitReply(log, code);
  }

  private static double median(double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The scripted realm: answers every job with 2 as soon as it arrives, noting when it arrived. */
  private static void answer(FakeRealm realm, Map<String, Long> received) {
    while (!Thread.currentThread().isInterrupted()) {
      RunJob job;
      try {
        job = realm.awaitJob();
      } catch (AssertionError e) {
        continue; // no job for 5 s: keep waiting
      }
      received.put(job.code(), System.nanoTime());
      realm.sendResult(job.id(), "2");
    }
  }

  /**
   * Waits until the complete reply to {@code code} is in the file: a {@code stat} every 100 µs, and a read
   * of the file's last 16 KB only when it changed, so watching costs the same however big the log is.
   */
  private static long awaitReply(Path log, String code) throws Exception {
    String realm = log.getFileName().toString().replaceFirst("\\.md$", "");
    String done = code + "\n```\n#### \uD83D\uDC4D" + realm + " to agent at ";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Object seen = null;
    while (System.nanoTime() < deadline) {
      Object now = stamp(log);
      if (now != null && !now.equals(seen)) {
        seen = now;
        String tail = tail(log);
        int at = tail.indexOf(done);
        if (at >= 0) {
          int eol = tail.indexOf('\n', at + done.length());
          if (eol > 0 && tail.charAt(eol - 1) == ')' && tail.startsWith("```JSON\n2\n```", eol + 1)) {
            return System.nanoTime();
          }
        }
      }
      LockSupport.parkNanos(100_000);
    }
    throw new IllegalStateException("no reply to " + code + " within 120 s; end of the log:\n" + tail(log));
  }

  private static Object stamp(Path p) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static String tail(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, TAIL));
      ch.read(buf, size - buf.capacity());
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes a log of about {@code bytes} bytes as a long session leaves it: the title and guide, then
   * requests with prose, replies with JSON and text values of varied sizes, console output, a failure now
   * and then and background blocks, and the footer.
   */
  public static void pad(Path log, String realm, long bytes) throws IOException {
    Random r = new Random(42);
    try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String title = "# " + realm + " Session\n\nThis file is a live REPL into the realm `" + realm + "`.\n\n";
      w.write(title);
      long written = title.length();
      int i = 0;
      while (written < bytes) {
        StringBuilder b = new StringBuilder();
        String time = String.format(Locale.ROOT, "%02d:%02d:%02d", 9 + i / 3600 % 12, i / 60 % 60, i % 60);
        b.append("### \uD83D\uDDE3\uFE0Fclaude to ").append(realm).append(" at ").append(time).append('\n');
        b.append("Checking how many widgets rendered after step ").append(i).append(".\n");
        b.append("```js\ndocument.querySelectorAll('.widget').length + ").append(i).append("\n```\n");
        if (r.nextInt(20) == 0) {
          b.append("#### \uD83D\uDEAB").append(realm).append(" to claude at ").append(time).append(" (3ms)\n")
              .append("```Error\nTypeError: Cannot read properties of undefined (reading 'length')\n")
              .append("    at <anonymous>:1:40\n```\n");
        } else {
          b.append("#### \uD83D\uDC4D").append(realm).append(" to claude at ").append(time).append(" (")
              .append(1 + r.nextInt(40)).append("ms)\n```JSON\n{\n");
          int fields = 1 + r.nextInt(12);
          for (int f = 0; f < fields; f++) {
            b.append("  \"field").append(f).append("\": \"").append("value ".repeat(1 + r.nextInt(6)).trim())
                .append('"').append(f + 1 < fields ? ",\n" : "\n");
          }
          b.append("}\n```\n");
        }
        int events = r.nextInt(4);
        for (int e = 0; e < events; e++) {
          b.append("##### \u2611\uFE0Fconsole.log\n```Text console.log\n").append(time)
              .append(" rendered widget ").append(r.nextInt(1000)).append(" in ").append(r.nextInt(50)).append("ms\n```\n");
        }
        if (r.nextInt(10) == 0) {
          b.append("\n### \uD83D\uDDE3\uFE0F").append(realm).append(" background at ").append(time)
              .append("\n##### \uD83C\uDD98console.warn\n```Text console.warn\n").append(time)
              .append(" slow frame: ").append(16 + r.nextInt(60)).append("ms\n```\n");
        }
        b.append('\n');
        w.write(b.toString());
        written += b.toString().getBytes(StandardCharsets.UTF_8).length;
        i++;
      }
      w.write("-".repeat(70) + "\n> Append your JavaScript snippet below to execute against this page.\n\n");
    }
  }

  private static String stats(double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return String.format(Locale.ROOT, "median %.2f ms, p99 %.2f ms, max %.2f ms", sorted[n / 2],
        sorted[Math.max(0, (int) Math.ceil(n * 0.99) - 1)], sorted[n - 1]);
  }

  static void deleteAll(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

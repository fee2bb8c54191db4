package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash consistency under SIGKILL: the broker jar as a child process, four realms that reconnect by themselves
 * ({@link CrashRealm}), a steady load of agents appending requests, a client-java controller submitting jobs and
 * realms logging during jobs and in the background ({@link CrashLoad}); the broker is killed with SIGKILL at random
 * moments (half of them timed, half the instant a temporary file of a write in flight appears or is written) and started again on
 * the same port, {@code crash.kills} times (default 50).
 *
 * <p>After every kill (before the restart) and again once the restarted broker has its realms back and has answered
 * what the dead one left behind, every log and the registry are read by {@link CrashReading} and:
 * <ul>
 *   <li>every log and {@code daebug.md} parse; none is empty, truncated or has two footers;
 *   <li>every agent request appended so far is there exactly once, its text whole and in one piece (above the
 *       footer with a placeholder or reply under it, or still below it), the one being typed at the end of the file
 *       (a log whose replaced version holds an append the killed broker had not carried over yet is checked once
 *       the next broker has carried it);
 *   <li>every reply an agent saw while the broker ran, and every result the controller got, is still there exactly
 *       once and unchanged; no console line is written twice;
 *   <li>no temporary file a killed broker left behind is still there once the next one runs.
 * </ul>
 * Agents and checks read the logs while the broker runs too: a file that does not parse then fails the test as
 * well. At the end, with the broker up and the load stopped, every request has exactly one reply (the realm's, or
 * the broker's 🚫 restart reply), every 👍 reply is {@code "done TAG"} of its own request, and no job ran twice.
 *
 * <p>Two crash windows this test found are closed, and {@link CrashWindowsIT} keeps each shut on its own: a
 * request is pushed to its realm only after its placeholder is in the file (so a restart never runs it again, and
 * every job a realm ran is journalled), and a replaced version of a log stays linked beside it until what was
 * appended to it is carried over (so a killed broker takes no append along; the next one carries it). A job run twice, a lost part of an append or a job run but
 * not journalled fails the test.
 *
 * <p>The schedule (kill delays and modes, cuts of appends, choices of realms) comes from one seed, printed;
 * {@code -Dcrash.seed=N} replays it ({@code -Dcrash.kills=N} for a longer run). Timings are not asserted. When a
 * check fails the files are copied to {@code target/crash-it/} first.
 */
class CrashIT {
  private static final List<String> REALMS = List.of("crash-0", "crash-1", "crash-2", "crash-3");
  /**
   * The broker's JVM compiles with C1 only: it starts in about two thirds of the time, and a run is mostly
   * restarts. What is checked, the files, does not depend on the JIT.
   */
  private static final List<String> JVM = List.of("-XX:TieredStopAtLevel=1");

  @TempDir
  Path root;

  private CrashChecks checks;
  private final AtomicReference<BrokerProcess> armed = new AtomicReference<>();
  private String killedOutput = "";
  /** Milliseconds spent per phase of the kill cycles, printed at the end. */
  private final Map<String, Long> phases = new TreeMap<>();

  /** Above the suite's 3 minutes: a loaded 2-core machine needs them; every wait inside has its own bound. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void everyAcknowledgedReplyAndEveryAgentTextSurvivesSigkills() throws Exception {
    long seed = Long.getLong("crash.seed", 20261203L);
    int kills = Integer.getInteger("crash.kills", 50);
    System.out.printf("CrashIT: seed %d, %d kills (replay with -Dcrash.seed=%d -Dcrash.kills=%d)%n", seed, kills,
        seed, kills);
    Random rng = new Random(seed);
    checks = new CrashChecks(root, REALMS);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3, r -> {
      Thread t = new Thread(r, "crash-load");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newHttpClient();
    List<CrashRealm> realms = new ArrayList<>();
    BrokerProcess broker = BrokerProcess.start(List.of(), JVM, root);
    long started = System.nanoTime();
    try {
      URI uri = broker.awaitUri();
      int port = uri.getPort();
      for (String name : REALMS) {
        realms.add(CrashRealm.start(name, uri, http, scheduler));
      }
      awaitQuiet(realms, null);
      try (DaebugClient client = Daebug.connect(ClientOptions.of(uri).withClientName("ctl")
          .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(50)));
          WatchService watcher = root.getFileSystem().newWatchService()) {
        startKillSwitch(watcher);
        CrashLoad load = new CrashLoad(root, scheduler, client, REALMS, seed);
        realms.forEach(r -> r.background(true));
        for (int k = 1; k <= kills; k++) {
          load.resume();
          long t0 = System.nanoTime();
          kill(broker, rng, scheduler);
          long t1 = System.nanoTime();
          killedOutput = broker.output();
          load.brokerDown(true);
          load.pause();
          Set<Path> stale = temporaryFiles();
          checks.check("after kill " + k, load, realms, false);
          long t2 = System.nanoTime();
          Map<String, Integer> welcomes = realms.stream().collect(Collectors.toMap(CrashRealm::name,
              CrashRealm::welcomes));
          broker = BrokerProcess.start(List.of(), JVM, root, "--port", String.valueOf(port));
          assertThat(broker.awaitUri()).isEqualTo(uri);
          long t3 = System.nanoTime();
          load.brokerDown(false);
          BrokerProcess restarted = broker;
          await().untilAsserted(() -> {
            for (CrashRealm r : realms) {
              assertThat(r.welcomes()).as("welcomes of %s; broker output:%n%s", r.name(), restarted.output())
                  .isGreaterThan(welcomes.get(r.name()));
            }
            assertThat(client.isConnected()).as("controller connected").isTrue();
          });
          long t4 = System.nanoTime();
          awaitQuiet(realms, load);
          long t5 = System.nanoTime();
          checks.check("after restart " + k, load, realms, true);
          long t6 = System.nanoTime();
          phases.merge("load+kill", (t1 - t0) / 1_000_000, Long::sum);
          phases.merge("check1", (t2 - t1) / 1_000_000, Long::sum);
          phases.merge("start", (t3 - t2) / 1_000_000, Long::sum);
          phases.merge("reconnect", (t4 - t3) / 1_000_000, Long::sum);
          phases.merge("quiet", (t5 - t4) / 1_000_000, Long::sum);
          phases.merge("check2", (t6 - t5) / 1_000_000, Long::sum);
          Set<Path> left = new HashSet<>(stale);
          left.retainAll(temporaryFiles());
          assertThat(left).as("temporary files left by the broker killed at kill %d, still there after the restart"
              + " (the broker does not clean its stale temporary files)", k).isEmpty();
        }
        load.resume();
        load.finish();
        awaitQuiet(realms, load);
        checks.check("at the end", load, realms, true);
        checks.atTheEnd(load, realms);
        System.out.printf("CrashIT: %d kills in %.1f s (ms per phase: %s); %s; controller failures %s%n", kills,
            (System.nanoTime() - started) / 1e9, phases, checks.stats, load.failures);
      }
    } catch (AssertionError | RuntimeException e) {
      keepFiles(seed, broker.output());
      throw e;
    } finally {
      realms.forEach(CrashRealm::close);
      broker.close();
      scheduler.shutdownNow();
    }
  }

  /**
   * Kills the broker after a random delay, or at the first broker file (a dotfile: a temporary file, or whatever
   * a write path keeps beside the logs) created or changed after a random delay; checks it was a SIGKILL. A write
   * path that makes no such file is killed by the timer a second later.
   */
  private void kill(BrokerProcess broker, Random rng, ScheduledExecutorService scheduler) throws Exception {
    int delay = 20 + rng.nextInt(480);
    if (rng.nextBoolean()) {
      checks.count("kills timed");
      scheduler.schedule(() -> broker.process().destroyForcibly(), delay, TimeUnit.MILLISECONDS).get();
    } else {
      scheduler.schedule(() -> armed.set(broker), delay, TimeUnit.MILLISECONDS);
      scheduler.schedule(() -> {
        if (armed.compareAndSet(broker, null)) {
          checks.count("kills armed at a write, by the timer (no broker dotfile came)");
          broker.process().destroyForcibly();
        }
      }, delay + 1000, TimeUnit.MILLISECONDS);
    }
    await().until(() -> !broker.process().isAlive());
    broker.kill();
    assertThat(broker.process().exitValue()).as("exit status of a SIGKILLed JVM (128 + 9)").isEqualTo(137);
  }

  /** Kills the armed broker the instant a dotfile is created or written in the root or {@code daebug/}. */
  private void startKillSwitch(WatchService watcher) throws IOException {
    for (Path dir : List.of(root, root.resolve("daebug"))) {
      dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    }
    Thread t = new Thread(() -> {
      try {
        while (true) {
          WatchKey key = watcher.take();
          for (WatchEvent<?> e : key.pollEvents()) {
            // not daebug/.broker: the lock's record is written once at start, not a journal write
            if (e.context() instanceof Path p && p.toString().startsWith(".") && !p.toString().equals(".broker")) {
              BrokerProcess b = armed.getAndSet(null);
              if (b != null) {
                b.process().destroyForcibly();
                checks.count("kills at a write (" + (p.toString().endsWith(".tmp") ? "a temporary file" : "a dotfile")
                    + " " + (e.kind() == StandardWatchEventKinds.ENTRY_CREATE ? "created" : "written") + ")");
              }
            }
          }
          key.reset();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // the test is over
      }
    }, "crash-kill-switch");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits until the broker answered everything: no placeholder, no request below a footer, no controller job
   * waiting, every realm listed live.
   */
  private void awaitQuiet(List<CrashRealm> realms, CrashLoad load) {
    await().untilAsserted(() -> {
      if (load != null) {
        assertThat(load.outstanding()).as("controller jobs waiting for their result").isZero();
      }
      for (CrashRealm r : realms) {
        String text = LogFile.read(root.resolve("daebug").resolve(r.name() + ".md"));
        assertThat(text).as("log of %s", r.name()).isNotEmpty();
        CrashReading.Log log = CrashChecks.parse(r.name(), "log of " + r.name() + " while the broker settles", text);
        assertThat(log.placeholders() + log.waiting()).as("placeholders and unanswered requests in the log of %s",
            r.name()).isZero();
      }
      assertThat(checks.registry("the registry while the broker settles")).as("realms listed in daebug.md")
          .containsOnlyKeys(REALMS).allSatisfy((name, state) -> assertThat(state).isEqualTo("live"));
    });
  }

  /** The broker's temporary files ({@code .<name>.md.<hex>.tmp}) in the root and {@code daebug/}. */
  private Set<Path> temporaryFiles() throws IOException {
    Set<Path> out = new HashSet<>();
    for (Path dir : List.of(root, root.resolve("daebug"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.getFileName().toString().matches("^\\..+\\.md\\.[0-9a-f]+\\.tmp$")).forEach(out::add);
      }
    }
    return out;
  }

  /** Copies the files and the brokers' output to {@code target/crash-it/seed-N/} for a look after a failure. */
  private void keepFiles(long seed, String output) {
    Path to = Path.of(System.getProperty("basedir", ".")).resolve("target/crash-it/seed-" + seed);
    try {
      if (Files.exists(to)) {
        try (Stream<Path> old = Files.walk(to)) {
          for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          Path copy = to.resolve(root.relativize(p).toString());
          Files.createDirectories(copy.getParent());
          Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.writeString(to.resolve("broker-output.txt"), output);
      Files.writeString(to.resolve("killed-broker-output.txt"), killedOutput);
      System.out.println("CrashIT: the files are in " + to);
    } catch (IOException e) {
      System.out.println("CrashIT: could not keep the files: " + e);
    }
  }
}

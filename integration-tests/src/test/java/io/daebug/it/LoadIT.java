package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load benchmark's machinery ({@link LoadRun}) as a test, shorter: 200 realms for 10 s get requests from their logs
 * (4 appender threads, 2 in flight per realm) and from 2 Java clients (1 in flight per realm each), with background
 * events; then nothing may be lost or duplicated: every request once in its log, every reply once and directly under
 * its own request, every console event present, every realm running each job once, the broker stopping cleanly.
 * Timings are printed by {@code LoadBench}, never asserted.
 */
class LoadIT {
  @TempDir
  Path root;

  @Test
  void twoHundredRealmsLoseAndDuplicateNothing() throws Exception {
    LoadRun.Result r = LoadRun.run(new LoadRun.Options(200, Duration.ofSeconds(10), 4, 2, 2, 1,
        Duration.ofMillis(500)), root, System.out);

    LoadAudit.Tally t = r.tally();
    // One line each, so that CI's summary of a failure shows what was found.
    none("log findings", t.problems);
    none("realm findings", r.realmProblems());
    none("controller findings", r.controllerProblems());
    none("waits", r.waitProblems());
    assertThat(r.brokerExit()).as("broker exit code after %%SHUTDOWN%%").isZero();
    assertThat(t.clean()).as("tally clean").isTrue();
    // the load did run: both sources, both kinds of events (answered at all: on a busy machine none may be answered
    // within the 10 s window itself)
    assertThat(r.fileLatency()).as("jobs from the logs").isNotEmpty();
    assertThat(r.controllerLatency()).as("jobs from controllers").isNotEmpty();
    System.out.printf("LoadIT: %d jobs answered (%d from logs, %d from controllers; %d and %d within the %.0f s window); "
        + "%d background events, %d of them found in side files of omitted events%n", t.replies, r.fileLatency().length,
        r.controllerLatency().length, r.fileAnsweredInWindow(), r.controllerAnsweredInWindow(), r.seconds(),
        t.background, t.inSideFiles);
    assertThat(t.replies).isEqualTo(t.requests);
    assertThat(t.jobEvents).isEqualTo(t.requests);
    assertThat(t.background).as("background events sent").isGreaterThanOrEqualTo(200);
  }

  private static void none(String what, java.util.Collection<String> problems) {
    if (!problems.isEmpty()) {
      String all = String.join(" | ", problems).replaceAll("\\s+", " ");
      throw new AssertionError(what + ": " + (all.length() > 4000 ? all.substring(0, 4000) + "..." : all));
    }
  }
}

package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * FORMAT.md §4, "a reader that reads a whole file at any instant sees one whole version", at the broker's level:
 * a controller keeps 32 jobs in flight to a realm that answers at once (2,000 jobs; the history threshold is
 * lowered to 32 KiB so that the log's finished history moves into history files several times meanwhile) while a thread reads the realm's
 * log whole with a plain {@link Files#readAllBytes}, again and again, as an agent's file tool does. Every read must
 * be one whole version: one footer rule, intact, with its whole prompt line under it, at the end. Asserts no timing: the
 * load is a fixed number of jobs.
 */
class WholeVersionReadIT {
  private static final int JOBS = 2_000;
  private static final int IN_FLIGHT = 32;

  @TempDir
  Path root;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void plainReadsDuringThirtyTwoJobsInFlightSeeOnlyWholeVersions() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    List<String> mixed = new CopyOnWriteArrayList<>();
    // History moves out past 32 KiB instead of 256 KiB, so that it moves several times during the run.
    BrokerConfig config = BrokerConfig.defaults(root).withPort(0);
    config = config.withWrites(config.writes().withHistoryAbove(32 * 1024));
    try (Broker broker = Broker.start(config)) {
      WireRealm realm = WireRealm.connect(HttpClient.newHttpClient(), broker.uri(), "reader", WireRealm.ANSWER_TWO)
          .get(30, TimeUnit.SECONDS);
      Path log = root.resolve("daebug").resolve(realm.welcome().get(30, TimeUnit.SECONDS) + ".md");
      Thread reader = new Thread(() -> {
        while (!done.get()) {
          try {
            String p = problem(Files.readAllBytes(log));
            reads.incrementAndGet();
            if (p != null && mixed.size() < 5) {
              mixed.add(p);
            }
          } catch (NoSuchFileException e) {
            mixed.add("the log was missing for a read: " + e.getMessage());
          } catch (IOException e) {
            mixed.add("read failed: " + e);
          }
        }
      }, "plain-reader");
      try (DaebugClient client = Daebug.connect(ClientOptions.of(broker.uri()).withClientName("reads"))) {
        client.awaitRealm(realm.name(), Duration.ofSeconds(30));
        reader.start();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
          slots.acquire();
          all.add(client.submit(JobRequest.of(realm.name(), "1 + " + i)).whenComplete((r, e) -> slots.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(4, TimeUnit.MINUTES);
      } finally {
        done.set(true);
        reader.join();
        realm.abort();
      }
      assertThat(root.resolve("daebug").resolve(log.getFileName().toString().replace(".md", ".history")))
          .as("the log's finished history moved out during the run").isDirectory();
    }
    System.out.printf("WholeVersionReadIT: %d plain whole-file reads during %d jobs, %d in flight%n", reads.get(), JOBS,
        IN_FLIGHT);
    assertThat(reads.get()).as("reads made").isPositive();
    assertThat(mixed).as("mixed versions seen in %d plain reads", reads.get()).isEmpty();
  }

  /** Why {@code bytes} is not one whole version of the log, or null. */
  private static String problem(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    List<Integer> rules = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("---") && lines[i].chars().allMatch(c -> c == '-')) {
        rules.add(i);
      }
    }
    if (rules.size() != 1) {
      return rules.size() + " footer rules in " + bytes.length + " bytes";
    }
    int rule = rules.get(0);
    if (!lines[rule].equals(JournalFormat.RULE)) {
      return "a cut rule: " + lines[rule].length() + " dashes";
    }
    if (rule + 1 >= lines.length || !lines[rule + 1].startsWith("> Append your ")
        || !lines[rule + 1].endsWith(".")) {
      return "a rule without its whole prompt line: " + (rule + 1 < lines.length ? lines[rule + 1] : "(none)");
    }
    for (int i = rule + 2; i < lines.length; i++) {
      if (!lines[i].isEmpty()) {
        return "text after the footer: " + lines[i];
      }
    }
    return null;
  }
}

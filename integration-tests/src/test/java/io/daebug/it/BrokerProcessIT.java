package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code daebug.jar} process: a page registers (FORMAT.md §2, §3), {@code %%SHUTDOWN%%} stops it. */
class BrokerProcessIT {
  @TempDir
  Path root;

  @Test
  void pageIsListedWithinASecondAndGetsANewLog() throws IOException {
    Pages.write(root, "index.html");
    try (BrokerProcess broker = BrokerProcess.start(root, "--job-timeout", "2s");
        Chromium chromium = Chromium.launch()) {
      String url = broker.awaitUri() + "index.html";
      Registry registry = new Registry(root);
      chromium.openTab(url);

      Matcher[] line = new Matcher[1];
      await().untilAsserted(() -> {
        line[0] = Registry.line(registry.read(), url, "live");
        assertThat(line[0]).as("a live line for %s in%n%s", url, registry.read()).isNotNull();
      });
      LocalTime seen = LocalTime.now();
      String name = line[0].group(1);
      LocalTime connected = LocalTime.parse(line[0].group(2));
      // The line's time is the connect time truncated to the second: listed within a second of connecting
      // means seen less than two seconds after that time.
      long lag = Math.floorMod(ChronoUnit.MILLIS.between(connected, seen), Duration.ofDays(1).toMillis());
      assertThat(lag).as("ms between the listed connect time %s and seeing the line", connected).isLessThan(2000);
      assertThat(name).matches("(?:[5-9]|1[0-9])-[a-z]+-\\d{4}-\\d{2}(?:-\\d+)?");
      assertThat(line[0].group()).isEqualTo("* [" + name + "](daebug/" + name + ".md) (" + url + ") at "
          + line[0].group(2) + ": live");

      Path log = root.resolve("daebug").resolve(name + ".md");
      assertThat(log).as("the linked log").exists();
      String text = LogFile.read(log);
      assertThat(text).startsWith("# " + name + " Session\n\n").endsWith("\n\n" + LogFile.FOOTER);
      assertThat(text.split(LogFile.RULE, -1)).as("footer rules in%n%s", text).hasSize(2);
      String guide = text.substring(("# " + name + " Session\n\n").length(),
          text.length() - ("\n\n" + LogFile.FOOTER).length());
      List<String> lines = Arrays.asList(guide.split("\n", -1));
      assertThat(lines).as("guide lines").hasSizeBetween(2, 10).allSatisfy(l -> assertThat(l).isNotBlank());
    }
  }

  @Test
  void shutdownLineStopsTheProcessAndMarksTheRegistry() throws Exception {
    Pages.write(root, "index.html");
    try (BrokerProcess broker = BrokerProcess.start(root); Chromium chromium = Chromium.launch()) {
      String url = broker.awaitUri() + "index.html";
      Registry registry = new Registry(root);
      chromium.openTab(url);
      registry.awaitLive(url);

      Files.writeString(registry.file(), "%%SHUTDOWN%%\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

      await().untilAsserted(() -> assertThat(broker.process().isAlive()).as("broker process alive").isFalse());
      assertThat(broker.process().exitValue()).as("exit code; output:%n%s", broker.output()).isZero();
      List<String> lines = Files.readAllLines(registry.file(), StandardCharsets.UTF_8);
      assertThat(lines.get(0)).matches("# 👾 Daebug remote debugging REPL: SERVER SHUT DOWN \\d\\d:\\d\\d:\\d\\d");
      assertThat(lines.get(1)).isEqualTo("> This debugging session has concluded.");
      assertThat(lines).doesNotContain("%%SHUTDOWN%%").noneMatch(l -> l.startsWith("* ["));
    }
  }
}

package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Node realm's connection cut in the middle of a job and restored (a {@link TcpForwarder} stands for the network):
 * the broker answers the job at once with {@code realm disconnected while executing} and the events it had; the
 * realm keeps running the job, keeps what it logs and its result in its outbox while it is away, reconnects with
 * the same tab id, keeps its name and log, and the broker journals the result as a late reply and the events that
 * came after the cut as background events. Every event is written exactly once and crossed the wire exactly once.
 *
 * <p>No timing is involved: the job waits for files the test writes ({@code resume.go}) and writes one when it ends
 * ({@code resume.done}), and the forwarder refuses connections until the job is done.
 */
class ResumeIT {
  private static final String JOB = """
      const fs = require('node:fs');
      const until = async (file) => { while (!fs.existsSync(file)) await new Promise(r => setTimeout(r, 20)); };
      console.log('before 1'); console.log('before 2'); console.log('before 3');
      await until('resume.go');
      console.log('away 1'); console.log('away 2'); console.log('away 3');
      fs.writeFileSync('resume.done', '');
      'done'""";

  @TempDir
  Path root;

  @Test
  void aJobCutMidwayIsAnsweredLateAndEveryEventIsWrittenOnce() throws IOException {
    Registry registry = new Registry(root);
    try (BrokerProcess broker = BrokerProcess.start(root);
        TcpForwarder network = TcpForwarder.start(broker.port());
        NodeRealmProcess node = NodeRealmProcess.start(URI.create("ws://127.0.0.1:" + network.port()), "resume",
            root)) {
      LogFile log = registry.awaitNode("resume", node, "live", broker::output);

      log.append("```js\n" + JOB + "\n```\n");
      await().untilAsserted(() -> assertThat(network.fromRealm()).as("frames from the realm")
          .anyMatch(f -> f.contains("\"text\":\"before 3\"")));
      network.refuse(true);
      network.cut();

      String request = "### 🗣️agent to resume at {time}\n```js\n" + JOB + "\n```\n";
      String disconnected = """
          #### 🚫resume to agent at {time} ({ms})
          ```Error
          realm disconnected while executing
          ```
          """ + events("before");
      log.awaitAppended(request + disconnected + "\n");
      await().untilAsserted(() -> assertThat(node.output()).contains("disconnected (1006); reconnecting"));
      assertThat(registry.read()).contains("* [resume](daebug/resume.md) (node://" + node.pid() + "@");

      Files.writeString(root.resolve("resume.go"), "");
      await().untilAsserted(() -> assertThat(root.resolve("resume.done")).exists());
      network.refuse(false);

      // The events after the cut come in one burst, but background events are batched by time (at most one write
      // a second), so a slow moment between two frames may split them over consecutive background blocks: any split
      // is right as long as they are all there, in order, once each.
      String late = """
          #### 👍resume to agent at {time} ({duration}) (late)
          ```JSON
          "done"
          ```

          """;
      String header = "### 🗣️resume background at {time}\n";
      String away = LogFile.regex(request + disconnected + late + header) + Stream.of(1, 2, 3)
          .map(i -> LogFile.regex(event("away " + i))).collect(Collectors.joining("(?:\n" + LogFile.regex(header)
              + ")?")) + "\n";
      log.awaitAppendedMatching(away, request + disconnected + late + header + events("away") + "\n");
      registry.awaitNode("resume", node, "live", broker::output);
      await().untilAsserted(() -> assertThat(broker.output()).containsPattern("realm resume connected \\(node, node://"
          + node.pid() + "@\\S+\\) from /127\\.0\\.0\\.1:\\d+ \\[resumed\\]"));

      String text = log.read();
      for (String event : List.of("before 1", "before 2", "before 3", "away 1", "away 2", "away 3")) {
        assertThat(count(text, Pattern.compile("^\\d\\d:\\d\\d:\\d\\d " + event + "$", Pattern.MULTILINE)))
            .as("%s in the log", event).isEqualTo(1);
        assertThat(network.fromRealm().stream().filter(f -> f.contains("\"text\":\"" + event + "\"")).count())
            .as("frames carrying %s", event).isEqualTo(1);
      }
      List<String> frames = network.fromRealm();
      assertThat(frames.stream().filter(f -> f.startsWith("{\"type\":\"result\"")).count()).as("results sent in%n%s",
          frames).isEqualTo(1);
      List<String> hellos = frames.stream().filter(f -> f.startsWith("{\"type\":\"hello\"")).toList();
      assertThat(hellos).as("hellos").hasSize(2);
      assertThat(tab(hellos.get(1))).as("tab id of the second hello").isEqualTo(tab(hellos.get(0)));
      assertThat(network.connections()).as("connections carried (refused attempts not counted)").isEqualTo(2);

      log.append("```js\n'after the cut'\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to resume at {time}
          ```js
          'after the cut'
          ```
          #### 👍resume to agent at {time} ({ms})
          ```JSON
          "after the cut"
          ```

          """);
    }
  }

  /** Three console.log events {@code <prefix> 1..3} as the journal writes them. */
  private static String events(String prefix) {
    return Stream.of(1, 2, 3).map(i -> event(prefix + " " + i)).collect(Collectors.joining());
  }

  /** A console.log event of {@code text} as the journal writes it. */
  private static String event(String text) {
    return "##### ☑️console.log\n```Text console.log\n{time} " + text + "\n```\n";
  }

  private static long count(String text, Pattern pattern) {
    return pattern.matcher(text).results().count();
  }

  private static String tab(String hello) {
    Matcher m = Pattern.compile("\"tab\":\"([^\"]+)\"").matcher(hello);
    assertThat(m.find()).as("a tab in %s", hello).isTrue();
    return m.group(1);
  }
}

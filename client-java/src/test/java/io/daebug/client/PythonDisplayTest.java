package io.daebug.client;

import static io.daebug.client.testing.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.client.testing.RealBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobResult#display()} shows a Python realm's value as the journal does, in Python's notation: unit cases on
 * the wire encoding, and a real Python realm (client-python under Debian's {@code /usr/bin/python3}, started as
 * users start it) whose replies are read back from its log.
 */
class PythonDisplayTest {
  /** Debian's Python, which has {@code python3-websockets} (scripts/test.sh installs it). */
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir Path root;

  private static JobResult ok(String wire, String language) throws Exception {
    return new JobResult("j-1", "r", JobOutcome.OK, JSON.readTree(wire), null, Duration.ZERO, Duration.ZERO, List.of(),
        language);
  }

  @Test
  void aPythonRealmsValueIsInPythonNotationAndAnyOtherInJavaScripts() throws Exception {
    String tuple = "{\"$daebug\":\"tuple\",\"values\":[1,\"it's\",{\"$daebug\":\"number\",\"repr\":\"nan\"},null]}";
    assertThat(ok(tuple, "python").display()).isEqualTo("(1, \"it's\", nan, None)");
    assertThat(ok(tuple, "python").special().orElseThrow().repr()).isEqualTo("(1, \"it's\", nan, None)");
    assertThat(ok("{\"$daebug\":\"set\",\"class\":\"set\",\"size\":2,\"values\":[1,2]}", "python").display())
        .isEqualTo("{1, 2}");
    assertThat(ok("[1.0,1e+16,true]", "python").display()).isEqualTo("[\n  1.0,\n  1e+16,\n  true\n]");
    assertThat(ok("null", "python").display()).isEqualTo("None");
    assertThat(new JobResult("j-1", "r", JobOutcome.OK, null, null, Duration.ZERO, Duration.ZERO, List.of(), "python")
        .display()).isEqualTo("None");
    assertThat(ok("{\"$daebug\":\"set\",\"size\":2,\"values\":[1,2]}", "javascript").display()).isEqualTo("Set(2) { 1, 2 }");
    assertThat(ok("[1.0]", null).display()).isEqualTo("[\n  1\n]"); // JavaScript has no 1.0
  }

  @Test
  void aRealPythonRealmsResultIsShownAsItsLogShowsIt() throws Exception {
    Path clientPython = Path.of("..", "client-python").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.isDirectory(clientPython.resolve("daebug")),
        "needs " + PYTHON + " (Debian's python3 with python3-websockets) and client-python beside client-java");
    try (RealBroker broker = RealBroker.start(root)) {
      ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), "-m", "daebug", "--broker",
          broker.plainUri().toString(), "--name", "py").directory(root.toFile()).redirectErrorStream(true)
          .redirectOutput(root.resolve("python-realm.txt").toFile());
      builder.environment().put("PYTHONPATH", clientPython.toString());
      Process python = builder.start();
      try (DaebugClient client = Daebug.connect(ClientOptions.of(broker.plainUri()).withClientName("ci-java"))) {
        client.awaitRealm("py", Duration.ofSeconds(60));
        JobResult tuple = client.run(JobRequest.of("py", "(1, 'a', 2.0, None, {3}, float('nan'))"), Duration.ofSeconds(60));
        JobResult dict = client.run(JobRequest.of("py", "{'x': 1.0, 'ys': [1, 2]}"), Duration.ofSeconds(60));
        assertThat(tuple.language()).isEqualTo("python");
        assertThat(tuple.display()).isEqualTo("(1, 'a', 2.0, None, {3}, nan)");
        assertThat(dict.display()).isEqualTo("{\n  \"x\": 1.0,\n  \"ys\": [\n    1,\n    2\n  ]\n}");
        await().untilAsserted(() -> assertThat(broker.log("py"))
            .contains("```Text\n" + tuple.display() + "\n```\n", "```JSON\n" + dict.display() + "\n```\n"));
      } finally {
        python.destroy();
        if (!python.waitFor(30, TimeUnit.SECONDS)) {
          python.destroyForcibly();
        }
      }
    }
  }
}

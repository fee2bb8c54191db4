package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker jar as users run it (issue 16, items 1 and 9): one broker per folder, a SIGKILLed broker's lock
 * does not block the next, and the shut-down registry names the jar by its real path.
 */
class OneBrokerPerFolderIT {
  @TempDir
  Path root;

  @Test
  void aSecondBrokerIsRefusedAndAKilledBrokersLockDoesNotBlockARestart() throws Exception {
    Path lockFile = root.resolve("daebug/.broker");
    try (BrokerProcess first = BrokerProcess.start(root)) {
      URI uri = first.awaitUri();
      JsonNode lock = new ObjectMapper().readTree(Files.readString(lockFile));
      assertThat(lock.get("url").asText()).isEqualTo(uri.toString());
      assertThat(lock.get("pid").asLong()).isEqualTo(first.process().pid());

      try (BrokerProcess second = BrokerProcess.start(root)) {
        await().untilAsserted(() -> assertThat(second.process().isAlive()).isFalse());
        assertThat(second.process().exitValue()).as("exit code; output:%n%s", second.output()).isEqualTo(1);
        assertThat(second.output()).contains("another Daebug broker already serves " + root)
            .contains(uri.toString()).contains("pid " + first.process().pid());
      }
      assertThat(Files.readString(root.resolve("daebug.md"))).as("the first broker's registry")
          .doesNotContain("SHUT DOWN");
      assertThat(first.process().isAlive()).isTrue();

      first.kill();
      assertThat(Files.readString(lockFile)).as("a killed broker leaves its record").contains(uri.toString());
      try (BrokerProcess next = BrokerProcess.start(root)) {
        URI nextUri = next.awaitUri();
        await().untilAsserted(() -> assertThat(new ObjectMapper().readTree(Files.readString(lockFile)).get("pid").asLong())
            .isEqualTo(next.process().pid()));
        assertThat(new ObjectMapper().readTree(Files.readString(lockFile)).get("url").asText()).isEqualTo(nextUri.toString());
      }
    }
  }

  @Test
  void theShutDownRegistryGivesTheCommandWithTheJarsRealPath() throws Exception {
    try (BrokerProcess broker = BrokerProcess.start(root)) {
      broker.awaitUri();
      Path registry = root.resolve("daebug.md");
      Files.writeString(registry, "%%SHUTDOWN%%\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      await().untilAsserted(() -> assertThat(broker.process().isAlive()).isFalse());
      assertThat(Files.readString(registry)).contains("```sh\njava -jar " + BrokerProcess.jar() + " --root " + root + "\n```");
      assertThat(Files.readString(root.resolve("daebug/.broker"))).as("emptied on a clean stop").isEmpty();
    }
  }
}

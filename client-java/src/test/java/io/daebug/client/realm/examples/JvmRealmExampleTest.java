package io.daebug.client.realm.examples;

import static io.daebug.client.realm.BrokerRig.JAVA_FOOTER;
import static io.daebug.client.realm.BrokerRig.OK;
import static io.daebug.client.realm.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.client.realm.BrokerRig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link JvmRealmExample} in a JVM of its own and drives it through its markdown log. */
class JvmRealmExampleTest {
  private static final String NAME = "inventory-demo";

  @Test
  void anAgentReadsAndChangesTheLiveInventoryFromTheLog(@TempDir Path root) throws Exception {
    Path output = Files.createTempFile("jvm-realm-example", ".out");
    try (BrokerRig rig = BrokerRig.start(root)) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process app = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          JvmRealmExample.class.getName(), rig.uri().toString())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try {
        await().untilAsserted(() -> assertThat(rig.log(NAME)).as(read(output.toFile())).endsWith(JAVA_FOOTER));
        await().untilAsserted(() -> assertThat(rig.registry())
            .contains("* [" + NAME + "](daebug/" + NAME + ".md) (jvm://" + app.pid() + "@"));

        String count = "inventory.count(\"apple\") + inventory.count(\"pear\")";
        rig.request(NAME, "java", count);
        assertThat(await().until(() -> rig.reply(NAME, "java", count), r -> r != null))
            .as(read(output.toFile())).startsWith(OK + NAME + " to tester at ").endsWith("\n```JSON\n8\n```\n");

        String change = "inventory.receive(\"plum\", 2);\nSystem.out.println(inventory.snapshot());\n"
            + "inventory.count(\"plum\")";
        rig.request(NAME, "java", change);
        assertThat(await().until(() -> rig.reply(NAME, "java", change), r -> r != null))
            .contains("\n```JSON\n2\n```\n##### \u2611\uFE0Fconsole.log\n```Text console.log\n")
            .endsWith(" {apple=3, pear=5, plum=2}\n```\n");
      } finally {
        app.destroy();
        await().until(() -> !app.isAlive());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String read(File f) {
    try {
      return "example output:\n" + Files.readString(f.toPath());
    } catch (java.io.IOException e) {
      return "example output unreadable: " + e;
    }
  }
}

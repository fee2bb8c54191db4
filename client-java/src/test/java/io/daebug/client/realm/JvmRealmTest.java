package io.daebug.client.realm;

import static io.daebug.client.realm.BrokerRig.FAIL;
import static io.daebug.client.realm.BrokerRig.JAVA_FOOTER;
import static io.daebug.client.realm.BrokerRig.OK;
import static io.daebug.client.realm.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM realm driven through its markdown log, end to end: a real broker on port 0, requests appended
 * to {@code daebug/<name>.md}, replies read back. One broker and one realm for the class (a realm's
 * JShell takes seconds to start); tests use names of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmRealmTest {
  private static final String TIME = "\\d\\d:\\d\\d:\\d\\d";
  /** A reply's duration: {@code (17ms)} or {@code (2.5s)}. */
  private static final String TOOK = " \\((\\d+ms|\\d+\\.\\ds)\\)";
  private static final String NAME = "orders-service";

  private BrokerRig rig;
  private JvmRealm realm;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    rig = BrokerRig.start(root);
    realm = JvmRealm.start(RealmOptions.of(rig.uri()).withName("Orders Service"));
    realm.bind("orders", new OrderBook().add("apple", 3).add("pear", 2));
    realm.awaitConnected(TestAwait.AT_MOST);
  }

  @AfterAll
  void stop() {
    if (realm != null) {
      realm.close();
    }
    if (rig != null) {
      rig.close();
    }
  }

  /** Appends a {@code java} fence and returns its final reply. */
  private String run(String code) {
    return run("java", code);
  }

  private String run(String info, String code) {
    rig.request(NAME, info, code);
    return await().until(() -> rig.reply(NAME, info, code), r -> r != null);
  }

  @Test
  void registersAsAJavaRealmWithItsOwnLog() {
    assertThat(realm.name()).isEqualTo(NAME);
    assertThat(realm.logFile()).isEqualTo("daebug/" + NAME + ".md");
    assertThat(realm.isConnected()).isTrue();
    await().untilAsserted(() -> assertThat(rig.log(NAME)).startsWith("# " + NAME + " Session\n").contains(JAVA_FOOTER));
    await().untilAsserted(() -> assertThat(rig.registry()).contains("* [" + NAME + "](daebug/" + NAME + ".md) (jvm://"
        + ProcessHandle.current().pid() + "@"));
  }

  @Test
  void stateLivesFromOneJobToTheNext() {
    assertThat(run("int total = 20;")).matches(OK + NAME + " to tester at " + TIME + TOOK + "\n```JSON\n20\n```\n");
    assertThat(run("int twice(int n) { return 2 * n; }")).endsWith("\n```Text\nundefined\n```\n");
    assertThat(run("import java.time.Duration;")).endsWith("\n```Text\nundefined\n```\n");
    assertThat(run("twice(total) + (int) Duration.ofSeconds(2).toSeconds()")).endsWith("\n```JSON\n42\n```\n");
  }

  @Test
  void valuesAreJournalledAsJsonOrAsJavaShowsThem() {
    assertThat(run("\"Daebug\" + \" demo\"")).endsWith("\n```JSON\n\"Daebug demo\"\n```\n");
    assertThat(run("List.of(1, 2, 3)")).endsWith("\n```Text\n[1, 2, 3]\n```\n");
    assertThat(run("1.0 / 0")).endsWith("\n```Text\nInfinity\n```\n");
    assertThat(run("Object none = null; none")).endsWith("\n```JSON\nnull\n```\n");
  }

  @Test
  void boundObjectsAreVariables() {
    assertThat(run("orders.pending(\"apple\") + orders.totalPending()")).endsWith("\n```JSON\n8\n```\n");
  }

  @Test
  void aCompilationErrorNamesTheLineAndColumn() {
    assertThat(run("int fine = 1;\nint broken = fine + nope;")).matches(FAIL + NAME + " to tester at " + TIME
        + TOOK + "\n```Error\nCompilationError: line 2, column 21: cannot find symbol\n"
        + "  symbol:   variable nope\n    int broken = fine \\+ nope;\n                        \\^\n```\n");
  }

  @Test
  void anExceptionShowsItsJavaStack() {
    run("void ship(String item) { throw new IllegalStateException(\"out of \" + item); }");
    assertThat(run("ship(\"pears\")")).matches(FAIL + NAME + " to tester at " + TIME + TOOK + "\n```Error\n"
        + "java\\.lang\\.IllegalStateException: out of pears\n\tat ship\\(#\\d+:1\\)\n\tat \\(#\\d+:1\\)\n```\n");
  }

  @Test
  void consoleOutputIsJournalledUnderTheJob() {
    assertThat(run("System.out.println(\"shipping 3 apples\");\nSystem.err.print(\"low stock\");\n7")).matches(
        OK + NAME + " to tester at " + TIME + TOOK + "\n```JSON\n7\n```\n"
        + "##### \u2611\uFE0Fconsole\\.log\n```Text console\\.log\n" + TIME + " shipping 3 apples\n```\n"
        + "##### \uD83C\uDD98console\\.error\n```Error console\\.error\n" + TIME + " low stock\n```\n");
  }

  @Test
  void aTimeoutStopsARunawayLoopAndTheRealmKeepsWorking() {
    String loop = "long spins = 0;\nwhile (true) { spins++; }";
    String reply = run("java timeout=1s", loop);
    assertThat(reply).startsWith(FAIL + NAME + " to tester at ")
        .contains("\n```Error\njob timed out after 1000ms\n```\n");
    // the realm stopped the loop, and says so in a late reply
    await().untilAsserted(() -> assertThat(rig.log(NAME)).containsPattern(
        "\\(late\\)\n```Error\nTimeout: job stopped by the realm after 1000ms \\(its timeout\\)\n```\n"));
    assertThat(run("spins > 0 ? \"stopped after spinning\" : \"never ran\""))
        .endsWith("\n```JSON\n\"stopped after spinning\"\n```\n");
  }
}

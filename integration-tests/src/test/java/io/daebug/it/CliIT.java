package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot CLI as shells run it: {@code java -jar broker/target/daebug.jar run REALM CODE} and {@code realms}
 * as child processes against the jar's broker and a Node realm; values on stdout, errors on stderr, exit codes.
 */
class CliIT {
  @TempDir
  static Path root;

  static BrokerProcess broker;
  static URI uri;
  static NodeRealmProcess node;
  static LogFile log;

  @BeforeAll
  static void start() throws IOException {
    broker = BrokerProcess.start(root);
    uri = broker.awaitUri();
    node = NodeRealmProcess.start(uri, "cli-node", root);
    log = new Registry(root).awaitNode("cli-node", node, "live", broker::output);
  }

  @AfterAll
  static void stop() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** What a run of the jar printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run daebug(Path dir, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-jar", BrokerProcess.jar().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("daebug %s exited", String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), out.get(), err.get());
  }

  private static String drain(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  @Test
  void aValueIsPrintedWithExitCode0AndTheRunIsJournalled() throws Exception {
    Run r = daebug(root, null, "run", "cli-node", "console.log('from the cli'); 'forty-' + 2", "--broker", uri.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("forty-2\n");
    assertThat(r.err()).contains("[log] from the cli");
    assertThat(log.read()).contains("### \uD83D\uDDE3\uFE0Fcli to cli-node", "'forty-' + 2");
  }

  @Test
  void theBrokerOfTheWorkingFolderIsFoundByItsLockFile(@TempDir Path folder) throws Exception {
    // The file a running broker keeps in its folder (docs/cli.md): its URL and pid.
    Files.createDirectories(folder.resolve("daebug"));
    Files.writeString(folder.resolve("daebug/.broker"), "{\"url\":\"" + uri + "\",\"pid\":" + broker.process().pid()
        + ",\"root\":\"" + root + "\"}\n");
    Run r = daebug(folder, null, "run", "cli-node", "[1, 2].map(x => x * 10)");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("[\n  10,\n  20\n]\n");
  }

  @Test
  void anErrorIsPrintedWithItsStackAndExitCode1() throws Exception {
    Run r = daebug(root, null, "run", "cli-node", "function explode() { throw new RangeError('too far'); }\nexplode()",
        "--broker", uri.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("RangeError: too far", "explode");
  }

  @Test
  void codeComesFromStdinWhenItIsADashOrMissing() throws Exception {
    Run dash = daebug(root, "const a = 20;\na + 3\n", "run", "cli-node", "-", "--broker", uri.toString());
    assertThat(dash.out()).as(dash.err()).isEqualTo("23\n");
    Run missing = daebug(root, "'piped'", "run", "cli-node", "--broker", uri.toString());
    assertThat(missing.out()).as(missing.err()).isEqualTo("piped\n");
  }

  @Test
  void jsonPrintsTheWholeResult() throws Exception {
    Run r = daebug(root, null, "run", "cli-node", "console.warn('careful'); ({ok: true, n: 1.5})", "--json",
        "--broker", uri.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("outcome").asText()).isEqualTo("ok");
    assertThat(json.get("realm").asText()).isEqualTo("cli-node");
    assertThat(json.get("job").asText()).startsWith("j-");
    assertThat(json.get("value").get("n").asDouble()).isEqualTo(1.5);
    assertThat(json.get("events").get(0).get("kind").asText()).isEqualTo("warn");
    assertThat(json.get("events").get(0).get("text").asText()).isEqualTo("careful");
    assertThat(json.get("durationMs").asDouble()).isPositive();
  }

  @Test
  void timeoutsAndRefusalsHaveTheirOwnExitCodes() throws Exception {
    Run timeout = daebug(root, null, "run", "cli-node", "await new Promise(r => setTimeout(r, 20000))", "--timeout",
        "300ms", "--broker", uri.toString());
    assertThat(timeout.exit()).isEqualTo(4);
    assertThat(timeout.err()).contains("timed out after 300ms");
    Run unknown = daebug(root, null, "run", "no-such-realm", "1", "--broker", uri.toString());
    assertThat(unknown.exit()).isEqualTo(5);
    assertThat(unknown.err()).contains("no-such-realm", "connected: cli-node");
  }

  @Test
  void realmsListsThemAsATableOrJson() throws Exception {
    Run table = daebug(root, null, "realms", "--broker", uri.toString());
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).startsWith("NAME").containsPattern("(?m)^cli-node +node +live +javascript +\\d\\d:\\d\\d:\\d\\d");
    Run json = daebug(root, null, "realms", "--json", "--broker", uri.toString());
    JsonNode list = new ObjectMapper().readTree(json.out());
    assertThat(list.get(0).get("name").asText()).isEqualTo("cli-node");
    assertThat(list.get(0).get("log").asText()).isEqualTo("daebug/cli-node.md");
  }

  @Test
  void noBrokerRunningIsAClearMessageAndExitCode3(@TempDir Path elsewhere) throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    Run r = daebug(elsewhere, null, "run", "any", "1", "--broker", "http://127.0.0.1:" + port + "/");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("no broker at http://127.0.0.1:" + port + "/", "Connection refused");
    Files.createDirectories(elsewhere.resolve("daebug"));
    Run realms = daebug(elsewhere, null, "realms");
    assertThat(realms.exit()).isEqualTo(3);
    assertThat(realms.err()).contains("no broker at http://127.0.0.1:", "start one in " + elsewhere.toRealPath());
  }
}

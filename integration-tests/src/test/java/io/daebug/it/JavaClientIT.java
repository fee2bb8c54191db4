package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobCancelledException;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobOutcome;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.JobTimeoutException;
import io.daebug.client.RealmEvent;
import io.daebug.client.RealmNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client driving a real headless Chromium tab through the broker, with the journal checked. */
class JavaClientIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  static Path root;

  static BrowserFixture fixture;
  static DaebugClient client;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, "client.html", "slow.html");
    client = Daebug.connect(ClientOptions.of(fixture.broker().uri()).withClientName("it-client"));
  }

  @AfterAll
  static void stop() {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  @Test
  void runsInTheTabAndTheJournalShowsTheRequestAndReplyUnderTheClientsName() {
    LogFile log = fixture.realm("client.html");
    JobResult r = client.run(JobRequest.js(log.realm(), "document.title"), WAIT);
    assertThat(r.outcome()).isEqualTo(JobOutcome.OK);
    assertThat(r.asText()).isEqualTo(Pages.TITLE);
    assertThat(r.duration()).isPositive();
    log.awaitFind("""
        ### 🗣️it-client to %1$s at {time}
        ```JS
        document.title
        ```
        #### 👍%1$s to it-client at {time} ({ms})
        ```JSON
        "Daebug demo"
        ```

        """.formatted(log.realm()) + LogFile.FOOTER);

    JobResult special = client.run(JobRequest.js(log.realm(), "[NaN, undefined, 12n, document.getElementById('app')]"),
        WAIT);
    assertThat(special.value().get(0).path("repr").asText()).isEqualTo("NaN");
    assertThat(special.value().get(1).path("$daebug").asText()).isEqualTo("undefined");
    assertThat(special.value().get(2).path("repr").asText()).isEqualTo("12");
    assertThat(special.value().get(3).path("repr").asText()).isEqualTo("<div id=\"app\" class=\"x\">");
  }

  @Test
  void eventsArriveWhileTheJobRunsAndComeWithItsResult() throws Exception {
    LogFile log = fixture.realm("slow.html");
    List<RealmEvent> seen = new CopyOnWriteArrayList<>();
    var watch = client.watch(log.realm(), seen::add);
    try {
      CompletableFuture<JobResult> job = client.submit(JobRequest.js(log.realm(), """
          console.log('first');
          await new Promise(r => setTimeout(r, 300));
          console.log('second');
          'done'"""));
      await().untilAsserted(() -> assertThat(seen).extracting(RealmEvent::text).contains("first"));
      assertThat(job).as("still running when its first event arrived").isNotDone();
      JobResult r = job.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(r.asText()).isEqualTo("done");
      assertThat(r.events()).extracting(RealmEvent::text).containsExactly("first", "second");
      assertThat(r.events()).allSatisfy(e -> assertThat(e.job()).isEqualTo(r.jobId()));
    } finally {
      watch.close();
    }
    log.awaitFind("""
        #### 👍%1$s to it-client at {time} ({ms})
        ```JSON
        "done"
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} first
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} second
        ```
        """.formatted(log.realm()));
  }

  @Test
  void cancelAndTimeoutEndTheJobAndThePageKeepsWorking() {
    LogFile log = fixture.realm("client.html");
    CompletableFuture<JobResult> forever = client.submit(JobRequest.js(log.realm(), "await new Promise(() => {})"));
    await().untilAsserted(() -> assertThat(log.read()).contains("await new Promise(() => {})\n```\n#### 👍"));
    forever.cancel(true);
    // The placeholder is in the file before the job is pushed (the write comes first), so the cancel may find the job
    // still queued: then it says "job cancelled by it-client before it ran". Either way the cancel ends it.
    log.awaitFind("""
        await new Promise(() => {})
        ```
        #### 🚫%1$s to it-client at {time} ({ms})
        ```Error
        job cancelled by it-client""".formatted(log.realm()));

    assertThatThrownBy(() -> client.run(JobRequest.js(log.realm(), "await new Promise(r => setTimeout(r, 5000))")
        .withTimeout(Duration.ofMillis(300)), WAIT)).isInstanceOf(JobTimeoutException.class);
    log.awaitFind("""
        #### 🚫%1$s to it-client at {time} (300ms)
        ```Error
        job timed out after 300ms
        ```
        """.formatted(log.realm()));

    assertThatThrownBy(() -> client.run(JobRequest.js(log.realm(), "null.x"), WAIT))
        .isInstanceOfSatisfying(JobFailedException.class,
            e -> assertThat(e.error().name()).isEqualTo("TypeError"));
    assertThat(client.run(JobRequest.js(log.realm(), "6 * 7"), WAIT).asInt()).isEqualTo(42);
  }

  @Test
  void theClientAndTheTabBothReconnectToARestartedBroker(@TempDir Path other) throws Exception {
    Pages.write(other, "restart.html");
    try (BrokerProcess first = BrokerProcess.start(other);
        Chromium chromium = Chromium.launch()) {
      var uri = first.awaitUri();
      chromium.openTab(uri + "restart.html");
      LogFile log = new Registry(other).awaitLive(uri + "restart.html");
      try (DaebugClient c = Daebug.connect(ClientOptions.of(uri).withClientName("restarts")
          .withReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)))) {
        assertThat(c.run(JobRequest.js(log.realm(), "1 + 1"), WAIT).asInt()).isEqualTo(2);
        first.process().destroyForcibly().onExit().get(10, TimeUnit.SECONDS);
        await().untilAsserted(() -> assertThat(c.isConnected()).isFalse());
        try (BrokerProcess second = BrokerProcess.startOnPort(other, uri.getPort())) {
          second.awaitUri();
          await(WAIT).untilAsserted(() -> assertThat(c.isConnected()).isTrue());
          await(WAIT).untilAsserted(() -> assertThat(c.realm(log.realm()))
              .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo("live")));
          assertThat(c.run(JobRequest.js(log.realm(), "'after restart'"), WAIT).asText()).isEqualTo("after restart");
          log.awaitFind("""
              ### 🗣️restarts to %1$s at {time}
              ```JS
              'after restart'
              ```
              #### 👍%1$s to restarts at {time} ({ms})
              ```JSON
              "after restart"
              ```
              """.formatted(log.realm()));
        }
      }
    }
  }

  @Test
  void theReadmeExampleControlsATab() {
    LogFile log = fixture.realm("client.html");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.daebug.it.examples.RunInRealmExample.run(fixture.broker().uri(), log.realm(),
        "console.log('from the page'); document.title", new java.io.PrintStream(out, true,
            java.nio.charset.StandardCharsets.UTF_8));
    await().untilAsserted(() -> assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("log: from the page").contains("\"Daebug demo\" (").contains("\n2\n"));
    log.awaitFind("""
        ### 🗣️example to %1$s at {time}
        ```JS
        console.log('from the page'); document.title
        ```
        """.formatted(log.realm()));
  }

  @Test
  void theJavaClientDrivesAJvmRealm() throws Exception {
    try (io.daebug.client.realm.JvmRealm jvm = io.daebug.client.realm.JvmRealm.start(
        io.daebug.client.realm.RealmOptions.of(fixture.broker().uri()).withName("it-jvm"))) {
      jvm.awaitConnected(WAIT);
      client.awaitRealm("it-jvm", WAIT);
      JobResult r = client.run(JobRequest.of("it-jvm", "int answer = 40 + 2;\nSystem.out.println(\"computing\");\nanswer"),
          WAIT);
      assertThat(r.asInt()).isEqualTo(42);
      assertThat(r.events()).extracting(RealmEvent::text).containsExactly("computing");
      assertThat(client.run(JobRequest.of("it-jvm", "answer * 2"), WAIT).asInt()).isEqualTo(84);
      assertThatThrownBy(() -> client.run(JobRequest.of("it-jvm", "Integer.parseInt(\"x\")"), WAIT))
          .isInstanceOfSatisfying(JobFailedException.class,
              e -> assertThat(e.error().name()).isEqualTo("java.lang.NumberFormatException"));
      String log = LogFile.read(root.resolve("daebug/it-jvm.md"));
      assertThat(log).contains("### 🗣️it-client to it-jvm at ").contains("```java\nint answer = 40 + 2;\n")
          .contains("> Append your Java snippet below");
    }
  }

  @Test
  void theJavaClientDrivesANodeRealm(@TempDir Path folder) throws Exception {
    try (NodeRealmProcess node = NodeRealmProcess.start(fixture.broker().uri(), "it-node", folder)) {
      client.awaitRealm("it-node", WAIT);
      assertThat(node.isAlive()).isTrue();
      JobResult r = client.run(JobRequest.js("it-node", "console.log('from node'); require('node:os').platform()"),
          WAIT);
      assertThat(r.asText()).isEqualTo("linux");
      assertThat(r.events()).extracting(RealmEvent::text).containsExactly("from node");
      assertThat(client.run(JobRequest.js("it-node", "const m = await import('node:path'); m.sep"), WAIT).asText())
          .isEqualTo("/");
      assertThat(LogFile.read(root.resolve("daebug/it-node.md"))).contains("### 🗣️it-client to it-node at ")
          .contains("```JS\nconsole.log('from node'); require('node:os').platform()\n```\n");
    }
  }

  @Test
  void anUnknownRealmIsRefusedAndNothingIsJournalled() {
    assertThatThrownBy(() -> client.run(JobRequest.js("no-such-realm", "1"), WAIT))
        .isInstanceOf(RealmNotFoundException.class).hasMessageContaining("no-such-realm");
    assertThat(root.resolve("daebug/no-such-realm.md")).doesNotExist();
  }

  @Test
  void aClientWithoutTheTokenIsRefusedWhenOneIsRequired(@TempDir Path other) throws Exception {
    try (BrokerProcess broker = BrokerProcess.start(other, "--require-token", "--token", "it-secret-token")) {
      // The printed URL carries the token; a client that was not given it connects to the bare address.
      var uri = java.net.URI.create("http://" + broker.awaitUri().getAuthority() + "/");
      assertThatThrownBy(() -> Daebug.connect(ClientOptions.of(uri).withConnectTimeout(Duration.ofSeconds(5))))
          .isInstanceOf(BrokerUnavailableException.class).hasMessageContaining("401");
      try (DaebugClient withToken = Daebug.connect(ClientOptions.of(uri).withToken("it-secret-token"))) {
        assertThat(withToken.isConnected()).isTrue();
        assertThat(withToken.realms()).isEmpty();
      }
    }
  }

  @Test
  void aCancelLineInTheLogEndsAClientsJob() throws Exception {
    LogFile log = fixture.realm("client.html");
    CompletableFuture<JobResult> waiting = client.submit(JobRequest.js(log.realm(), "await new Promise(() => {})"));
    await().untilAsserted(() -> assertThat(log.read()).contains("await new Promise(() => {})\n```\n#### 👍"));
    log.append("%%CANCEL%%\n");
    assertThatThrownBy(() -> waiting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .hasCauseInstanceOf(JobCancelledException.class);
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a new user trips over (issue 16): each test here failed before its fix. */
class NewUserTest extends OneBrokerRig {
  @Test
  void aSecondBrokerOnTheSameFolderIsRefusedWithTheRunningOnesUrlAndPid() throws Exception {
    String url = "http://127.0.0.1:" + broker.port() + "/";
    JsonNode lock = new ObjectMapper().readTree(Files.readString(root.resolve("daebug/.broker")));
    assertThat(lock.get("url").asText()).isEqualTo(url);
    assertThat(lock.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(lock.has("token")).isFalse();
    String registry = broker.registry();

    assertThatThrownBy(() -> TestBroker.start(root)).isInstanceOf(IOException.class)
        .hasMessageContaining("another Daebug broker already serves " + root)
        .hasMessageContaining(url)
        .hasMessageContaining("pid " + ProcessHandle.current().pid());

    // The refused broker touched nothing: the registry is the running broker's, which still serves.
    assertThat(broker.registry()).isEqualTo(registry).doesNotContain("SHUT DOWN");
    rig.connected("still-served");
    broker.close();
    assertThat(Files.readString(root.resolve("daebug/.broker"))).as("emptied when the broker stops").isEmpty();
    try (TestBroker next = TestBroker.start(root)) {
      assertThat(Files.readString(root.resolve("daebug/.broker"))).contains("\"url\":\"http://127.0.0.1:" + next.port() + "/\"");
    }
  }

  @Test
  void aBadOptionIsRefusedNamingTheOptionAndItsValidForms() throws Exception {
    FakeRealm realm = rig.connected("opts");
    broker.append("opts", "```js timeout=soon\n1\n```\n```js colour=red\n2\n```\n```js timeout=250ms\n3\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("opts")).contains("""
        ```js timeout=soon
        1
        ```
        #### 🚫opts to agent at 09:05:03 (0ms)
        ```Error
        bad option `timeout=soon`: a timeout is written `timeout=500ms`, `timeout=5s`, `timeout=2m` or `timeout=5` (seconds); nothing ran
        ```
        """).contains("""
        ```js colour=red
        2
        ```
        #### 🚫opts to agent at 09:05:03 (0ms)
        ```Error
        unknown option `colour=red`: the one request option is the timeout, `timeout=500ms`, `timeout=5s`, `timeout=2m` or `timeout=5` (seconds); nothing ran
        ```
        """));
    var job = realm.awaitJob();
    assertThat(job.code()).isEqualTo("3");
    assertThat(job.timeoutMs()).isEqualTo(250);
    realm.sendResult(job.id(), "3");
    await().untilAsserted(() -> assertThat(broker.log("opts")).contains("```JSON\n3\n```\n"));
  }

  @Test
  void misaddressedAndMalformedRequestsAreRefusedInTheLogTheyWereWrittenTo() throws Exception {
    FakeRealm realm = rig.connected("here");
    broker.append("here", "### 🗣️claude to elsewhere at 10:11:12\n```js\n1\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("here")).contains("""
        #### 🚫here to claude at 09:05:03 (0ms)
        ```Error
        this log is realm here's, but the request's header names elsewhere: nothing ran.
        To run it in elsewhere, append it to daebug/elsewhere.md (realms are listed in daebug.md); to run it here, name here in the header.
        ```
        """));
    broker.append("here", "## claude to here at 10:11:12\n```js\n2\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("here")).contains("""
        #### 🚫here to agent at 09:05:03 (0ms)
        ```Error
        the line `## claude to here at 10:11:12` above this request is not a request header, so it would run as agent's: nothing ran.
        A header is `### 🗣️<agent> to here at HH:MM:SS` (or no header at all).
        ```
        """));
    broker.append("here", "### 🗣️claude to Here at 10:11:13\n```js\n3\n```\n");
    var job = realm.awaitJob();
    assertThat(job.code()).as("a header naming this realm (in any case) runs").isEqualTo("3");
    realm.sendResult(job.id(), "3");
    await().untilAsserted(() -> assertThat(broker.log("here")).contains("```JSON\n3\n```\n"));
  }

  @Test
  void aForgottenClosingFenceDoesNotRunTwoRequestsAsOne() throws Exception {
    rig.connected("merged");
    broker.append("merged", "### 🗣️claude to merged at 10:11:12\n```js\nconst a = 1;\n");
    broker.append("merged", "### 🗣️claude to merged at 10:11:20\n```js\na + 1\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("merged")).contains("""
        ```js
        const a = 1;
        ### 🗣️claude to merged at 10:11:20
        ```js
        a + 1
        ```
        #### 🚫merged to claude at 09:05:03 (0ms)
        ````Error
        this fence holds another request (its line 2: `### 🗣️claude to merged at 10:11:20`): the fence above it was not closed, so the two were read as one and nothing ran.
        Close the first request's fence (a line ``` after its code) and append the requests again.
        ````
        """));
  }

  @Test
  void aRequestToADisconnectedRealmSaysItWaitsForTheRealmAndRunsWhenItIsBack() throws Exception {
    FakeRealm first = rig.connect();
    assertThat(first.hello("away", "t-away").name()).isEqualTo("away"); // its tab id resumes it later
    rig.awaitLog("away");
    first.close();
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("away", "disconnected")));
    broker.append("away", "```js\n'back'\n```\n");
    await().untilAsserted(() -> assertThat(broker.log("away")).contains("""
        ```js
        'back'
        ```
        #### 👍away to agent at 09:05:03
        queued (0 ahead): realm disconnected at 09:05:03, waiting up to 30s for it to return
        """));
    FakeRealm again = rig.connect();
    assertThat(again.hello("away", "t-away").name()).isEqualTo("away");
    var job = again.awaitJob();
    assertThat(job.code()).isEqualTo("'back'");
    again.sendResult(job.id(), "\"back\"");
    await().untilAsserted(() -> assertThat(broker.log("away")).contains("```JSON\n\"back\"\n```\n")
        .doesNotContain("waiting up to"));
  }

  @Test
  void aRequestInTheLogOfNoConnectedRealmIsAnsweredThereWithTheLiveRealms() throws Exception {
    rig.connected("live-one");
    Path ghost = root.resolve("daebug/ghost.md");
    Files.writeString(ghost, "### 🗣️claude to ghost at 10:11:12\n```js\n1 + 1\n```\n");
    // told after 3 s without a realm named ghost (a log written just before its realm connects is left alone)
    await(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TestBroker.read(ghost)).isEqualTo("### 🗣️claude to ghost at 10:11:12\n```js\n1 + 1\n```\n"
        + "\n> 🚫 daebug: no realm named `ghost` is connected, so nothing in this file runs yet: its requests run when a"
        + " realm named ghost connects. Live realms: live-one (see daebug.md; each has its log in daebug/).\n"));
  }

  @Test
  void codeAppendedToTheRegistryIsNotRunAndIsKeptUnderANote() throws Exception {
    rig.connected("listed");
    Path registry = root.resolve("daebug.md");
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("listed", "live")));
    Files.writeString(registry, "### 🗣️claude to listed at 10:11:12\n```js\ndocument.title\n```\n",
        java.nio.file.StandardOpenOption.APPEND);
    await().untilAsserted(() -> assertThat(broker.registry()).contains("""
        ## 🚫 Not run

        Code written into this file does not run: `daebug.md` only lists the realms. Append a request to a
        realm's log instead, `daebug/<realm>.md` (the links above). What was written here, kept as it was:

        ### 🗣️claude to listed at 10:11:12
        ```js
        document.title
        ```
        """).contains(SpecAuditTest.Rig.line("listed", "live")));
    FakeRealm second = rig.connected("another");
    assertThat(second).isNotNull();
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("another", "live"))
        .contains("```js\ndocument.title\n```\n"));
  }

  @Test
  void aDeletedRegistryIsWrittenAgainAtOnce() throws Exception {
    rig.connected("listed");
    Path registry = root.resolve("daebug.md");
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("listed", "live")));
    Files.delete(registry);
    await().untilAsserted(() -> assertThat(broker.registry()).contains(SpecAuditTest.Rig.line("listed", "live")));
  }
}

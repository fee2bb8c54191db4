package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A page's web workers as realms of their own: named after the page, driven from their logs, restartable. */
class WorkerIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root);
    Pages.copySite(root);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void classicAndModuleWorkersAreRealmsWithTheirOwnLogs() {
    LogFile page = fixture.realm("workers.html");
    LogFile classic = fixture.registry().awaitLive("worker://" + page.realm() + "-webworker");
    LogFile module = fixture.registry().awaitLive("worker://" + page.realm() + "-worker-2");
    assertThat(classic.realm()).isEqualTo(page.realm() + "-webworker");
    assertThat(module.realm()).isEqualTo(page.realm() + "-worker-2");

    classic.append("```js\nconsole.info('in', typeof importScripts);\n[greeting, helper(), self.constructor.name]\n```\n");
    classic.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        console.info('in', typeof importScripts);
        [greeting, helper(), self.constructor.name]
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        [
          "classic",
          "helped",
          "DedicatedWorkerGlobalScope"
        ]
        ```
        ##### ℹ️console.info
        ```Text console.info
        {time} in function
        ```

        """.formatted(classic.realm()));

    module.append("```js\n(await fetch('data.json').then((r) => r.json())).from + ' ' + self.greeting\n```\n");
    module.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        (await fetch('data.json').then((r) => r.json())).from + ' ' + self.greeting
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "data.json module"
        ```

        """.formatted(module.realm()));

    page.append("```js\nawait Promise.all([classic, module].map((w) => new Promise((r) => {"
        + " w.onmessage = (e) => r(e.data); w.postMessage('ping'); })))\n```\n");
    page.awaitFind("""
        ```JSON
        [
          "pong classic ping helped",
          "pong module ping helped"
        ]
        ```
        """);
  }

  @Test
  void workerConsoleAndUncaughtErrorsAreCapturedInTheWorker() {
    LogFile page = fixture.realm("workers.html");
    LogFile classic = fixture.registry().awaitLive("worker://" + page.realm() + "-webworker");
    classic.awaitFind("##### ☑️console.log\n```Text console.log\n{time} classic worker started\n```\n");

    classic.append("```js\nsetTimeout(() => { throw new TypeError('late in worker'); }, 10); 'armed'\n```\n");
    classic.awaitFind("""
        ### 🗣️%1$s background at {time}
        ##### 🚫self.onerror
        ```Error self.onerror
        {time} TypeError: late in worker
        """.formatted(classic.realm()));
  }

  @Test
  void aWorkerStuckInALoopIsTerminatedAndRestartedAndTheNextJobRuns() {
    LogFile page = fixture.realm("workers.html");
    LogFile classic = fixture.registry().awaitLive("worker://" + page.realm() + "-webworker");

    classic.append("```js\nwhile (true) {}\n```\n");
    classic.awaitFind("```js\nwhile (true) {}\n```\n#### 👍" + classic.realm() + " to agent at {time}\nexecuting (");
    classic.appendMore("%%CANCEL%%\n");
    classic.awaitFind("```js\nwhile (true) {}\n```\n#### 🚫" + classic.realm() + " to agent at {time} ({ms})\n"
        + "```Error\njob cancelled by a %%CANCEL%% line\n```\n");
    classic.awaitFind("""
        ##### ℹ️console.info
        ```Text console.info
        {time} daebug: worker terminated and restarted to stop job {job}
        ```
        """);
    fixture.registry().awaitLive("worker://" + classic.realm());

    classic.append("```js\ngreeting\n```\n");
    classic.awaitFind("```js\ngreeting\n```\n#### 👍" + classic.realm() + " to agent at {time} ({ms})\n```JSON\n\"classic\"\n```\n");
  }

  @Test
  void aWorkersTableAndGroupAreCapturedToo() {
    LogFile page = fixture.realm("workers.html");
    LogFile module = fixture.registry().awaitLive("worker://" + page.realm() + "-worker-2");
    module.append("```js\nconsole.group('rows'); console.table(['a', 'b']); console.groupEnd(); 2\n```\n");
    module.awaitFind("""
        ##### ☑️console.group
        ```Text console.group
        {time} rows
        ```
        ##### ☑️console.table
        ```Text console.table
        {time}   ┌─────────┬────────┐
          │ (index) │ Values │
          ├─────────┼────────┤
          │ 0       │ 'a'    │
          │ 1       │ 'b'    │
          └─────────┴────────┘
        ```
        """);
  }

  @Test
  void aWorkersTimeoutRestartsItAndTheNextJobRuns() {
    LogFile page = fixture.realm("workers.html");
    LogFile classic = fixture.registry().awaitLive("worker://" + page.realm() + "-webworker");

    classic.append("```js timeout=1s\nwhile (true) {}\n```\n```js\ngreeting + ' again'\n```\n");
    classic.awaitFind("```js timeout=1s\nwhile (true) {}\n```\n#### 🚫" + classic.realm() + " to agent at {time} ({ms})\n"
        + "```Error\njob timed out after 1000ms\nthe worker is terminated and restarted to stop it (its state is lost);"
        + " the next job runs in the new worker\n```\n");
    classic.awaitFind("```js\ngreeting + ' again'\n```\n#### 👍" + classic.realm()
        + " to agent at {time} ({ms})\n```JSON\n\"classic again\"\n```\n");
    classic.awaitFind("{time} daebug: worker terminated and restarted to stop job {job}\n");
  }

  @Test
  void theScratchWorkerRunsCodeOffThePage() {
    LogFile page = fixture.realm("workers.html");
    page.append("```js\nawait daebug.worker()\n```\n");
    page.awaitFind("```JSON\n\"" + page.realm() + "-worker-3\"\n```\n");
    LogFile scratch = fixture.registry().awaitLive("worker://" + page.realm() + "-worker-3");
    scratch.append("```js\ntypeof document + ' ' + (self === globalThis)\n```\n");
    scratch.awaitFind("```JSON\n\"undefined true\"\n```\n");
    await().untilAsserted(() -> assertThat(fixture.registry().read()).contains("(worker://" + page.realm() + "-worker-3)"));
  }
}

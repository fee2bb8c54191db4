package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Node process as a realm ({@code client-js/bin/daebug-realm.mjs}) with the broker as users run it, both in
 * their own processes; requests appended to {@code daebug/node-it.md} like an agent's, replies checked byte by byte.
 */
class NodeRealmIT {
  /**
   * Stands for Node's own {@code at ... (node:internal/...)} frames in a template: their line numbers change with
   * every Node release.
   */
  private static final String INTERNAL_FRAMES = "{node-internal-frames}";

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
    node = NodeRealmProcess.start(uri, "node-it", root);
    log = awaitListed("node-it", node, "live");
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

  @Test
  void valuesTopLevelAwaitAndStateBetweenJobs() {
    log.append("### 🗣️claude to node-it at 10:11:12\n```js\n1 + 1\n```\n");
    log.awaitAppended("""
        ### 🗣️claude to node-it at 10:11:12
        ```js
        1 + 1
        ```
        #### 👍node-it to claude at {time} ({ms})
        ```JSON
        2
        ```

        """);

    log.append("```js\nconst answer = await new Promise(r => setTimeout(() => r(41), 20));\nanswer + 1\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        const answer = await new Promise(r => setTimeout(() => r(41), 20));
        answer + 1
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        42
        ```

        """);

    log.append("```js\nlet seen = new Set([answer, 12n]); seen\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        let seen = new Set([answer, 12n]); seen
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```Text
        Set(2) { 41, 12n }
        ```

        """);

    log.append("```js\n[seen.size, answer * 2, process.pid]\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        [seen.size, answer * 2, process.pid]
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        [
          2,
          82,
          %d
        ]
        ```

        """.formatted(node.pid()));
  }

  @Test
  void requireAndDynamicImport() {
    log.append("```js\nrequire('node:os').platform()\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        require('node:os').platform()
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        "%s"
        ```

        """.formatted(nodePlatform()));

    log.append("```js\nconst path = await import('node:path');\npath.posix.join('daebug', 'node-it.md')\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        const path = await import('node:path');
        path.posix.join('daebug', 'node-it.md')
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        "daebug/node-it.md"
        ```

        """);
  }

  @Test
  void consoleOutputOfAJobIsWrittenUnderItsReply() {
    log.append("```js\nconsole.log('from node', { pid: typeof process.pid });\nconsole.warn('careful');\n\"logged\"\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        console.log('from node', { pid: typeof process.pid });
        console.warn('careful');
        "logged"
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        "logged"
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} from node {"pid":"number"}
        ```
        ##### 🆘console.warn
        ```Text console.warn
        {time} careful
        ```

        """);
    await().untilAsserted(() -> assertThat(node.output()).contains("from node { pid: 'number' }\ncareful"));
  }

  @Test
  void anUncaughtErrorInATimerIsABackgroundEventAndTheProcessLivesOn() {
    log.append("```js\nsetTimeout(() => { throw new Error('late bang') }, 50); 'scheduled'\n```\n");
    awaitAppendedWithInternalFrames("""
        ### 🗣️agent to node-it at {time}
        ```js
        setTimeout(() => { throw new Error('late bang') }, 50); 'scheduled'
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        "scheduled"
        ```

        ### 🗣️node-it background at {time}
        ##### 🚫uncaughtException
        ```Error uncaughtException
        {time} Error: late bang
            at Timeout.eval [as _onTimeout] (daebug-{job}.js:1:26)
        %s```

        """.formatted(INTERNAL_FRAMES));
    assertThat(node.isAlive()).as("node process alive; output:%n%s", node.output()).isTrue();

    log.append("```js\n'still here'\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        'still here'
        ```
        #### 👍node-it to agent at {time} ({ms})
        ```JSON
        "still here"
        ```

        """);
  }

  @Test
  void aThrownErrorIsAFailedReplyWithTheJobsFrames() {
    log.append("### 🗣️claude to node-it at 10:11:12\n```js\nnull.foo\n```\n");
    log.awaitAppended("""
        ### 🗣️claude to node-it at 10:11:12
        ```js
        null.foo
        ```
        #### 🚫node-it to claude at {time} ({ms})
        ```Error
        TypeError: Cannot read properties of null (reading 'foo')
            at eval (daebug-{job}.js:1:6)
        ```

        """);

    log.append("```js\nfunction check(n) { if (n > 1) throw new RangeError('too big: ' + n); }\ncheck(2)\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to node-it at {time}
        ```js
        function check(n) { if (n > 1) throw new RangeError('too big: ' + n); }
        check(2)
        ```
        #### 🚫node-it to agent at {time} ({ms})
        ```Error
        RangeError: too big: 2
            at check (daebug-{job}.js:1:38)
            at eval (daebug-{job}.js:2:1)
        ```

        """);
  }

  @Test
  void aKilledNodeProcessIsListedDisconnected() throws IOException {
    try (NodeRealmProcess doomed = NodeRealmProcess.start(uri, "node-it-killed", root)) {
      awaitListed("node-it-killed", doomed, "live");
      doomed.kill();
      awaitListed("node-it-killed", doomed, "disconnected");
    }
  }

  /** Waits for {@code name} to be listed in {@code daebug.md} with the process's {@code node://pid@host} URL. */
  private static LogFile awaitListed(String name, NodeRealmProcess process, String state) {
    Pattern line = Pattern.compile("^\\* \\[" + name + "\\]\\(daebug/" + name + "\\.md\\) \\(node://" + process.pid()
        + "@[^)\\s]+\\) at \\d\\d:\\d\\d:\\d\\d: " + Pattern.quote(state) + "$", Pattern.MULTILINE);
    Registry registry = new Registry(root);
    await().untilAsserted(() -> {
      Matcher m = line.matcher(registry.read());
      assertThat(m.find()).as("a %s line for %s in daebug.md:%n%s%nnode output:%n%s%nbroker output:%n%s", state, name,
          registry.read(), process.output(), broker.output()).isTrue();
    });
    LogFile file = new LogFile(name, root.resolve("daebug").resolve(name + ".md"));
    await().untilAsserted(() -> assertThat(file.read()).as("log of %s", name).endsWith(LogFile.REALM_FOOTER));
    return file;
  }

  /** {@link LogFile#awaitAppended} where {@value #INTERNAL_FRAMES} matches any run of Node's internal frames. */
  private static void awaitAppendedWithInternalFrames(String template) {
    String frames = "(?:    at [^\\n]*\\(node:internal/[^\\n]*\\)\\n)*";
    String body = Arrays.stream(template.split(Pattern.quote(INTERNAL_FRAMES), -1)).map(LogFile::regex)
        .collect(Collectors.joining(frames));
    Pattern expected = Pattern.compile(Pattern.quote(log.before()) + body + Pattern.quote(LogFile.REALM_FOOTER),
        Pattern.DOTALL);
    await().untilAsserted(() -> assertThat(log.read()).as("log of node-it (template: %s)", template)
        .matches(expected));
  }

  /** What Node's {@code os.platform()} says on this machine. */
  private static String nodePlatform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return os.startsWith("windows") ? "win32" : os.startsWith("mac") ? "darwin" : os.replace(" ", "");
  }
}

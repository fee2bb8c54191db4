package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone Python realm ({@code python3 -m daebug}, client-python) with the broker as users run them, each in
 * its own process; requests appended to {@code daebug/py-it.md} like an agent's, replies checked byte by byte, and
 * jobs submitted through the Java client.
 */
class PythonRealmIT {
  @TempDir
  static Path root;

  static BrokerProcess broker;
  static URI uri;
  static PythonRealmProcess python;
  static LogFile log;

  @BeforeAll
  static void start() throws IOException {
    broker = BrokerProcess.start(root);
    uri = broker.awaitUri();
    python = PythonRealmProcess.start(uri, "py-it", root);
    log = new Registry(root).awaitPython("py-it", python, "live", broker::output);
  }

  @AfterAll
  static void stop() {
    try {
      if (python != null) {
        python.close();
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  void valuesInPythonNotationStateAndTopLevelAwait() {
    log.append("### 🗣️claude to py-it at 10:11:12\n```python\nx = 5\nx * 2\n```\n");
    log.awaitAppended("""
        ### 🗣️claude to py-it at 10:11:12
        ```python
        x = 5
        x * 2
        ```
        #### 👍py-it to claude at {time} ({ms})
        ```JSON
        10
        ```

        """);

    log.append("```py\n(x, {1}, float('nan'), -0.0, b'\\x00', 1.0, {1: None})\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```py
        (x, {1}, float('nan'), -0.0, b'\\x00', 1.0, {1: None})
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```Text
        (5, {1}, nan, -0.0, b'\\x00', 1.0, {1: None})
        ```

        """);

    log.append("```python\nimport asyncio\ny = await asyncio.sleep(0.01, x + 1)\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        import asyncio
        y = await asyncio.sleep(0.01, x + 1)
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```Text
        None
        ```

        """);

    log.append("```python\n[y, 2 ** 70, 0.1]\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        [y, 2 ** 70, 0.1]
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```JSON
        [
          6,
          1180591620717411303424,
          0.1
        ]
        ```

        """);
  }

  @Test
  void anErrorIsAFailedReplyWithItsTracebackAndASyntaxErrorNamesLineAndColumn() {
    log.append("```python\ndef check(n):\n    if n > 1:\n        raise ValueError(f'too big: {n}')\ncheck(2)\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        def check(n):
            if n > 1:
                raise ValueError(f'too big: {n}')
        check(2)
        ```
        #### 🚫py-it to agent at {time} ({ms})
        ```Error
        Traceback (most recent call last):
          File "<job {job}>", line 4, in <module>
            check(2)
          File "<job {job}>", line 3, in check
            raise ValueError(f'too big: {n}')
        ValueError: too big: 2
        ```

        """);

    log.append("```python\nx = [1,\n     2 +]\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        x = [1,
             2 +]
        ```
        #### 🚫py-it to agent at {time} ({ms})
        ```Error
        SyntaxError: invalid syntax (line 2, column 9)
          File "<job {job}>", line 2
            2 +]
               ^
        ```

        """);
  }

  @Test
  void printAndLoggingDuringAJobAreItsEventsAndStillReachTheProcessOutput() {
    log.append("```python\nimport logging\nprint('hello from python')\nlogging.getLogger('app').warning('careful')\n"
        + "'logged'\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        import logging
        print('hello from python')
        logging.getLogger('app').warning('careful')
        'logged'
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```JSON
        "logged"
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} hello from python
        ```
        ##### 🆘console.warn
        ```Text console.warn
        {time} WARNING:app:careful
        ```

        """);
    await().untilAsserted(() -> assertThat(python.output()).contains("hello from python"));
  }

  @Test
  void loggingOutsideAJobIsABackgroundEvent() {
    log.append("```python\nimport logging, threading\n"
        + "threading.Timer(0.1, lambda: logging.getLogger('bg').error('tick from a timer')).start()\n'scheduled'\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        import logging, threading
        threading.Timer(0.1, lambda: logging.getLogger('bg').error('tick from a timer')).start()
        'scheduled'
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```JSON
        "scheduled"
        ```

        ### 🗣️py-it background at {time}
        ##### 🆘console.error
        ```Error console.error
        {time} ERROR:bg:tick from a timer
        ```

        """);
  }

  @Test
  void anUncaughtExceptionInAThreadIsABackgroundError() {
    log.append("```python\nimport threading\n"
        + "threading.Timer(0.1, lambda: 1 / 0).start()\n'started'\n```\n");
    log.awaitFind("""
        'started'
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```JSON
        "started"
        ```

        ### 🗣️py-it background at {time}
        ##### 🚫threading.excepthook
        ```Error threading.excepthook
        {time} Exception in thread Thread-""");
    log.awaitFind("ZeroDivisionError: division by zero\n```\n\n" + LogFile.PYTHON_FOOTER);
    await().untilAsserted(() -> assertThat(python.output()).contains("ZeroDivisionError: division by zero"));
  }

  @Test
  void aTimeoutReallyStopsALoop() {
    log.append("```python timeout=1000ms\nspins = 0\nwhile True:\n    spins += 1\n```\n");
    String request = """
        ### 🗣️agent to py-it at {time}
        ```python timeout=1000ms
        spins = 0
        while True:
            spins += 1
        ```
        #### 🚫py-it to agent at {time} (1000ms)
        ```Error
        job timed out after 1000ms
        ```
        """;
    log.awaitAppended(request + "\n");
    // The realm stops the loop itself (an exception raised in the job's thread) and says where it was.
    log.awaitAppendedMatching(LogFile.regex(request + """
        #### 🚫py-it to agent at {time} ({duration}) (late)
        ```Error
        Traceback (most recent call last):
        """) + "  File \"<job j-[0-9a-z]+-\\d+>\", line [2-4], in <module>\n.*\n"
        + LogFile.regex("Timeout: job stopped by the realm after 1000ms\n```\n\n"),
        request + "#### 🚫py-it to agent at {time} ({duration}) (late) ... Timeout: job stopped by the realm after 1000ms");

    log.append("```python\nimport time\nbefore = spins\ntime.sleep(0.2)\n(spins == before, spins > 0)\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        import time
        before = spins
        time.sleep(0.2)
        (spins == before, spins > 0)
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```Text
        (True, True)
        ```

        """);
  }

  @Test
  void cancelStopsALoopAndTheNextJobRuns() {
    log.append("```python\nturns = 0\nwhile True:\n    turns += 1\n```\n");
    log.awaitFind("    turns += 1\n```\n#### 👍py-it to agent at {time}\nexecuting (");
    log.appendMore("%%CANCEL%%\n");
    log.awaitFind("#### 🚫py-it to agent at {time} ({duration})\n```Error\njob cancelled by a %%CANCEL%% line\n```\n"
        + "#### 🚫py-it to agent at {time} ({duration}) (late)\n```Error\nTraceback (most recent call last):\n");
    log.awaitFind("Cancelled: job stopped by the realm: cancelled by a %%CANCEL%% line\n```\n");

    log.append("```python\nimport time\nbefore = turns\ntime.sleep(0.2)\n('after the cancel', turns == before)\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to py-it at {time}
        ```python
        import time
        before = turns
        time.sleep(0.2)
        ('after the cancel', turns == before)
        ```
        #### 👍py-it to agent at {time} ({ms})
        ```Text
        ('after the cancel', True)
        ```

        """);
  }

  @Test
  void aJobStuckInABlockingCallIsReportedHonestlyAndTheRealmStaysUsable() {
    log.append("```python timeout=500ms\nimport time\ntime.sleep(3)\n'woke'\n```\n");
    log.awaitFind("time.sleep(3)\n'woke'\n```\n#### 🚫py-it to agent at {time} (500ms)\n```Error\n"
        + "job timed out after 500ms\n```\n");
    // Python raises the stop only between bytecodes: the realm says so, and runs the next job on a new thread.
    log.awaitFind("##### 🆘console.warn\n```Text console.warn\n{time} daebug: job {job} is in a call Python cannot "
        + "interrupt (a blocking C call such as time.sleep, a socket read or a lock); it stops when that call "
        + "returns. The next job runs on a new thread.\n```\n");
    log.append("```python\n'not stuck'\n```\n");
    log.awaitFind("```python\n'not stuck'\n```\n#### 👍py-it to agent at {time} ({ms})\n```JSON\n\"not stuck\"\n```\n");
    log.awaitFind("#### 🚫py-it to agent at {time} ({duration}) (late)\n```Error\nTraceback (most recent call last):\n"
        + "  File \"<job {job}>\", line 2, in <module>\n    time.sleep(3)\nTimeout: job stopped by the realm after "
        + "500ms when its blocking call returned, 3.");
  }

  @Test
  void drivenFromTheJavaClient() throws Exception {
    try (DaebugClient client = Daebug.connect(ClientOptions.of(uri).withClientName("java-it"))) {
      JobResult r = client.run(JobRequest.of("py-it", "import os\n(21 * 2, os.getpid())"), Duration.ofSeconds(60));
      assertThat(r.value().toString()).isEqualTo("{\"$daebug\":\"tuple\",\"values\":[42," + python.pid() + "]}");
      assertThat(client.run(JobRequest.of("py-it", "'from java'"), Duration.ofSeconds(60)).asText())
          .isEqualTo("from java");

      assertThatThrownBy(() -> client.run(JobRequest.of("py-it", "{}['missing']"), Duration.ofSeconds(60)))
          .isInstanceOfSatisfying(JobFailedException.class, e -> {
            assertThat(e.error().name()).isEqualTo("KeyError");
            assertThat(e.error().stack()).startsWith("Traceback (most recent call last):\n")
                .endsWith("\nKeyError: 'missing'");
          });

      CompletableFuture<JobResult> loop = client.submit(JobRequest.of("py-it", "spun = 0\nwhile True:\n    spun += 1"));
      log.awaitFind("    spun += 1\n```\n#### 👍py-it to java-it at {time}\nexecuting (");
      loop.cancel(true);
      assertThatThrownBy(loop::get).isInstanceOf(java.util.concurrent.CancellationException.class);
      log.awaitFind("#### 🚫py-it to java-it at {time} ({duration})\n```Error\njob cancelled by java-it\n```\n"
          + "#### 🚫py-it to java-it at {time} ({duration}) (late)\n");
      JobResult after = client.run(JobRequest.of("py-it", "import time\nb = spun\ntime.sleep(0.2)\nspun == b"),
          Duration.ofSeconds(60));
      assertThat(after.asBoolean()).as("the loop no longer runs").isTrue();
    }
  }
}

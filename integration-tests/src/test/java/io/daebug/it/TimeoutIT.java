package io.daebug.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-request and broker-wide job timeouts, and the late reply that follows (FORMAT.md §2.3). */
class TimeoutIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, c -> c.withJobTimeout(Duration.ofSeconds(1)), "request.html",
        "broker.html");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void perRequestTimeoutThenLateReply() {
    LogFile log = fixture.realm("request.html");
    String realm = log.realm();
    String request = """
        ### 🗣️claude to %s at 10:11:12
        ```js timeout=300ms
        await new Promise(r => setTimeout(() => r(42), 1500))
        ```
        """.formatted(realm);

    log.append(request);
    log.awaitAppended(request + """
        #### 🚫%s to claude at {time} (300ms)
        ```Error
        job timed out after 300ms
        ```

        """.formatted(realm));
    log.awaitAppended(request + """
        #### 🚫%1$s to claude at {time} (300ms)
        ```Error
        job timed out after 300ms
        ```
        #### 👍%1$s to claude at {time} ({ms}) (late)
        ```JSON
        42
        ```

        """.formatted(realm));
  }

  @Test
  void brokerTimeoutAppliesWhenTheRequestSetsNone() {
    LogFile log = fixture.realm("broker.html");
    String realm = log.realm();
    String request = """
        ### 🗣️claude to %s at 10:11:12
        ```js
        await new Promise(r => setTimeout(() => r("finally"), 1500))
        ```
        """.formatted(realm);

    log.append(request);
    log.awaitAppended(request + """
        #### 🚫%s to claude at {time} ({ms})
        ```Error
        job timed out after 1000ms
        ```

        """.formatted(realm));
    log.awaitAppended(request + """
        #### 🚫%1$s to claude at {time} ({ms})
        ```Error
        job timed out after 1000ms
        ```
        #### 👍%1$s to claude at {time} ({ms}) (late)
        ```JSON
        "finally"
        ```

        """.formatted(realm));
  }
}

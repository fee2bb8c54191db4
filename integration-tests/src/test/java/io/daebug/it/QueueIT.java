package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ordering, queueing, drafts and agent edits while a job runs (FORMAT.md §2.1, §2.2, §4). */
class QueueIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, "order.html", "queue.html", "prose.html", "draft.html");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void twoRequestsInOneWriteRunInOrderEachWithItsOwnReply() {
    LogFile log = fixture.realm("order.html");
    String realm = log.realm();

    log.append("""
        ### 🗣️claude to %1$s at 10:11:12
        ```js
        window.order = ["first"]; 1
        ```

        ### 🗣️claude to %1$s at 10:11:13
        ```js
        window.order.push("second"); window.order
        ```
        """.formatted(realm));
    log.awaitAppended("""
        ### 🗣️claude to %1$s at 10:11:12
        ```js
        window.order = ["first"]; 1
        ```
        #### 👍%1$s to claude at {time} ({ms})
        ```JSON
        1
        ```

        ### 🗣️claude to %1$s at 10:11:13
        ```js
        window.order.push("second"); window.order
        ```
        #### 👍%1$s to claude at {time} ({ms})
        ```JSON
        [
          "first",
          "second"
        ]
        ```

        """.formatted(realm));
  }

  @Test
  void requestAppendedWhileAnotherRunsIsQueuedThenAnswered() {
    LogFile log = fixture.realm("queue.html");
    String realm = log.realm();
    String slow = """
        ### 🗣️agent to %s at {time}
        ```js
        await new Promise(r => setTimeout(r, 1500)); "slow"
        ```
        """.formatted(realm);
    String fast = """
        ### 🗣️agent to %s at {time}
        ```js
        "fast"
        ```
        """.formatted(realm);

    log.append("```js\nawait new Promise(r => setTimeout(r, 1500)); \"slow\"\n```\n");
    log.awaitAppended(slow + "#### 👍%s to agent at {time}\nexecuting (0s)\n\n".formatted(realm));
    log.appendMore("```js\n\"fast\"\n```\n");
    log.awaitAppended(slow + "#### 👍%s to agent at {time}\nexecuting (0s)\n\n".formatted(realm)
        + fast + "#### 👍%s to agent at {time}\nqueued (1 ahead)\n\n".formatted(realm));
    log.awaitAppended(slow + """
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "slow"
        ```

        """.formatted(realm) + fast + """
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "fast"
        ```

        """.formatted(realm));
  }

  @Test
  void proseEditedAtTheTopWhileAJobRunsSurvives() {
    LogFile log = fixture.realm("prose.html");
    String realm = log.realm();
    String request = """
        ### 🗣️claude to %s at 10:11:12
        ```js
        await new Promise(r => setTimeout(r, 1500)); "slept"
        ```
        """.formatted(realm);

    log.append(request);
    log.awaitAppended(request + "#### 👍%s to claude at {time}\nexecuting (0s)\n\n".formatted(realm));
    String title = "# " + realm + " Session\n";
    log.edit(text -> text.replace(title, title + "\nAgent note: investigating the login bug.\n"));
    assertThat(log.before()).contains("Agent note");
    log.awaitAppended(request + """
        #### 👍%s to claude at {time} ({ms})
        ```JSON
        "slept"
        ```

        """.formatted(realm));
  }

  @Test
  void draftDoesNotRunUntilItsFenceIsClosed() {
    LogFile log = fixture.realm("draft.html");
    String realm = log.realm();

    log.append("Draft in progress:\n```js\nwindow.runs = (window.runs || 0) + 1\n");
    String draft = log.read();
    await(Duration.ofSeconds(5)).during(Duration.ofMillis(1500))
        .untilAsserted(() -> assertThat(log.read()).as("the log while the fence is open").isEqualTo(draft));

    log.appendMore("```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        Draft in progress:
        ```js
        window.runs = (window.runs || 0) + 1
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        1
        ```

        """.formatted(realm));
  }
}

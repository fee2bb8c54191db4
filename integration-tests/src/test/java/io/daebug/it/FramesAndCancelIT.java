package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same-origin iframes as realms, cross-origin ones reported; a cancelled awaiting job leaves the page working. */
class FramesAndCancelIT {
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
  void aSameOriginIframeIsARealmAndACrossOriginOneIsReported() {
    LogFile page = fixture.realm("frames.html");
    LogFile frame = fixture.registry().awaitLive(fixture.url("frame-child.html"));
    assertThat(frame.realm()).isEqualTo(page.realm() + "-frame-1");
    frame.append("```js\ndocument.getElementById('child').textContent + ' ' + (window.parent !== window)\n```\n");
    frame.awaitFind("```JSON\n\"inside the frame true\"\n```\n");
    page.awaitFind("""
        ##### ℹ️console.info
        ```Text console.info
        {time} iframe http://localhost:1/elsewhere.html is cross-origin and has no Daebug shim: not a realm
        ```
        """);
  }

  @Test
  void cancellingAnAwaitingJobAbandonsItAndThePageKeepsWorking() {
    LogFile log = fixture.realm("tests.html");
    log.append("```js\nawait new Promise(() => {})\n```\n");
    log.awaitFind("```js\nawait new Promise(() => {})\n```\n#### 👍" + log.realm() + " to agent at {time}\nexecuting (");
    log.appendMore("%%CANCEL%%\n");
    log.awaitFind("#### 🚫" + log.realm() + " to agent at {time} ({ms})\n```Error\njob cancelled by a %%CANCEL%% line\n```\n");
    log.append("```js\ndocument.title\n```\n");
    log.awaitFind("```js\ndocument.title\n```\n#### 👍" + log.realm() + " to agent at {time} ({ms})\n```JSON\n\"Tests\"\n```\n");
    await().untilAsserted(() -> assertThat(fixture.registry().read()).contains(fixture.url("tests.html") + ") at "));
  }
}

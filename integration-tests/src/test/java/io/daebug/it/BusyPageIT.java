package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page stuck in a synchronous loop: its socket stays alive (the browser's network process answers
 * pings), but its heartbeat stops, and daebug.md says so. In a class of its own: the tab never recovers.
 */
class BusyPageIT {
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
  void aPageInABusyLoopIsListedUnresponsiveWithItsJob() {
    LogFile log = fixture.realm("busy.html");
    log.append("```js\nwhile (true) {}\n```\n");
    await().untilAsserted(() -> assertThat(fixture.registry().read()).containsPattern(
        "\\* \\[" + log.realm() + "\\]\\(daebug/" + log.realm() + "\\.md\\) \\(" + java.util.regex.Pattern.quote(fixture.url("busy.html"))
            + "\\) at \\d\\d:\\d\\d:\\d\\d: unresponsive \\(busy: job j-[0-9a-z]+-\\d+ running \\d+s\\)\n"));
  }
}

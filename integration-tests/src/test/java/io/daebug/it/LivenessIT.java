package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Liveness is the socket's, not the page's: with pings every 200 ms and {@code unresponsive} after 1 s, a tab in
 * the background of a Chromium that throttles background tabs, and even a tab frozen through DevTools
 * ({@code Page.setWebLifecycleState}), stays {@code live} for many ping intervals, because the browser's network
 * process answers pings whatever the page's JavaScript is doing. A Node realm stopped with SIGSTOP, whose socket
 * cannot answer, is listed {@code unresponsive}, and {@code live} again once it continues.
 */
class LivenessIT {
  private static final Duration SEVERAL_PINGS = Duration.ofSeconds(3);

  @TempDir
  static Path root;

  static BrokerProcess broker;
  static Registry registry;

  @BeforeAll
  static void start() throws IOException {
    Pages.write(root, "front.html");
    Pages.write(root, "background.html", "document.addEventListener('freeze', () => console.log('frozen'));"
        + " document.addEventListener('resume', () => console.log('resumed'));");
    broker = BrokerProcess.start(root, "--ping-interval", "200ms", "--unresponsive-after", "1s");
    registry = new Registry(root);
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aHiddenTabAndAFrozenTabStayLive() throws IOException {
    String background = broker.awaitUri() + "background.html";
    try (Chromium chromium = Chromium.launch(true, List.of())) {
      Chromium.Tab tab = chromium.openTab(background);
      LogFile log = registry.awaitLive(background);
      chromium.openTab(broker.awaitUri() + "front.html");
      log.append("```js\nawait new Promise(r => document.visibilityState === 'hidden' ? r()\n"
          + "  : document.addEventListener('visibilitychange', r, { once: true }));\n"
          + "[document.visibilityState, document.hasFocus()]\n```\n");
      log.awaitAppended("""
          ### 🗣️agent to %s at {time}
          ```js
          await new Promise(r => document.visibilityState === 'hidden' ? r()
            : document.addEventListener('visibilitychange', r, { once: true }));
          [document.visibilityState, document.hasFocus()]
          ```
          #### 👍%1$s to agent at {time} ({duration})
          ```JSON
          [
            "hidden",
            false
          ]
          ```

          """.formatted(log.realm()));
      assertStaysLive(background);

      try (DevTools devTools = DevTools.attach(tab)) {
        devTools.call("Page.setWebLifecycleState", "state", "frozen");
        assertStaysLive(background);
        devTools.call("Page.setWebLifecycleState", "state", "active");
      }
      log.awaitFind("{time} frozen\n```\n");
      log.awaitFind("{time} resumed\n```\n");
      await().untilAsserted(() -> assertThat(log.read()).endsWith(LogFile.FOOTER));
      log.append("```js\n'awake'\n```\n");
      log.awaitFind("```js\n'awake'\n```\n#### 👍" + log.realm() + " to agent at {time} ({ms})\n```JSON\n\"awake\"\n```\n");
    }
  }

  @Test
  void aNodeRealmThatCannotAnswerPingsIsListedUnresponsiveAndLiveAgainAfter() throws Exception {
    try (NodeRealmProcess node = NodeRealmProcess.start(broker.awaitUri(), "sleeper", root)) {
      registry.awaitNode("sleeper", node, "live", broker::output);
      signal("STOP", node.pid());
      try {
        registry.awaitNode("sleeper", node, "unresponsive", broker::output);
      } finally {
        signal("CONT", node.pid());
      }
      registry.awaitNode("sleeper", node, "live", broker::output);
    }
  }

  /** The page's registry line says {@code live} throughout several ping intervals (and unresponsive-after spans). */
  private static void assertStaysLive(String url) {
    await().during(SEVERAL_PINGS).atMost(SEVERAL_PINGS.plusSeconds(5)).untilAsserted(() -> assertThat(
        Registry.line(registry.read(), url, "live")).as("live line of %s in%n%s", url, registry.read()).isNotNull());
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
  }
}

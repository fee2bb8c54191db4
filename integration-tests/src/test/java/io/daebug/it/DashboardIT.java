package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.config.BrokerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at {@code /-daebug/} in a real headless Chromium, against a broker started with
 * {@code --require-token} (so the page must bring the token to its controller socket), a Chromium tab realm and
 * a Node realm. The tests share the fixture and run in order: the last one saves a screenshot of what the
 * others left on screen to {@code target/dashboard.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "node-dash";

  @TempDir
  static Path root;
  static BrowserFixture fixture;
  static NodeRealmProcess node;
  static LogFile tab;
  static LogFile nodeLog;
  static DevTools dashboard;
  static String base;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, c -> c.withSecurity(new BrokerConfig.Security(null, true, List.of(),
        List.of(), null, null)), "app.html");
    base = "http://127.0.0.1:" + fixture.broker().port() + "/";
    fixture.open(base + "app.html"); // not fixture.realm(page): the broker's printed URL carries the token
    tab = fixture.registry().awaitLive(base + "app.html");
    node = NodeRealmProcess.start(URI.create(base), NODE, root);
    nodeLog = fixture.registry().awaitNode(NODE, node, "live", () -> "(in process)");
    dashboard = DevTools.attach(fixture.open(base + "-daebug/?token=" + fixture.broker().config().token()));
    dashboard.call("Emulation.setDeviceMetricsOverride", "width", 1440, "height", 900, "deviceScaleFactor", 1,
        "mobile", false);
  }

  @AfterAll
  static void stop() {
    try {
      if (dashboard != null) {
        dashboard.close();
      }
      if (node != null) {
        node.close();
      }
    } finally {
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("the page lists the connected tab and the Node realm, with kind, state, title, URL and log")
  void listsRealms() {
    await().untilAsserted(() -> {
      JsonNode rows = eval("[...document.querySelectorAll('#realms tbody tr')].map(tr => [...tr.cells].map(c => c.textContent))");
      assertThat(rows).anySatisfy(r -> {
        assertThat(r.get(0).asText()).isEqualTo(tab.realm());
        assertThat(r.get(1).asText()).isEqualTo("page");
        assertThat(r.get(2).asText()).isEqualTo("live");
        assertThat(r.get(4).asText()).isEqualTo(base + "app.html");
        assertThat(r.get(6).asText()).isEqualTo("daebug/" + tab.realm() + ".md");
      });
      assertThat(rows).anySatisfy(r -> {
        assertThat(r.get(0).asText()).isEqualTo(NODE);
        assertThat(r.get(1).asText()).isEqualTo("node");
        assertThat(r.get(2).asText()).isEqualTo("live");
      });
      assertThat(eval("document.getElementById('connection').textContent").asText()).isEqualTo("connected");
    });
    // The token left the address bar; the dashboard itself is no realm (no shim, no log of its own).
    assertThat(eval("location.search").asText()).isEmpty();
    assertThat(eval("typeof window.daebug").asText()).isEqualTo("undefined");
    assertThat(eval("document.querySelectorAll('#realms tbody tr').length").asInt()).isEqualTo(2);
  }

  @Test
  @Order(2)
  @DisplayName("an agent's request in the tab's log shows up as it happens: the request, its console line, its reply")
  void showsRequestsRepliesAndEvents() {
    tab.append("```js\nconsole.log('hello from the tab'); 6 * 7\n```\n");
    await().untilAsserted(() -> {
      List<String> stream = stream();
      assertThat(stream).contains("request|agent → " + tab.realm() + "|ok|console.log('hello from the tab'); 6 * 7");
      assertThat(stream).anyMatch(e -> e.startsWith("event|log (j-") && e.endsWith("|hello from the tab"));
      assertThat(stream).anyMatch(e -> e.matches("reply\\|" + tab.realm() + " → agent \\(\\d+ms\\)\\|ok\\|42"));
    });
    // and an error with its stack, in the Node realm
    nodeLog.append("```js\nnull.boom\n```\n");
    await().untilAsserted(() -> assertThat(stream()).anyMatch(e -> e.startsWith("reply|" + NODE + " → agent")
        && e.contains("|error|TypeError: Cannot read properties of null") && e.contains("\n    at ")));
  }

  @Test
  @Order(3)
  @DisplayName("code typed in the box runs in the chosen realm (Ctrl+Enter), its reply is shown and journalled")
  void runsCodeFromTheBox() {
    eval("(() => { const s = document.getElementById('run-realm'); s.value = '" + NODE + "';"
        + " document.getElementById('run-code').focus(); return s.value; })()");
    dashboard.call("Input.insertText", "text", "console.info('from the box'); process.version.startsWith('v')");
    dashboard.call("Input.dispatchKeyEvent", "type", "keyDown", "key", "Enter", "code", "Enter",
        "windowsVirtualKeyCode", 13, "modifiers", 2);
    dashboard.call("Input.dispatchKeyEvent", "type", "keyUp", "key", "Enter", "code", "Enter",
        "windowsVirtualKeyCode", 13, "modifiers", 2);
    await().untilAsserted(() -> {
      List<String> stream = stream();
      assertThat(stream).contains("request|dashboard → " + NODE + "|ok|"
          + "console.info('from the box'); process.version.startsWith('v')");
      assertThat(stream).anyMatch(e -> e.startsWith("event|info (j-") && e.endsWith("|from the box"));
      assertThat(stream).anyMatch(e -> e.matches("reply\\|" + NODE + " → dashboard \\(\\d+ms\\)\\|ok\\|true"));
    });
    assertThat(eval("document.getElementById('run-status').textContent").asText()).contains("ok");
    nodeLog.awaitFind("### 🗣️dashboard to " + NODE + " at {time}\n```JS\n"
        + "console.info('from the box'); process.version.startsWith('v')\n```\n");
  }

  @Test
  @Order(4)
  @DisplayName("choosing a realm follows its activity only; its log opens in the viewer; the health line is filled")
  void selectsARealmAndShowsHealth() {
    eval("[...document.querySelectorAll('#realms .realm-name')].find(b => b.textContent === '" + tab.realm()
        + "').click()");
    await().untilAsserted(() -> {
      assertThat(eval("document.getElementById('activity-realm').textContent").asText()).isEqualTo(tab.realm());
      List<String> stream = stream();
      assertThat(stream).anyMatch(e -> e.endsWith("|hello from the tab")).noneMatch(e -> e.endsWith("|from the box"));
      assertThat(eval("document.getElementById('health-jobs').textContent").asText()).isEqualTo("3");
      assertThat(eval("document.getElementById('health-failures').textContent").asText()).isEqualTo("1 (1 error)");
      assertThat(eval("document.getElementById('health-uptime').textContent").asText()).matches("\\d+(s|m \\d\\ds)");
    });
    eval("document.querySelector('#realms tr[aria-current] .log-link').click()");
    await().untilAsserted(() -> {
      assertThat(eval("document.getElementById('log-viewer').open").asBoolean()).isTrue();
      assertThat(eval("document.getElementById('log-text').textContent").asText())
          .contains("console.log('hello from the tab'); 6 * 7").endsWith("page.\n\n");
    });
    eval("document.getElementById('log-close').click()");
  }

  @Test
  @Order(5)
  @DisplayName("without the token the page explains what to do; another page cannot read a log with the cookie alone")
  void tokenRules() throws Exception {
    try (DevTools bare = DevTools.attach(fixture.open(base + "-daebug/"))) {
      await().untilAsserted(() -> assertThat(eval(bare, "document.getElementById('problem').textContent").asText())
          .contains("?token="));
      // The tab realm's page has the broker's cookie (it was opened from the token URL's origin) but not the token.
      HttpResponse<String> log = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
          + "-daebug/log?realm=" + tab.realm())).header("Cookie", "daebug-token=" + fixture.broker().config().token())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(log.statusCode()).isEqualTo(401);
      HttpResponse<String> withToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
          + "-daebug/log?realm=" + tab.realm())).header("Authorization", "Bearer " + fixture.broker().config().token())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(withToken.statusCode()).isEqualTo(200);
      HttpResponse<String> foreign = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
          + "-daebug/log?realm=" + tab.realm())).header("Authorization", "Bearer " + fixture.broker().config().token())
          .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(foreign.statusCode()).isEqualTo(403);
    }
  }

  @Test
  @Order(6)
  @DisplayName("a screenshot of the dashboard is saved to target/dashboard.png")
  void screenshot() throws IOException {
    eval("document.getElementById('show-all').click()");
    await().untilAsserted(() -> assertThat(eval("document.getElementById('activity-realm').textContent").asText())
        .isEqualTo("all realms"));
    JsonNode shot = dashboard.call("Page.captureScreenshot", "format", "png");
    byte[] png = Base64.getDecoder().decode(shot.path("data").asText());
    Path out = Path.of("target", "dashboard.png");
    Files.createDirectories(out.getParent());
    Files.write(out, png);
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
  }

  /** The stream's entries as {@code type|what|status|body}. */
  private static List<String> stream() {
    JsonNode items = eval("[...document.querySelectorAll('#stream li')].map(li => [li.classList[1],"
        + " li.querySelector('.what')?.textContent ?? '', li.querySelector('.status')?.textContent ?? '',"
        + " li.querySelector('pre')?.textContent ?? ''].join('|'))");
    List<String> out = new java.util.ArrayList<>();
    items.forEach(i -> out.add(i.asText()));
    return out;
  }

  private static JsonNode eval(String expression) {
    return eval(dashboard, expression);
  }

  private static JsonNode eval(DevTools devTools, String expression) {
    JsonNode r = devTools.call("Runtime.evaluate", "expression", expression, "returnByValue", true);
    if (r.has("exceptionDetails")) {
      throw new AssertionError(expression + " threw " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }
}

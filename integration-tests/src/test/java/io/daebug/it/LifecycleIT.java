package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tab that reloads keeps its realm (FORMAT.md §1); an editor's rename-style save is an edit (§4). */
class LifecycleIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, "rename.html");
    Pages.write(root, "reload.html", "console.log('loaded ' + performance.getEntriesByType('navigation')[0].type)");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void reloadKeepsTheRealmName() {
    LogFile log = fixture.realm("reload.html");
    String realm = log.realm();
    log.awaitFind(loaded(realm, "navigate") + "\n" + LogFile.FOOTER);

    log.append("```js\nsetTimeout(() => location.reload(), 50); \"reloading\"\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        setTimeout(() => location.reload(), 50); "reloading"
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "reloading"
        ```

        """.formatted(realm) + loaded(realm, "reload") + "\n");
    await().untilAsserted(() -> {
      Matcher line = Registry.line(fixture.registry().read(), fixture.url("reload.html"), "live");
      assertThat(line).as("live line of the reloaded page in%n%s", fixture.registry().read()).isNotNull();
      assertThat(line.group(1)).isEqualTo(realm);
    });

    log.append("```js\n[performance.getEntriesByType('navigation')[0].type, daebug.name]\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        [performance.getEntriesByType('navigation')[0].type, daebug.name]
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        [
          "reload",
          "%1$s"
        ]
        ```

        """.formatted(realm));
  }

  @Test
  void renameStyleSaveIsSeenAndKeepsProse() {
    LogFile log = fixture.realm("rename.html");
    String realm = log.realm();
    String title = "# " + realm + " Session\n";
    String request = """
        ### 🗣️claude to %s at 10:11:12
        Saved by an editor that writes a temporary file and renames it.
        ```js
        6 * 7
        ```
        Prose after the fence stays too.
        """.formatted(realm);

    log.saveByRename(text -> text.replace(title, title + "\nA note the agent added at the top.\n"), request);
    assertThat(log.before()).contains("A note the agent added at the top.");
    log.awaitAppended("""
        ### 🗣️claude to %1$s at 10:11:12
        Saved by an editor that writes a temporary file and renames it.
        ```js
        6 * 7
        ```
        #### 👍%1$s to claude at {time} ({ms})
        ```JSON
        42
        ```
        Prose after the fence stays too.

        """.formatted(realm));
  }

  /** The background block of the page's own {@code console.log} as it loads. */
  private static String loaded(String realm, String navigation) {
    return """
        ### 🗣️%s background at {time}
        ##### ☑️console.log
        ```Text console.log
        {time} loaded %s
        ```
        """.formatted(realm, navigation);
  }
}

package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    Pages.write(root, "twin.html");
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
  void aDuplicatedTabGetsANameOfItsOwn() {
    LogFile original = fixture.realm("twin.html");
    String realm = original.realm();
    // window.open copies the opener's sessionStorage into the new tab, as Chrome's "Duplicate" does,
    // so the new tab starts out with the original's name and tab id.
    original.append("```js\nwindow.open(location.href) !== null\n```\n");
    original.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        window.open(location.href) !== null
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        true
        ```

        """.formatted(realm));
    Pattern live = Pattern.compile("^\\* \\[([a-z0-9-]+)\\]\\(daebug/\\1\\.md\\) \\("
        + Pattern.quote(fixture.url("twin.html")) + "\\) at \\d\\d:\\d\\d:\\d\\d: live$", Pattern.MULTILINE);
    String[] twin = new String[1];
    await().untilAsserted(() -> {
      List<String> names = live.matcher(fixture.registry().read()).results().map(m -> m.group(1)).toList();
      assertThat(names).as("live realms of twin.html in%n%s", fixture.registry().read()).hasSize(2).contains(realm);
      twin[0] = names.get(0).equals(realm) ? names.get(1) : names.get(0);
    });
    assertThat(twin[0]).doesNotStartWith(realm + "-").isNotEqualTo(realm);

    LogFile copy = new LogFile(twin[0], root.resolve("daebug").resolve(twin[0] + ".md"));
    await().untilAsserted(() -> assertThat(copy.read()).endsWith(LogFile.FOOTER));
    copy.append("```js\n[daebug.name, sessionStorage.getItem('daebug.name')]\n```\n");
    copy.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        [daebug.name, sessionStorage.getItem('daebug.name')]
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        [
          "%1$s",
          "%1$s"
        ]
        ```

        """.formatted(twin[0]));
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

package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console output and background events (FORMAT.md §2.4). */
class ConsoleIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, "levels.html", "background.html", "many.html");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void tableDirTraceAndGroupAreCapturedAsText() {
    LogFile log = fixture.realm("levels.html");
    String realm = log.realm();
    String code = """
        console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]);
        console.group('outer');
        console.dir({ deep: [1, 2] });
        console.groupEnd();
        (function where() { console.trace('here'); })();
        'shown'
        """;
    log.append("```js\n" + code + "```\n");
    log.awaitFind("""
        ### 🗣️agent to %1$s at {time}
        ```js
        %2$s```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "shown"
        ```
        ##### ☑️console.table
        ```Text console.table
        {time} ┌─────────┬───┬─────┬──────┐
        │ (index) │ a │ b   │ c    │
        ├─────────┼───┼─────┼──────┤
        │ 0       │ 1 │ 'x' │      │
        │ 1       │ 2 │     │ true │
        └─────────┴───┴─────┴──────┘
        ```
        ##### ☑️console.group
        ```Text console.group
        {time} outer
        ```
        ##### ☑️console.dir
        ```Text console.dir
        {time}   {deep: [1, 2]}
        ```
        ##### ☑️console.trace
        ```Text console.trace
        {time} Trace: here
            at where (daebug-{job}.js:5:""".formatted(realm, code));
  }

  @Test
  void eachConsoleLevelHasItsEmojiLabelAndFenceLanguage() {
    LogFile log = fixture.realm("levels.html");
    String realm = log.realm();

    log.append("""
        ```js
        console.log("plain", 1);
        console.log(JSON.stringify([1, 2]));
        console.info({ a: 1 });
        console.warn("careful");
        console.error("it broke");
        console.debug("details");
        "done"
        ```
        """);
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        console.log("plain", 1);
        console.log(JSON.stringify([1, 2]));
        console.info({ a: 1 });
        console.warn("careful");
        console.error("it broke");
        console.debug("details");
        "done"
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "done"
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} plain 1
        ```
        ##### ☑️console.log
        ```JSON console.log
        {time} [1,2]
        ```
        ##### ℹ️console.info
        ```JSON console.info
        {time} {"a":1}
        ```
        ##### 🆘console.warn
        ```Text console.warn
        {time} careful
        ```
        ##### 🆘console.error
        ```Error console.error
        {time} it broke
        ```
        ##### 🔢console.debug
        ```Text console.debug
        {time} details
        ```

        """.formatted(realm));
  }

  @Test
  void consoleOutputAfterTheJobIsABackgroundBlockAboveTheFooter() {
    LogFile log = fixture.realm("background.html");
    String realm = log.realm();

    log.append("```js\nsetTimeout(() => console.warn(\"slow frame: 48ms\"), 300); \"scheduled\"\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        setTimeout(() => console.warn("slow frame: 48ms"), 300); "scheduled"
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        "scheduled"
        ```

        ### 🗣️%1$s background at {time}
        ##### 🆘console.warn
        ```Text console.warn
        {time} slow frame: 48ms
        ```

        """.formatted(realm));
  }

  @Test
  void moreThanTenEventsKeepTheFirstTwoAndTheLastEight() {
    LogFile log = fixture.realm("many.html");
    String realm = log.realm();

    log.append("```js\nfor (let i = 1; i <= 15; i++) console.log(\"line \" + i); 15\n```\n");
    String kept = IntStream.of(1, 2).mapToObj(ConsoleIT::logEvent).collect(Collectors.joining())
        + "... (5 more background events omitted) ...\n"
        + IntStream.rangeClosed(8, 15).mapToObj(ConsoleIT::logEvent).collect(Collectors.joining())
        + "Omitted events: [" + realm + ".events/{job}.md](" + realm + ".events/{job}.md)\n";
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        for (let i = 1; i <= 15; i++) console.log("line " + i); 15
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        15
        ```
        %2$s
        """.formatted(realm, kept));
    // the 5 left out are whole, in order, in the side file the reply links
    java.util.regex.Matcher link = java.util.regex.Pattern.compile("\nOmitted events: \\[([^\\]]+)\\]")
        .matcher(LogFile.read(log.path()));
    assertThat(link.find()).isTrue();
    String side = LogFile.read(log.path().resolveSibling(link.group(1)));
    assertThat(side.replaceAll("\\d\\d:\\d\\d:\\d\\d", "{time}")).endsWith(
        IntStream.rangeClosed(3, 7).mapToObj(ConsoleIT::logEvent).collect(Collectors.joining()));
  }

  private static String logEvent(int i) {
    return "##### ☑️console.log\n```Text console.log\n{time} line " + i + "\n```\n";
  }
}

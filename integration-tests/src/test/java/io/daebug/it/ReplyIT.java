package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests and their replies, checked byte by byte against FORMAT.md §2.1 and §2.3. */
class ReplyIT {
  @TempDir
  static Path root;

  static BrowserFixture fixture;

  @BeforeAll
  static void start() throws IOException {
    fixture = BrowserFixture.start(root, "title.html", "error.html", "statements.html", "values.html");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aBigValueIsKeptWholeBesideTheLogOrSaysExactlyWhatTheRealmCut() throws Exception {
    LogFile log = fixture.realm("values.html");
    String realm = log.realm();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    // 20,000 numbers fit one message: sent whole (the realm used to cut every collection at 10,000)
    log.append("```js\nArray.from({length: 20000}, (_, i) => i)\n```\n");
    log.awaitFind("more bytes omitted) ...\n```\nFull value: [");
    String text = log.read();
    java.util.regex.Matcher side = java.util.regex.Pattern.compile("Full value: \\[(" + java.util.regex.Pattern.quote(realm)
        + "\\.results/j-[0-9a-z]+-\\d+\\.json)\\]").matcher(text);
    org.assertj.core.api.Assertions.assertThat(side.find()).isTrue();
    com.fasterxml.jackson.databind.JsonNode whole = json.readTree(root.resolve("daebug").resolve(side.group(1)).toFile());
    org.assertj.core.api.Assertions.assertThat(whole.size()).isEqualTo(20000);
    org.assertj.core.api.Assertions.assertThat(whole.get(19999).asInt()).isEqualTo(19999);
    // the log's cut falls at the end of a line
    String fence = text.substring(text.lastIndexOf("```JSON\n["), text.lastIndexOf("more bytes omitted) ..."));
    java.util.List<String> lines = java.util.List.of(fence.split("\n", -1));
    org.assertj.core.api.Assertions.assertThat(lines.subList(0, 2)).containsExactly("```JSON", "[");
    org.assertj.core.api.Assertions.assertThat(lines.subList(2, lines.size() - 1)).isNotEmpty()
        .allSatisfy(l -> org.assertj.core.api.Assertions.assertThat(l).matches("  \\d+,"));
    org.assertj.core.api.Assertions.assertThat(lines.get(lines.size() - 1)).matches("\\.\\.\\. \\(\\d+ ");

    // 100,000 records (3.9 MB) do not: the realm cuts the array to fit and says where; the reply says so
    log.append("```js\nArray.from({length: 100000}, (_, i) => ({i, s: 'x'.repeat(20)}))\n```\n");
    log.awaitFind("The realm cut this value to fit one message: a collection ends with `... N more items`,"
        + " the items it did not send.\n");
    text = log.read();
    side = java.util.regex.Pattern.compile("Full value: \\[(" + java.util.regex.Pattern.quote(realm)
        + "\\.results/j-[0-9a-z]+-\\d+\\.json)\\]").matcher(text.substring(text.lastIndexOf("```js")));
    org.assertj.core.api.Assertions.assertThat(side.find()).isTrue();
    com.fasterxml.jackson.databind.JsonNode cut = json.readTree(root.resolve("daebug").resolve(side.group(1)).toFile());
    int kept = cut.size() - 1;
    org.assertj.core.api.Assertions.assertThat(kept).isGreaterThan(10000);
    org.assertj.core.api.Assertions.assertThat(cut.get(kept - 1).get("i").asInt()).isEqualTo(kept - 1);
    org.assertj.core.api.Assertions.assertThat(cut.get(kept).toString()).isEqualTo(
        "{\"$daebug\":\"truncated\",\"repr\":\"... " + (100000 - kept) + " more items\",\"path\":\"~\"}");
  }

  @Test
  void replyHeaderKeptHeaderInsertedOldHeaderNormalised() {
    LogFile log = fixture.realm("title.html");
    String realm = log.realm();

    log.append("### 🗣️claude to %s at 10:11:12\nCheck title\n```JS\ndocument.title\n```\n".formatted(realm));
    log.awaitAppended("""
        ### 🗣️claude to %1$s at 10:11:12
        Check title
        ```JS
        document.title
        ```
        #### 👍%1$s to claude at {time} ({ms})
        ```JSON
        "Daebug demo"
        ```

        """.formatted(realm));

    log.append("```js\n1 + 1\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        1 + 1
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        2
        ```

        """.formatted(realm));

    log.append("> **claude** to %s at 10:11:12\n```js\n[1, \"two\", {three: 3}]\n```\n".formatted(realm));
    log.awaitAppended("""
        ### 🗣️claude to %1$s at 10:11:12
        ```js
        [1, "two", {three: 3}]
        ```
        #### 👍%1$s to claude at {time} ({ms})
        ```JSON
        [
          1,
          "two",
          {
            "three": 3
          }
        ]
        ```

        """.formatted(realm));
  }

  @Test
  void errorReplyHasNameMessageAndStack() {
    LogFile log = fixture.realm("error.html");
    String realm = log.realm();

    log.append("### 🗣️claude to %s at 10:11:12\n```js\nnull.foo\n```\n".formatted(realm));
    String reply = log.awaitAppended("""
        ### 🗣️claude to %1$s at 10:11:12
        ```js
        null.foo
        ```
        #### 🚫%1$s to claude at {time} ({ms})
        ```Error
        TypeError: Cannot read properties of null (reading 'foo')
            at eval (daebug-{job}.js:1:6)
        ```

        """.formatted(realm));
    assertThat(reply).contains("```Error\nTypeError: ");
  }

  @Test
  void multiStatementValueAndTopLevelAwait() {
    LogFile log = fixture.realm("statements.html");
    String realm = log.realm();

    log.append("```js\nlet x = 5; x * 2\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        let x = 5; x * 2
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        10
        ```

        """.formatted(realm));

    log.append("```js\nconst v = await new Promise(r => setTimeout(() => r(x + 1), 50));\n({ v })\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        const v = await new Promise(r => setTimeout(() => r(x + 1), 50));
        ({ v })
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```JSON
        {
          "v": 6
        }
        ```

        """.formatted(realm));
  }

  @Test
  void specialValuesAreShownAsJavaScriptShowsThem() {
    LogFile log = fixture.realm("values.html");
    String realm = log.realm();
    String[][] cases = {
      {"undefined", "undefined"},
      {"NaN", "NaN"},
      {"-Infinity", "-Infinity"},
      {"-0", "-0"},
      {"12n", "12n"},
      {"const a = {}; a.self = a; a", "{ self: [Circular ~] }"},
      {"(function named() {})", "[Function: named]"},
      {"new Map([['a', 1], ['b', { c: 2 }]])", "Map(2) { 'a' => 1, 'b' => { c: 2 } }"},
      {"new Set([1])", "Set(1) { 1 }"},
      {"document.getElementById('app')", "<div id=\"app\" class=\"x\">"},
      {"new Date('2026-11-25T10:11:12.000Z')", "2026-11-25T10:11:12.000Z"},
    };
    for (String[] c : cases) {
      log.append("### 🗣️claude to %s at 10:11:12\n```js\n%s\n```\n".formatted(realm, c[0]));
      log.awaitAppended("""
          ### 🗣️claude to %1$s at 10:11:12
          ```js
          %2$s
          ```
          #### 👍%1$s to claude at {time} ({ms})
          ```Text
          %3$s
          ```

          """.formatted(realm, c[0], c[1]));
    }
  }
}

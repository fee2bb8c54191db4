package io.daebug.it;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node:test files run in the page with daebug.test(): progress as console output, the report as a Text block. */
class PageTestsIT {
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
  void theSampleSuiteIsReportedLineByLine() {
    LogFile log = fixture.realm("tests.html");
    log.append("```js\nawait daebug.test('tests/**/*.test.js')\n```\n");
    log.awaitAppended("""
        ### 🗣️agent to %1$s at {time}
        ```js
        await daebug.test('tests/**/*.test.js')
        ```
        #### 👍%1$s to agent at {time} ({ms})
        ```Text
        ## Test Results: 8 pass, 3 fail, 4 skip ({ms})
        ✗ /tests/broken.test.js ({ms})
            SyntaxError: Unexpected token ';'
        ✗ /tests/failing.test.js > strict equal is strict ({ms})
            AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

            1 !== '1'

                at http://%2$s/tests/failing.test.js?daebug-run=1:6:10
        ✗ /tests/failing.test.js > deep equal shows a diff ({ms})
            AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:
            + actual - expected

              {
                name: 'daebug',
                tags: [
                  'a',
            +     'b'
            -     'c'
                ]
              }

                at http://%2$s/tests/failing.test.js?daebug-run=1:10:10
        ✓ /tests/failing.test.js > throws passes ({ms})
        ✓ /tests/passing.test.js > arithmetic > adds ({ms})
        ✓ /tests/passing.test.js > arithmetic > waits ({ms})
        ✓ /tests/passing.test.js > arithmetic > runs hooks around each test ({ms})
        ✓ /tests/passing.test.js > subtests and diagnostics > first ({ms})
        ✓ /tests/passing.test.js > subtests and diagnostics > second ({ms})
        ✓ /tests/passing.test.js > subtests and diagnostics ({ms})
            # checked twice
        ✓ /tests/passing.test.js > callback style ({ms})
        ○ /tests/skipped.test.js > not now # SKIP
        ○ /tests/skipped.test.js > skips itself # SKIP no network here
        ○ /tests/skipped.test.js > someday # TODO
        ○ /tests/skipped.test.js > a skipped suite # SKIP
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} /tests/broken.test.js: 0 pass, 1 fail, 0 skip
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} /tests/failing.test.js: 1 pass, 2 fail, 0 skip
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} /tests/passing.test.js: 7 pass, 0 fail, 0 skip
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} /tests/skipped.test.js: 0 pass, 0 fail, 4 skip
        ```

        """.formatted(log.realm(), fixture.url("").replaceFirst("^http://", "").replaceFirst("/$", "")));
  }

  @Test
  void nodeTestAndAssertAreImportableThroughTheImportMap() {
    LogFile log = fixture.realm("tests.html");
    log.append("```js\nconst { test } = await import('node:test');\nconst assert = (await import('node:assert')).default;\n"
        + "const strict = await import('node:assert/strict');\n"
        + "[typeof test, assert.equal(1, '1') === undefined, (() => { try { strict.equal(1, '1'); } catch (e) { return e.code; } })()]\n```\n");
    log.awaitFind("```JSON\n[\n  \"function\",\n  true,\n  \"ERR_ASSERTION\"\n]\n```\n");
  }
}

package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The load audit finds what it claims to find: it must not pass a broken log (LoadIT would then prove nothing). */
class LoadAuditTest {
  private static final String HEAD = "# r1 Session\n\nSome guidance.\n";
  private static final String JOB = """

      ### 🗣️agent-1 to r1 at 10:00:00
      ```js
      echo("f-1-1")
      ```
      #### 👍r1 to agent-1 at 10:00:00 (3ms)
      ```JSON
      "f-1-1"
      ```
      ##### ☑️console.log
      ```Text console.log
      10:00:00 during f-1-1
      ```
      """;
  private static final String BACKGROUND = """

      ### 🗣️r1 background at 10:00:01
      ##### ℹ️console.info
      ```Text console.info
      10:00:01 bg-1-1
      ```
      """;

  @Test
  void aCompleteLogIsClean() {
    LoadAudit.Tally t = audit(HEAD + JOB + BACKGROUND + "\n" + LogFile.FOOTER,
        new LoadAudit.Sent("r1", Map.of("f-1-1", "agent-1"), Set.of("bg-1-1")));

    assertThat(t.problems).isEmpty();
    assertThat(t.clean()).isTrue();
    assertThat(t.requests).isEqualTo(1);
    assertThat(t.replies).isEqualTo(1);
    assertThat(t.jobEvents).isEqualTo(1);
    assertThat(t.background).isEqualTo(1);
  }

  @Test
  void lostDuplicatedMisplacedAndUnexpectedAreEachCounted() {
    String log = HEAD + JOB + JOB.replace("f-1-1", "f-1-9") // a request never sent
        + """

        ### 🗣️ctl-1 to r1 at 10:00:02
        ```JS
        echo("c1-1-2")
        ```
        #### 🚫r1 to ctl-1 at 10:01:02 (60.0s)
        ```Error
        job timed out after 60000ms
        ```
        #### 👍r1 to ctl-1 at 10:01:03 (61.0s) (late)
        ```JSON
        "c1-1-2"
        ```
        ```JSON
        "f-1-1"
        ```
        """ + BACKGROUND + "\n" + LogFile.FOOTER;
    LoadAudit.Tally t = audit(log, new LoadAudit.Sent("r1",
        Map.of("f-1-1", "agent-1", "c1-1-2", "ctl-1", "f-1-3", "agent-1"), Set.of("bg-1-1", "bg-1-2")));

    assertThat(t.clean()).isFalse();
    assertThat(t.requestsLost).as("f-1-3").isEqualTo(1);
    assertThat(t.requestsUnexpected).as("f-1-9").isEqualTo(1);
    assertThat(t.repliesDuplicated).as("f-1-1").isEqualTo(1);
    assertThat(t.repliesMisplaced).as("c1-1-2 under a 🚫 reply").isEqualTo(1);
    assertThat(t.failedReplies).isEqualTo(1);
    assertThat(t.jobEventsLost).as("c1-1-2 logged nothing").isEqualTo(1);
    assertThat(t.backgroundLost).as("bg-1-2").isEqualTo(1);
    assertThat(t.badFooters).isZero();
  }

  @Test
  void aLeftPlaceholderOmittedEventsAndAMissingFooterAreCounted() {
    String log = HEAD + """

        ### 🗣️agent-1 to r1 at 10:00:00
        ```js
        echo("f-1-1")
        ```
        #### 👍r1 to agent-1 at 10:00:00
        executing (0s)

        ### 🗣️r1 background at 10:00:01
        ##### ℹ️console.info
        ```Text console.info
        10:00:01 bg-1-1
        ```
        ... (3 more background events omitted) ...
        """;
    LoadAudit.Tally t = audit(log, new LoadAudit.Sent("r1", Map.of("f-1-1", "agent-1"), Set.of("bg-1-1")));

    assertThat(t.placeholdersLeft).isEqualTo(1);
    assertThat(t.repliesLost).isEqualTo(1);
    assertThat(t.backgroundOmitted).isEqualTo(3);
    assertThat(t.badFooters).isEqualTo(1);
    assertThat(t.clean()).isFalse();
  }

  @Test
  void omittedEventsCountOnlyWhenTheirLinkedSideFileHoldsThemAll() {
    StringBuilder block = new StringBuilder("\n### 🗣️r1 background at 10:00:01\n");
    StringBuilder side = new StringBuilder("# Events omitted from r1.md\n\nA background block: ...\n\n");
    for (int i = 1; i <= 13; i++) {
      String event = "##### ℹ️console.info\n```Text console.info\n10:00:01 bg-1-" + i + "\n```\n";
      if (i == 3) {
        block.append("... (3 more background events omitted) ...\n");
      }
      (i >= 3 && i <= 5 ? side : block).append(event);
    }
    block.append("Omitted events: [r1.events/b.md](r1.events/b.md)\n");
    String log = HEAD + JOB + block + "\n" + LogFile.FOOTER;
    Set<String> sent = new java.util.HashSet<>();
    for (int i = 1; i <= 13; i++) {
      sent.add("bg-1-" + i);
    }
    LoadAudit.Sent what = new LoadAudit.Sent("r1", Map.of("f-1-1", "agent-1"), sent);

    LoadAudit.Tally whole = new LoadAudit.Tally();
    LoadAudit.audit(log, Map.of("r1.events/b.md", side.toString())::get, what, whole);
    assertThat(whole.problems).isEmpty();
    assertThat(whole.clean()).isTrue();
    assertThat(whole.background).isEqualTo(13);
    assertThat(whole.inSideFiles).isEqualTo(3);

    LoadAudit.Tally missing = audit(log, what);
    assertThat(missing.backgroundOmitted).isEqualTo(3);
    assertThat(missing.backgroundLost).isEqualTo(3);
    assertThat(missing.clean()).isFalse();

    LoadAudit.Tally noLink = audit(log.replace("Omitted events: [r1.events/b.md](r1.events/b.md)\n", ""), what);
    assertThat(noLink.backgroundOmitted).isEqualTo(3);
    assertThat(noLink.clean()).isFalse();
  }

  private static LoadAudit.Tally audit(String log, LoadAudit.Sent sent) {
    LoadAudit.Tally t = new LoadAudit.Tally();
    LoadAudit.audit(log, link -> null, sent, t);
    return t;
  }
}

package io.daebug.app.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

/** The five tools' names, descriptions and input schemas (docs/mcp.md repeats them). */
final class ToolSchemas {
  static final String LIST_REALMS = "list_realms";
  static final String RUN = "run";
  static final String CANCEL = "cancel";
  static final String READ_LOG = "read_log";
  static final String WAIT_FOR_REALM = "wait_for_realm";

  private ToolSchemas() {}

  static McpSchema.Tool listRealms(McpJsonMapper json) {
    return McpSchema.Tool.builder(LIST_REALMS, json, """
            {"type":"object","properties":{
              "name":{"type":"string","description":"Only realms whose name matches this glob (* and ?), e.g. *-webworker"},
              "kind":{"type":"string","description":"Only realms of this kind: page, worker, iframe, node, jvm, ..."}
            },"additionalProperties":false}""").title("List realms")
        .description("Lists the realms (browser tabs, workers, iframes, Node processes, JVMs...) the Daebug broker"
            + " knows, as JSON: name, kind, language, state (live, executing, queued N, unresponsive, disconnected),"
            + " url, title, log (the realm's markdown journal, relative to the broker's folder), lastSeen, job"
            + " (the job it runs now).")
        .build();
  }

  static McpSchema.Tool run(McpJsonMapper json) {
    return McpSchema.Tool.builder(RUN, json, """
            {"type":"object","properties":{
              "realm":{"type":"string","description":"The realm's name, as list_realms shows it"},
              "code":{"type":"string","description":"The code to run"},
              "language":{"type":"string","description":"The code's language; default: the realm's own (javascript, java, python...)"},
              "timeout_ms":{"type":"integer","minimum":1,"maximum":600000,"description":"How long the code may run (default 60000)"},
              "max_chars":{"type":"integer","minimum":200,"maximum":1000000,"description":"Longest text returned (default 20000)"}
            },"required":["realm","code"],"additionalProperties":false}""").title("Run code in a realm")
        .description("Runs code in a live realm and returns its value (as the realm's journal shows it), or the error"
            + " with its stack, plus the console lines the code produced and the duration. JavaScript realms await a"
            + " top-level promise. The run is journalled in the realm's log under your client's name. Long output is"
            + " cut at max_chars; the note says how much was cut and which file holds all of it.")
        .build();
  }

  static McpSchema.Tool cancel(McpJsonMapper json) {
    return McpSchema.Tool.builder(CANCEL, json, """
            {"type":"object","properties":{
              "job":{"type":"string","description":"The job's id, such as j-12"},
              "realm":{"type":"string","description":"Cancel the job this realm is running now"}
            },"additionalProperties":false}""").title("Cancel a job")
        .description("Cancels a queued or running job, by its id (run returns it) or as the job a realm is running"
            + " now. The job ends with outcome cancelled and a 🚫 reply in the realm's log naming who cancelled it.")
        .build();
  }

  static McpSchema.Tool readLog(McpJsonMapper json) {
    return McpSchema.Tool.builder(READ_LOG, json, """
            {"type":"object","properties":{
              "realm":{"type":"string","description":"The realm's name"},
              "last":{"type":"integer","minimum":1,"maximum":1000,"description":"How many of the latest entries (default 10)"},
              "since_job":{"type":"string","description":"Instead of last: the entries from this job's request on (a job id run returned)"},
              "max_chars":{"type":"integer","minimum":200,"maximum":1000000,"description":"Longest text returned, the oldest cut first (default 20000)"}
            },"required":["realm"],"additionalProperties":false}""").title("Read a realm's log")
        .description("Returns entries of a realm's markdown journal (daebug/<realm>.md): every request by any agent,"
            + " its reply, and the console output and uncaught errors, including those that happened in the"
            + " background between jobs. The last N entries, or those since a job run through this server.")
        .build();
  }

  static McpSchema.Tool waitForRealm(McpJsonMapper json) {
    return McpSchema.Tool.builder(WAIT_FOR_REALM, json, """
            {"type":"object","properties":{
              "name":{"type":"string","description":"A glob (* and ?) the realm's name must match (default *: any realm)"},
              "kind":{"type":"string","description":"Only a realm of this kind: page, worker, iframe, node, jvm, ..."},
              "timeout_ms":{"type":"integer","minimum":1,"maximum":600000,"description":"How long to wait (default 30000)"}
            },"additionalProperties":false}""").title("Wait for a realm")
        .description("Waits until a realm whose name matches the pattern is connected (at once when one is), and"
            + " returns it as list_realms does. Use it after opening a page or starting a process.")
        .build();
  }
}

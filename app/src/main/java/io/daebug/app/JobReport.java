package io.daebug.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daebug.client.JobError;
import io.daebug.client.JobResult;
import io.daebug.client.RealmEvent;
import io.daebug.client.RealmInfo;
import java.time.Duration;
import java.util.List;

/** A job's result and a realm as the CLI and the MCP tools show them: JSON for programs, lines for people. */
public final class JobReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JobReport() {}

  /**
   * The whole result: {@code job, realm, outcome, value} (the realm's exact encoding, ok only), {@code display}
   * (the text the journal shows), {@code error} ({@code name, message, stack}), {@code durationMs, queuedMs}
   * and {@code events} ({@code kind, time, text}).
   */
  public static ObjectNode json(JobResult r) {
    ObjectNode out = JSON.createObjectNode();
    out.put("job", r.jobId());
    out.put("realm", r.realm());
    out.put("outcome", r.outcome().wire());
    if (r.isOk()) {
      out.set("value", r.value().isMissingNode() ? null : r.value());
    }
    out.put("display", r.display());
    if (r.error() != null) {
      JobError e = r.error();
      out.putObject("error").put("name", e.name()).put("message", e.message()).put("stack", e.stack());
    }
    out.put("durationMs", millis(r.duration()));
    out.put("queuedMs", millis(r.queued()));
    ArrayNode events = out.putArray("events");
    for (RealmEvent e : r.events()) {
      events.addObject().put("kind", e.kind()).put("time", e.time().toString()).put("text", e.text());
    }
    return out;
  }

  /** A realm as JSON, every field present (empty when unknown). */
  public static ObjectNode json(RealmInfo r) {
    return JSON.createObjectNode().put("name", r.name()).put("kind", r.kind()).put("language", r.language())
        .put("state", r.state()).put("url", r.url()).put("title", r.title()).put("log", r.log())
        .put("lastSeen", r.lastSeen()).put("job", r.job());
  }

  /** A list of realms as JSON. */
  public static ArrayNode json(List<RealmInfo> realms) {
    ArrayNode out = JSON.createArrayNode();
    realms.forEach(r -> out.add(json(r)));
    return out;
  }

  /** One console line of a job: {@code [log] text}, the text's later lines indented. */
  public static String eventLine(RealmEvent e) {
    return "[" + e.kind() + "] " + e.text().replace("\n", "\n    ");
  }

  /** {@code 17 ms}, or seconds with one decimal from 2 s on (as the journal writes durations). */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    return ms < 2000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** Pretty JSON text. */
  public static String pretty(Object json) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1_000_000.0;
  }
}

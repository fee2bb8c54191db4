package io.daebug.broker.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Renders replies and event blocks (FORMAT.md §2.3, §2.4) as lines. Pure. */
public final class Replies {
  /** At most this many events per reply: the first {@value #HEAD}, an ellipsis line, the last 8. */
  static final int MAX_EVENTS = 10;
  static final int HEAD = 2;
  /** The start of the line linking the side file of a block's omitted events (FORMAT.md §2.4). */
  static final String EVENTS_LINK = "Omitted events: ";

  private static final java.util.regex.Pattern OMITTED =
      java.util.regex.Pattern.compile("^\\.\\.\\. \\(\\d+ more background events omitted\\) \\.\\.\\.$");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Replies() {}

  /** A successful reply: header, value fence, events. */
  static List<String> success(String realm, String agent, String time, Duration took, boolean late, JsonNode value,
      Events events) {
    return success(realm, agent, time, took, late, ValueRenderer.render(value), null, events);
  }

  /**
   * A successful reply with an already rendered (maybe cut) value.
   *
   * @param link a line written after the value fence (the side file of a cut value), or null
   */
  /**
   * A successful reply as {@link RealmLog} writes it: a value longer than {@code resultCap} is cut in the log and
   * written whole to {@code <realm>.results/<job>.json} beside {@code log}, linked from the reply.
   */
  static List<String> success(Path log, String realm, String language, int resultCap, String jobId, String agent,
      String time, Duration took, boolean late, JsonNode value, Events events) throws IOException {
    ValueRenderer.Rendered rendered = ValueRenderer.render(value, language);
    String cut = cut(rendered.text(), resultCap);
    String link = null;
    if (cut != null) {
      String side = realm + ".results/" + jobId + ".json";
      Path sideFile = log.resolveSibling(side);
      String unsafe = LogPaths.problem(log); // the results folder is no link out of the root
      if (unsafe != null) {
        throw new LogPaths.UnsafeLogException(unsafe);
      }
      Files.createDirectories(sideFile.getParent());
      AtomicFiles.replace(sideFile, value == null ? "null" : value.toPrettyString());
      rendered = new ValueRenderer.Rendered(rendered.language(), cut);
      link = "Full value: [" + side + "](" + side + ")";
    }
    int realmCuts = realmCuts(value);
    if (realmCuts > 0) {
      String note = "The realm cut this value to fit one message: " + (realmCuts == 1 ? "a collection ends"
          : realmCuts + " collections end") + " with `... N more items`, the items it did not send.";
      link = link == null ? note : link + "\n" + note;
    }
    return success(realm, agent, time, took, late, rendered, link, events);
  }

  /** How many {@code truncated} nodes a realm put in a value (collections it cut to fit a message). */
  static int realmCuts(JsonNode value) {
    if (value == null || !value.isContainerNode()) {
      return 0;
    }
    if (value.isObject() && "truncated".equals(value.path("$daebug").asText(null))) {
      return 1;
    }
    int n = 0;
    for (JsonNode child : value) {
      n += realmCuts(child);
    }
    return n;
  }

  static List<String> success(String realm, String agent, String time, Duration took, boolean late,
      ValueRenderer.Rendered value, String link, Events events) {
    List<String> out = new ArrayList<>();
    out.add(JournalFormat.replyHeader(true, realm, agent, time, took, late));
    out.addAll(JournalFormat.fence(value.language(), value.text()));
    if (link != null) {
      out.addAll(List.of(link.split("\n")));
    }
    out.addAll(events(events));
    return out;
  }

  /**
   * Cuts text to at most {@code cap} UTF-8 bytes, at the end of a line (at a character boundary when the first
   * line alone is longer than the cap), and adds the final line
   * {@code ... (N more bytes omitted) ...}; returns null when the text fits.
   */
  static String cut(String text, int cap) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= cap) {
      return null;
    }
    int end = cap;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--; // the cut falls at the end of a line
    }
    if (end == 0) { // one line longer than the cap: cut it at a character boundary
      end = cap;
      while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
        end--;
      }
    }
    String kept = new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    return kept + (kept.endsWith("\n") ? "" : "\n") + "... (" + (bytes.length - end) + " more bytes omitted) ...";
  }

  /** {@code text} cut as {@link #cut} does when longer than {@code cap} UTF-8 bytes, else {@code text} itself. */
  static String capped(String text, int cap) {
    String cut = cut(text, cap);
    return cut == null ? text : cut;
  }

  /** A failed reply: 🚫 header, {@code Error} fence, events. */
  static List<String> failure(String realm, String agent, String time, Duration took, boolean late, String error,
      Events events) {
    List<String> out = new ArrayList<>();
    out.add(JournalFormat.replyHeader(false, realm, agent, time, took, late));
    out.addAll(JournalFormat.fence("Error", error));
    out.addAll(events(events));
    return out;
  }

  /** A background block: {@code ### 🗣️realm background at HH:MM:SS} and its events. */
  static List<String> background(String realm, String time, Events events) {
    List<String> out = new ArrayList<>();
    out.add(JournalFormat.backgroundHeader(realm, time));
    out.addAll(events(events));
    return out;
  }

  /**
   * Event blocks with the 2/ellipsis/8 rule, and the line linking the side file of the omitted events right after
   * the last one.
   */
  static List<String> events(Events block) {
    List<JournalEvent> events = block.kept();
    List<String> out = new ArrayList<>();
    long total = events.size() + block.omitted();
    if (total <= MAX_EVENTS) {
      events.forEach(e -> out.addAll(event(e)));
      return out;
    }
    int tail = MAX_EVENTS - HEAD;
    events.subList(0, HEAD).forEach(e -> out.addAll(event(e)));
    out.add("... (" + (total - MAX_EVENTS) + " more background events omitted) ...");
    events.subList(events.size() - tail, events.size()).forEach(e -> out.addAll(event(e)));
    if (block.sideFile() != null) {
      out.add(EVENTS_LINK + "[" + block.sideFile() + "](" + block.sideFile() + ")");
    }
    return out;
  }

  /** Whether a line is the link to a side file of omitted events that follows a block's last kept event. */
  static boolean isEventsLink(String line) {
    return line.startsWith(EVENTS_LINK + "[") && line.endsWith(".md)");
  }

  /** Whether a line is the 2/ellipsis/8 rule's {@code ... (N more background events omitted) ...}. */
  static boolean isOmittedLine(String line) {
    return OMITTED.matcher(line).matches();
  }

  /** One event: {@code ##### ☑️console.log} and a fence such as {@code ```Text console.log}. */
  static List<String> event(JournalEvent e) {
    String label = label(e.kind());
    String language = isJson(e.text()) ? "JSON" : isError(e.kind()) ? "Error" : "Text";
    List<String> out = new ArrayList<>();
    out.add(JournalFormat.EVENT_MARK + emoji(e.kind()) + label);
    out.addAll(JournalFormat.fence(language + " " + label, e.time() + " " + e.text()));
    return out;
  }

  static String label(String kind) {
    return switch (kind) {
      case "log", "info", "warn", "error", "debug", "table", "dir", "trace", "group" -> "console." + kind;
      default -> safeKind(kind);
    };
  }

  /**
   * A kind the realm made up, reduced to {@code [A-Za-z0-9._-]} and 40 characters: it is written into a
   * header and a fence's info string, where a line break or a backtick would forge structure.
   */
  static String safeKind(String kind) {
    String k = kind.replaceAll("[^A-Za-z0-9._-]+", "-");
    k = k.length() > 40 ? k.substring(0, 40) : k;
    return k.isEmpty() || k.equals("-") ? "event" : k;
  }

  static String emoji(String kind) {
    return switch (kind) {
      case "log", "table", "dir", "trace", "group" -> "\u2611\uFE0F";
      case "info" -> "\u2139\uFE0F";
      case "warn", "error" -> "\uD83C\uDD98";
      case "debug" -> "\uD83D\uDD22";
      default -> "\uD83D\uDEAB";
    };
  }

  private static boolean isError(String kind) {
    return switch (kind) {
      case "log", "info", "warn", "debug", "table", "dir", "trace", "group" -> false;
      default -> true;
    };
  }

  static boolean isJson(String text) {
    String t = text.strip();
    if (t.isEmpty() || "{[\"-0123456789tfn".indexOf(t.charAt(0)) < 0) {
      return false;
    }
    try {
      JSON.readTree(t);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}

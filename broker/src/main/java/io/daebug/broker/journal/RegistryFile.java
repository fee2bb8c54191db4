package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The registry {@code daebug.md} (FORMAT.md §3): written by the broker only, atomically. */
public final class RegistryFile {
  /** The line that, alone on a line of the registry, stops the broker. */
  public static final String SHUTDOWN = "%%SHUTDOWN%%";

  /**
   * One realm's line.
   *
   * @param name the realm name
   * @param url where it lives
   * @param time {@code HH:MM:SS} it was last seen
   * @param state {@code live}, {@code executing}, {@code queued N}, {@code unresponsive} or {@code disconnected}
   */
  public record Entry(String name, String url, String time, String state) {}

  private static final String TITLE = "# \uD83D\uDC7E Daebug remote debugging REPL";

  private final Path file;
  private final String startedAt;
  private final Supplier<String> url;

  /** @param url the broker's URL, asked for when the file is written (the port is bound after this is built) */
  public RegistryFile(Path root, String startedAt, Supplier<String> url) {
    this.file = root.resolve("daebug.md");
    this.startedAt = startedAt;
    this.url = url;
  }

  public Path file() {
    return file;
  }

  /** Whether a line of the registry is exactly {@code %%SHUTDOWN%%}. */
  public boolean shutdownRequested() throws IOException {
    String text = AtomicFiles.read(file);
    return text != null && JournalFormat.splitLines(text).stream().anyMatch(SHUTDOWN::equals);
  }

  /** Rewrites the registry with these realms, most recently seen first. */
  public void write(List<Entry> entries) throws IOException {
    AtomicFiles.replace(file, render(entries));
  }

  /** Rewrites the registry as shut down. */
  public void writeShutdown(String time, String startCommand) throws IOException {
    AtomicFiles.replace(file, renderShutdown(time, startCommand));
  }

  String render(List<Entry> entries) {
    StringBuilder sb = new StringBuilder();
    sb.append(TITLE).append(" started ").append(startedAt).append('\n');
    sb.append("> Interactive debugging REPL sessions for live browser contexts\n\n");
    sb.append("This file lists the realms (browser tabs, workers, iframes, Node processes, JVMs) connected to the\n")
        .append("Daebug broker at ").append(url.get()).append(". The broker rewrites it whenever a realm connects,\n")
        .append("disconnects or changes state; each link opens that realm's chat log.\n\n");
    sb.append("## Active Sessions\n\n");
    if (entries.isEmpty()) {
      sb.append("_No realm is connected yet: open ").append(url.get()).append(" in a browser._\n");
    }
    for (Entry e : entries) {
      sb.append("* [").append(e.name()).append("](daebug/").append(e.name()).append(".md) (")
          .append(e.url()).append(") at ").append(e.time()).append(": ").append(e.state()).append('\n');
    }
    sb.append("\n## How to Use\n\n");
    sb.append("Open a realm's log and append a request below its footer line: an optional\n")
        .append("`### \uD83D\uDDE3\uFE0Fyour-name to <realm> at HH:MM:SS` header and a ```JS fence. The reply appears\n")
        .append("below your request. To stop the broker, add a line containing only ").append(SHUTDOWN)
        .append(" to this file.\n");
    return sb.toString();
  }

  String renderShutdown(String time, String startCommand) {
    return TITLE + ": SERVER SHUT DOWN " + time + "\n"
        + "> This debugging session has concluded.\n\n"
        + "The broker that served " + url.get() + " has stopped; the realms' logs in `daebug/` are kept.\n\n"
        + "## How to start it again\n\n"
        + "Run this in the project folder, then reload the pages you want to debug:\n\n"
        + "```sh\n" + startCommand + "\n```\n";
  }
}

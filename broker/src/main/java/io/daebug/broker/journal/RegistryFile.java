package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry {@code daebug.md} (FORMAT.md §3): written by the broker only, atomically, on its own
 * thread ({@code daebug-registry}) so its fsync never delays a job. Rapid changes coalesce into one
 * write of the latest state.
 */
public final class RegistryFile implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryFile.class);
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

  static final long COALESCE_MS = 50;
  private static final String TITLE = "# \uD83D\uDC7E Daebug remote debugging REPL";

  private final Path file;
  private final String startedAt;
  private final Supplier<String> url;
  private final AtomicReference<List<Entry>> latest = new AtomicReference<>();
  private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "daebug-registry");
    t.setDaemon(true);
    return t;
  });
  /** Problems the user should see (logs that could not be used), newest last; set by the core. */
  private volatile List<String> problems = List.of();
  /** Registry thread only: the text last written, to skip writes that would change nothing. */
  private String lastWritten;
  /** Registry thread only: the realms last written. */
  private List<Entry> lastEntries = List.of();
  /** Registry thread only: code an agent appended here (it does not run), kept in the registry under a 🚫 note. */
  private String stray = "";
  private static final int MAX_STRAY = 64 * 1024;

  /** @param url the broker's URL, asked for when the file is written (the port is bound after this is built) */
  public RegistryFile(Path root, String startedAt, Supplier<String> url) {
    this.file = root.resolve("daebug.md");
    this.startedAt = startedAt;
    this.url = url;
  }

  public Path file() {
    return file;
  }

  /** Puts a {@code %%SHUTDOWN%%} line appended to a replaced registry back into the current one. */
  private void keepShutdown(byte[] appended) {
    if (JournalFormat.splitLines(Utf8.decode(appended)).stream().anyMatch(SHUTDOWN::equals)) {
      try {
        java.nio.file.Files.writeString(file, "\n" + SHUTDOWN + "\n", java.nio.charset.StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);
        log.info("{} was appended to {} while the broker rewrote it: put back", SHUTDOWN, file.getFileName());
      } catch (IOException e) {
        log.warn("cannot put {} back into {}: {}", SHUTDOWN, file, e.toString());
      }
    }
  }

  /** Whether the registry file is gone (an agent or a tool deleted it). */
  public boolean missing() {
    return !java.nio.file.Files.exists(file);
  }

  /** Whether a line of the registry is exactly {@code %%SHUTDOWN%%}. */
  public boolean shutdownRequested() throws IOException {
    String text = AtomicFiles.read(file);
    return text != null && JournalFormat.splitLines(text).stream().anyMatch(SHUTDOWN::equals);
  }

  /**
   * Sets the problems listed under {@code ## Problems} from the next write on (e.g. a log that is a symbolic
   * link, so its realm journals under another name). Empty: no such section.
   */
  public void problems(List<String> lines) {
    problems = List.copyOf(lines);
  }

  /** Rewrites the registry with these realms, most recently seen first, now (on the caller's thread). */
  public void write(List<Entry> entries) throws IOException {
    AtomicFiles.replace(file, render(entries));
  }

  /**
   * Rewrites the registry on the registry thread within {@value #COALESCE_MS} ms; newer calls before that
   * write replace this one, and a write that would change nothing is skipped (a job that starts and ends
   * within the window costs no write at all, and no fsync competes with the logs'). A registry holding a
   * {@code %%SHUTDOWN%%} line is left alone (the broker is about to stop).
   */
  public void publish(List<Entry> entries) {
    if (latest.getAndSet(List.copyOf(entries)) == null) {
      writer.schedule(this::drain, COALESCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void drain() {
    List<Entry> entries = latest.getAndSet(null);
    if (entries == null) {
      return;
    }
    lastEntries = entries;
    String text = render(entries);
    if (!java.nio.file.Files.exists(file)) {
      lastWritten = null; // deleted by someone: written again even if nothing changed
    }
    try {
      for (int attempt = 0; attempt < 20 && !text.equals(lastWritten); attempt++) {
        AtomicFiles.Stamp before = AtomicFiles.Stamp.of(file);
        if (shutdownRequested()) {
          return;
        }
        // A %%SHUTDOWN%% line an agent appends while the registry is rewritten is never lost: a change before
        // the rename means reading again, and one that lands in the replaced file after it is put back.
        // Not fsynced: the registry is rewritten whenever a broker starts, and a realm's state changes with every job;
        // an fsync here would compete with the logs' own durable writes (docs/concurrency.md).
        if (AtomicFiles.replaceUnlessChanged(file, Utf8.encode(text), before, this::keepShutdown, Durability.VISIBLE)) {
          lastWritten = text;
        }
      }
    } catch (IOException e) {
      log.warn("cannot write {}: {}", file, e.toString());
    }
  }

  /**
   * Looks for code an agent appended to the registry (a request meant for a realm's log): it is not run, and it is
   * kept, under a 🚫 note that says where requests go, in every later version of the registry.
   */
  public void checkStray() {
    writer.execute(() -> {
      try {
        String text = AtomicFiles.read(file);
        String last = lastWritten;
        if (text == null || last == null || !text.startsWith(last) || text.length() == last.length()) {
          return;
        }
        String added = text.substring(last.length());
        if (!added.contains("```") && !added.contains("~~~")) {
          return;
        }
        stray = (stray + (added.endsWith("\n") ? added : added + "\n"));
        if (stray.length() > MAX_STRAY) {
          stray = stray.substring(stray.length() - MAX_STRAY);
        }
        log.info("a code block was appended to {}: not run, kept there under a note", file.getFileName());
        latest.compareAndSet(null, lastEntries);
        drain();
      } catch (IOException e) {
        log.warn("cannot read {}: {}", file, e.toString());
      }
    });
  }

  /** Rewrites the registry as shut down, after any pending write, and stops the registry thread. */
  public void writeShutdown(String time, String startCommand) throws IOException {
    latest.set(null);
    Future<?> done = writer.submit(() -> {
      AtomicFiles.replace(file, renderShutdown(time, startCommand));
      return null;
    });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot write the shut-down registry: " + e.getMessage(), e);
    } finally {
      writer.shutdown();
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
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
    List<String> shown = problems;
    if (!shown.isEmpty()) {
      sb.append("\n## Problems\n\n");
      shown.forEach(p -> sb.append("* ").append(p).append('\n'));
    }
    sb.append("\n## How to Use\n\n");
    sb.append("Open a realm's log and append a request below its footer line: an optional\n")
        .append("`### \uD83D\uDDE3\uFE0Fyour-name to <realm> at HH:MM:SS` header and a ```JS fence. The reply appears\n")
        .append("below your request. To stop the broker, add a line containing only ").append(SHUTDOWN)
        .append(" to this file.\n");
    if (!stray.isEmpty()) {
      sb.append("\n## \uD83D\uDEAB Not run\n\n")
          .append("Code written into this file does not run: `daebug.md` only lists the realms. Append a request to a\n")
          .append("realm's log instead, `daebug/<realm>.md` (the links above). What was written here, kept as it was:\n\n")
          .append(stray);
    }
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

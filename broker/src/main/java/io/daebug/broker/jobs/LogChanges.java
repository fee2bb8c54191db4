package io.daebug.broker.jobs;

import io.daebug.broker.journal.StrayLogs;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.Realms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to {@code daebug/}: a realm's log changed (the watcher said so, or the periodic sweep looks), every log
 * may have changed, or a log of no connected realm was written (its agent is told which realms are live, unless its
 * realm connects within {@link #STRAY_NOTE}). Core-thread confined.
 */
public final class LogChanges {
  private static final Logger log = LoggerFactory.getLogger(LogChanges.class);
  /** How long a log of no connected realm waits for its realm before the agent is told. */
  static final Duration STRAY_NOTE = Duration.ofSeconds(3);

  private final Path logDir;
  private final Realms realms;
  private final JobRunner jobs;
  private final Scheduler scheduler;
  /** Logs of no known realm that were already reported (once each, so an agent's edits do not flood). */
  private final Set<String> unknownLogsWarned = new HashSet<>();
  private boolean closed;

  public LogChanges(Path logDir, Realms realms, JobRunner jobs, Scheduler scheduler) {
    this.logDir = logDir;
    this.realms = realms;
    this.jobs = jobs;
    this.scheduler = scheduler;
  }

  /** A file in {@code daebug/} was created or changed. */
  void changed(String fileName) throws IOException {
    Realm realm = realms.byLogFile(fileName);
    if (realm != null) {
      jobs.acceptFromLog(realm, false);
      return;
    }
    if (unknownLogsWarned.add(fileName)) {
      log.warn("daebug/{} changed, but no realm of that name is connected: its requests wait until one"
          + " connects (realms are listed in daebug.md)", fileName);
    }
    // A log written just before its realm connects is that realm's to adopt: the note waits a moment.
    scheduler.schedule(() -> Guard.run("stray log", () -> noteStray(fileName)), STRAY_NOTE);
  }

  /** Every log may have changed (the folder appeared, or the watcher overflowed). */
  void allChanged() throws IOException {
    for (Realm r : realms.all()) {
      if (r.connected()) {
        r.log().create();
      }
      jobs.acceptFromLog(r, true);
    }
  }

  /**
   * Looks at every connected realm's log (one stat when unchanged), so that a change the file watcher did not report
   * (an event lost, or handled before the write it raced was over) costs latency, never a request.
   */
  void sweep() throws IOException {
    for (Realm r : realms.all()) {
      if (r.connected()) {
        jobs.acceptFromLog(r, false);
      }
    }
  }

  void close() {
    closed = true;
  }

  /** Tells the agent in {@code daebug/<name>.md}, when still no realm of that name is there, which realms are live. */
  private void noteStray(String fileName) throws IOException {
    if (closed || realms.byLogFile(fileName) != null) {
      return;
    }
    List<String> live = new ArrayList<>();
    for (Realm r : realms.all()) {
      if (r.connected()) {
        live.add(r.name());
      }
    }
    String name = fileName.substring(0, fileName.length() - ".md".length());
    if (StrayLogs.note(logDir.resolve(fileName), name, live)) {
      log.info("daebug/{}: told the agent that no realm named {} is connected", fileName, name);
    }
  }
}

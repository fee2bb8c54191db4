package io.daebug.broker.jobs;

import io.daebug.broker.journal.RegistryFile;
import io.daebug.broker.registry.Realms;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs that could not be used (a symbolic link, a FIFO, a folder, a file the broker may not write): each is said
 * once in the broker's log (WARN) and listed under {@code ## Problems} in {@code daebug.md}, with what the realm got
 * instead, so the user sees where its journal went. Keeps the last {@value #KEPT}. Confined to the core thread.
 */
final class LogProblems {
  private static final Logger log = LoggerFactory.getLogger(LogProblems.class);
  static final int KEPT = 10;

  private final RegistryFile registry;
  private final Supplier<String> time;
  private final Deque<String> lines = new ArrayDeque<>();

  LogProblems(RegistryFile registry, Supplier<String> time) {
    this.registry = registry;
    this.time = time;
  }

  /** Reports the problems of a hello; returns whether the registry's list changed. */
  boolean report(String proposed, Realms.Claimed claimed) {
    String outcome = claimed.realm() == null ? "realm '" + abbreviate(proposed) + "' refused: no usable log"
        : "realm " + claimed.realm().name() + " journals in daebug/" + claimed.realm().name() + ".md instead";
    String line = String.join("; ", claimed.problems()) + ": " + outcome;
    log.warn("{}", line);
    String listed = line + " (" + time.get() + ")";
    if (lines.stream().anyMatch(l -> l.startsWith(line + " ("))) {
      return false;
    }
    lines.addLast(listed);
    while (lines.size() > KEPT) {
      lines.removeFirst();
    }
    registry.problems(List.copyOf(lines));
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}

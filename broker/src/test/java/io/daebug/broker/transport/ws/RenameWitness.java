package io.daebug.broker.transport.ws;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Tells, for one whole-file save by the agent, whether it replaced a version of the log the broker wrote
 * after the agent's read (a stale save), and whether the broker replaced the agent's save with a version
 * written from an earlier read (the save was clobbered). POSIX has no compare-and-swap for file names, so
 * neither side can know at the time; the order of the folder's change events shows it afterwards.
 *
 * <p>A rename onto the log shows as the deletion of the renamed file's name directly followed by the
 * creation of the log's name, a broker write in place as the creation of its redo record (see {@link #judge}
 * for what each order means). Marker files (dotfiles, which
 * the broker ignores) bracket the save in the event order, and the analysis also waits until every other
 * file that was in the folder when the save ended (a broker write in flight) is gone.
 */
final class RenameWitness implements AutoCloseable {
  /** What one save did; an overflow of events counts as both (it can only excuse, never accuse). */
  record Verdict(boolean stale, boolean clobbered, String events) {
    Verdict(boolean stale, boolean clobbered) {
      this(stale, clobbered, "");
    }
  }

  private final Path dir;
  private final String name;
  private final WatchService service;
  private int marks;

  RenameWitness(Path log) throws IOException {
    this.dir = log.getParent();
    this.name = log.getFileName().toString();
    this.service = dir.getFileSystem().newWatchService();
    dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
  }

  /** Touches a new marker and returns its name: call it before the save's read. */
  String mark() throws IOException {
    String marker = ".witness-" + ++marks;
    Files.createFile(dir.resolve(marker));
    return marker;
  }

  /**
   * The verdict on the save that began at marker {@code from}; {@code tmp} is the name of the file it renamed
   * onto the log, or null for a save in place.
   */
  Verdict verdict(String from, String tmp) throws IOException, InterruptedException {
    // Files that are there when the save ended and are not the log's or the agent's: writes in flight. Listed
    // before the next marker, so what becomes of any file missing from the list comes before the marker.
    Set<String> inFlight = new HashSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(name) && !n.equals(tmp) && !n.startsWith(".witness-"))
          .forEach(inFlight::add);
    }
    List<String[]> events = new ArrayList<>(); // {kind, name}
    String start = from;
    // Up to a new marker, again while writes in flight remain; the last marker also brings the creation of the
    // log's name that completes a rename whose deletion ended the wait.
    do {
      if (!readUntil(events, start, mark(), inFlight)) {
        return new Verdict(true, true);
      }
      start = null;
    } while (!inFlight.isEmpty());
    Files.deleteIfExists(dir.resolve(from));
    return judge(events, tmp);
  }

  /**
   * Adds the events after marker {@code from} (every event when null) up to {@code marker} to {@code events},
   * dropping the deleted files from {@code inFlight}; false when events overflowed.
   */
  private boolean readUntil(List<String[]> events, String from, String marker, Set<String> inFlight)
      throws IOException, InterruptedException {
    boolean started = from == null;
    while (true) {
      WatchKey key = service.poll(5, TimeUnit.SECONDS);
      if (key == null) {
        throw new AssertionError("no change event for " + marker + " within 5 s");
      }
      boolean seen = false;
      for (WatchEvent<?> e : key.pollEvents()) {
        if (e.kind() == OVERFLOW) {
          key.reset();
          return false;
        }
        String context = e.context().toString();
        if (context.equals(from) && e.kind() == ENTRY_CREATE) {
          started = true;
        } else if (context.equals(marker) && e.kind() == ENTRY_CREATE) {
          seen = true;
        } else if (started && !context.startsWith(".witness-")) { // after the marker too: still after the save
          for (int i = 0; i < e.count(); i++) {
            events.add(new String[] {e.kind().name(), context});
          }
          if (e.kind() == ENTRY_DELETE) {
            inFlight.remove(context);
          }
        }
      }
      key.reset();
      if (seen) {
        Files.deleteIfExists(dir.resolve(marker));
        return true;
      }
    }
  }

  /**
   * A rename by someone else before the save's own rename replaced a version the agent may not have read
   * (stale); one after it may have been checked against the log before the save and written from a read
   * made before it (clobbered), or may be an ordinary later write: it cannot be told apart, so it counts as
   * a possible clobber. A save in place has no event of its own to order by (the JDK reorders modification
   * events), so any rename by someone else in its window counts as both.
   */
  private Verdict judge(List<String[]> events, String tmp) {
    int point = -1;
    for (int i = 0; tmp != null && i < events.size() && point < 0; i++) {
      if (events.get(i)[0].equals(ENTRY_DELETE.name()) && events.get(i)[1].equals(tmp) && renameOntoLog(events, i)) {
        point = i;
      }
    }
    if (tmp != null && point < 0) {
      throw new AssertionError("the save left no rename of its own: " + describe(events));
    }
    boolean stale = false;
    boolean clobbered = false;
    for (int i = 0; i < events.size(); i++) {
      String[] e = events.get(i);
      boolean brokerRename = e[0].equals(ENTRY_DELETE.name()) && !e[1].equals(tmp) && renameOntoLog(events, i);
      // A broker write in place makes its redo record first: its creation stands for the write.
      boolean brokerInPlace = e[0].equals(ENTRY_CREATE.name()) && e[1].equals("." + name + ".redo");
      if (brokerRename || brokerInPlace) {
        stale |= tmp == null || i < point;
        clobbered |= tmp == null || i > point;
      }
    }
    return new Verdict(stale, clobbered, describe(events));
  }

  private static String describe(List<String[]> events) {
    return events.stream().map(e -> e[0].substring(6) + " " + e[1]).toList().toString();
  }

  private boolean renameOntoLog(List<String[]> events, int i) {
    return i + 1 < events.size() && events.get(i + 1)[0].equals(ENTRY_CREATE.name()) && events.get(i + 1)[1].equals(name);
  }

  /** Takes the events so far without looking at them, so they cannot overflow between saves. */
  void drain() {
    WatchKey key;
    while ((key = service.poll()) != null) {
      key.pollEvents();
      key.reset();
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}

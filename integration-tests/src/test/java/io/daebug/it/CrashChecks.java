package io.daebug.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The checks of {@link CrashIT} (its class comment lists them), against what {@link CrashLoad} wrote and was told
 * and what the {@link CrashRealm}s ran; the files are read with {@link CrashReading}. Keeps the counts printed at
 * the end.
 */
final class CrashChecks {
  private final Path root;
  private final List<String> realmNames;
  final Map<String, AtomicInteger> stats = new java.util.concurrent.ConcurrentSkipListMap<>();
  /**
   * Requests still below the footer, with no placeholder, when a broker died (and the kill after which they were
   * seen so). The broker pushes a job before its placeholder is on disk (journal-format.md), so the killed broker
   * may have pushed one of these and the next broker runs it again: the only way such a request can run twice.
   * Whether the realm ran it is not asked at the kill: the job may still have been in the socket's buffers.
   */
  private final Map<String, String> waitingAtKill = new TreeMap<>();
  /**
   * Logs found after a kill with text appended to a replaced version that the killed broker had not carried over yet
   * (it is in a kept link beside the log), checked after the restart, once the next broker carried it.
   */
  private int keptAtKill;

  CrashChecks(Path root, List<String> realmNames) {
    this.root = root;
    this.realmNames = realmNames;
  }

  /** Every check of the class comment that holds at any moment; {@code quiet}: the broker has answered everything. */
  void check(String when, CrashLoad load, List<CrashRealm> realms, boolean quiet) {
    for (CrashRealm realm : realms) {
      String name = realm.name();
      if (!quiet && textInAKeptVersion(load.log(name))) {
        // Killed after replacing the log but before carrying over what an agent appended to the replaced version
        // meanwhile: the next broker carries it, to where it belongs (docs/big-logs.md, "Appends to a replaced
        // version"), so the log is checked after the restart.
        keptAtKill++;
        continue;
      }
      String text = LogFile.read(load.log(name));
      CrashReading.Log log = parse(name, when + ": log of " + name, text);
      for (CrashLoad.Appended a : load.appended.get(name)) {
        if (a.complete()) {
          CrashReading.Request r = log.request(a.tag);
          assertThat(r).as("%s: the request %s the agent appended to %s", when, a.tag, name).isNotNull();
          assertThat(text.startsWith(a.text, r.end() - a.text.length()))
              .as("%s: the text of %s in one piece in %s:%n%s", when, a.tag, name, a.text).isTrue();
          assertThat(log.prose().get(a.tag)).as("%s: prose lines of %s in %s", when, a.tag, name).isEqualTo(1);
        } else if (a.written > 0) {
          assertThat(text).as("%s: the log of %s ends with the part of %s written so far", when, name, a.tag)
              .endsWith(a.text.substring(0, a.written));
        }
      }
      for (Map.Entry<String, List<CrashReading.Request>> e : log.requests().entrySet()) {
        String tag = e.getKey();
        String agent = tag.startsWith("c-") ? "ctl" : tag.substring(0, tag.indexOf('-'));
        assertThat(tag.startsWith("c-") ? load.submitted.get(tag) : realmNames.get(Integer.parseInt(agent.substring(1))))
            .as("%s: the realm %s was sent to", when, tag)
            .isEqualTo(name);
        assertThat(e.getValue().get(0).agent()).as("%s: the agent of %s", when, tag).isEqualTo(agent);
      }
      load.seen.get(name).forEach((tag, reply) -> {
        CrashReading.Request r = log.request(tag);
        assertThat(r).as("%s: the request %s whose reply was seen in %s", when, tag, name).isNotNull();
        assertThat(r.reply()).as("%s: the reply of %s seen before in %s", when, tag, name).isEqualTo(reply);
      });
      load.acked.forEach((tag, realmName) -> {
        if (realmName.equals(name)) {
          CrashReading.Request r = log.request(tag);
          assertThat(r).as("%s: the controller job %s acknowledged by a result", when, tag).isNotNull();
          assertThat(r.reply()).as("%s: the reply of acknowledged %s", when, tag).isNotNull();
          assertThat(r.reply().kind()).as("%s: the reply of acknowledged %s", when, tag).isEqualTo("ok");
        }
      });
      log.events().forEach((event, n) -> assertThat(n).as("%s: %s written in %s", when, event, name).isEqualTo(1));
      if (quiet) {
        assertThat(log.placeholders() + log.waiting()).as("%s: unanswered requests in %s", when, name).isZero();
      } else {
        log.requests().forEach((tag, r) -> {
          if (r.get(0).reply() == null) {
            waitingAtKill.putIfAbsent(tag, when);
          }
        });
      }
      load.remember(name, log);
    }
    Map<String, String> listed = registry(when + ": the registry");
    if (quiet) {
      assertThat(listed).as("%s: realms listed", when).containsOnlyKeys(realmNames);
    }
    assertThat(load.problems).as("%s: what the load saw go wrong", when).isEmpty();
    realms.forEach(r -> assertThat(r.problems()).as("%s: what realm %s saw go wrong", when, r.name()).isEmpty());
  }

  /**
   * With everything answered: one reply per request, no job run twice (not even one below the footer at a kill:
   * see {@link #waitingAtKill}), every OK reply from a job that ran, every job a realm ran journalled, and no part
   * of an agent's append lost.
   */
  void atTheEnd(CrashLoad load, List<CrashRealm> realms) {
    Map<String, Integer> runs = new TreeMap<>();
    realms.forEach(r -> r.runs().forEach((tag, n) -> runs.merge(tag, n.get(), Integer::sum)));
    Set<String> journalled = new HashSet<>();
    for (CrashRealm realm : realms) {
      CrashReading.Log log = parse(realm.name(), "at the end: log of " + realm.name(),
          LogFile.read(load.log(realm.name())));
      for (Map.Entry<String, List<CrashReading.Request>> e : log.requests().entrySet()) {
        CrashReading.Reply reply = e.getValue().get(0).reply();
        journalled.add(e.getKey());
        count(reply.kind().equals("ok") ? "replies from the realm" : "restart replies");
        if (reply.kind().equals("ok")) {
          assertThat(runs.get(e.getKey())).as("runs of %s, answered by its realm", e.getKey()).isPositive();
        } else {
          assertThat(reply.body()).as("the 🚫 reply of %s", e.getKey()).isEqualTo(CrashReading.RESTART);
        }
      }
      for (CrashLoad.Appended a : load.appended.get(realm.name())) {
        assertThat(journalled).as("agent requests answered").contains(a.tag);
      }
    }
    Map<String, Integer> twice = runs.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    Set<String> unjournalled = runs.keySet().stream().filter(t -> !journalled.contains(t))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    stats.put("controller jobs acknowledged", new AtomicInteger(load.acked.size()));
    stats.put("requests", new AtomicInteger(journalled.size()));
    stats.put("jobs run twice", new AtomicInteger(twice.size()));
    stats.put("logs with an append in a replaced version at a kill (checked after the restart)",
        new AtomicInteger(keptAtKill));
    stats.put("jobs run but never journalled",
        new AtomicInteger(unjournalled.size()));
    if (!twice.isEmpty()) {
      System.out.printf("CrashIT: run twice: %s; below the footer at a kill: %s%n", twice,
          twice.keySet().stream().collect(Collectors.toMap(t -> t, t -> waitingAtKill.getOrDefault(t, "never"),
              (a, b) -> a, TreeMap::new)));
    }
    stats.put("agent appends that raced a broker write", new AtomicInteger(load.raced.get()));
    assertThat(twice).as("jobs run more than once (those below the footer at a kill: %s)",
        twice.keySet().stream().filter(waitingAtKill::containsKey).toList()).isEmpty();
    assertThat(unjournalled).as("jobs a realm ran whose request is not in its log").isEmpty();
  }

  /** Whether a kept link of {@code log}'s replaced versions holds text beyond what the log holds of it. */
  private static boolean textInAKeptVersion(Path log) {
    java.util.regex.Pattern kept = java.util.regex.Pattern.compile(
        "^\\." + java.util.regex.Pattern.quote(log.getFileName().toString()) + "\\.[0-9a-f]+\\.(\\d+)(\\..+)?\\.kept$");
    try (java.util.stream.Stream<Path> files = Files.list(log.getParent())) {
      for (Path p : files.toList()) {
        java.util.regex.Matcher m = kept.matcher(p.getFileName().toString());
        if (m.matches() && Files.size(p) > Long.parseLong(m.group(1)) && !Files.isSameFile(p, log)) {
          return true;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return false;
  }

  static CrashReading.Log parse(String realm, String what, String text) {
    try {
      return CrashReading.log(realm, what, text);
    } catch (AssertionError e) {
      // Not an AssertionError: Awaitility would wait for a broken file to mend instead of failing at once.
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  Map<String, String> registry(String what) {
    try {
      return CrashReading.registry(what, LogFile.read(root.resolve("daebug.md")));
    } catch (AssertionError e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  void count(String what) {
    stats.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }
}

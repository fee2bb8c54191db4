package io.daebug.broker.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.daebug.broker.protocol.ControllerEvent;
import io.daebug.broker.protocol.ErrorInfo;
import io.daebug.broker.protocol.JobDispatched;
import io.daebug.broker.protocol.JobOutcome;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.JobRequested;
import io.daebug.broker.protocol.RealmEvent;
import io.daebug.broker.protocol.RealmInfo;
import io.daebug.broker.protocol.RealmUpdate;
import io.daebug.broker.protocol.ToController;
import io.daebug.broker.registry.RealmNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connected controllers: their names, watches and submissions, and every message the core sends them.
 * Core-thread confined, like the jobs it reports on (docs/concurrency.md).
 */
public final class Controllers {
  /** Who submitted a job, under which ref, and when (ticker nanos). */
  record Submission(ControllerLink link, String ref, long submittedNanos) {}

  /** One connection's state. */
  static final class Controller {
    final String name;
    final Set<String> watches = new HashSet<>();
    /** The realms (or {@code *}) whose jobs it watches too. */
    final Set<String> jobWatches = new HashSet<>();
    /** Unfinished submissions by ref. */
    final Map<String, Job> refs = new HashMap<>();

    Controller(String name) {
      this.name = name;
    }
  }

  private static final JsonNode UNDEFINED = JsonNodeFactory.instance.objectNode().put("$daebug", "undefined");

  private final Map<ControllerLink, Controller> byLink = new LinkedHashMap<>();
  /** What controllers were last told about each realm, to send only changes. */
  private final Map<String, RealmInfo> announced = new HashMap<>();

  Controller add(ControllerLink link, String name) {
    Controller c = new Controller(name);
    byLink.put(link, c);
    return c;
  }

  Controller get(ControllerLink link) {
    return byLink.get(link);
  }

  void remove(ControllerLink link) {
    byLink.remove(link);
  }

  /** Tells every controller about realms that appeared, changed or went away since the last call. */
  void realmsNow(List<RealmInfo> realms) {
    Map<String, RealmInfo> now = new LinkedHashMap<>();
    List<RealmInfo> changed = new ArrayList<>();
    for (RealmInfo r : realms) {
      now.put(r.name(), r);
      if (!r.equals(announced.get(r.name()))) {
        changed.add(r);
      }
    }
    for (RealmInfo old : announced.values()) {
      if (!now.containsKey(old.name())) {
        changed.add(old.gone());
      }
    }
    announced.clear();
    announced.putAll(now);
    for (RealmInfo r : changed) {
      broadcast(new RealmUpdate(r));
    }
  }

  /** Starts ({@code watch}) or stops ({@code unwatch}, {@code jobs} ignored) watching a realm, or {@code *}. */
  void watch(Controller c, String realm, boolean on, boolean jobs) {
    String key = realm.equals("*") ? "*" : RealmNames.sanitise(realm);
    if (!on) {
      c.watches.remove(key);
      c.jobWatches.remove(key);
      return;
    }
    c.watches.add(key);
    if (jobs) {
      c.jobWatches.add(key);
    }
  }

  /** A job was accepted (its placeholder is in the log): its submitter and the realm's job watchers are told. */
  void queued(Job job, int ahead) {
    Submission s = job.submission;
    if (s != null) {
      s.link().send(new JobQueued(s.ref(), job.id, job.realmName, ahead));
    }
    for (Map.Entry<ControllerLink, Controller> c : jobWatchers(job.realmName)) {
      String ref = s != null && c.getKey() == s.link() ? s.ref() : null;
      c.getKey().send(new JobRequested(ref, job.id, job.realmName, job.agent, job.code, job.language, ahead));
    }
  }

  void dispatched(Job job) {
    Submission s = job.submission;
    if (s != null && byLink.containsKey(s.link())) {
      s.link().send(new JobDispatched(s.ref(), job.id, job.realmName, millis(job.dispatchedNanos() - s.submittedNanos())));
    }
    for (Map.Entry<ControllerLink, Controller> c : jobWatchers(job.realmName)) {
      if (s == null || c.getKey() != s.link()) {
        c.getKey().send(new JobDispatched(null, job.id, job.realmName, millis(job.dispatchedNanos() - job.queuedNanos)));
      }
    }
  }

  /** The controllers that watch this realm's jobs (a copy: sending never changes the table, but be safe). */
  private List<Map.Entry<ControllerLink, Controller>> jobWatchers(String realm) {
    List<Map.Entry<ControllerLink, Controller>> out = new ArrayList<>();
    for (Map.Entry<ControllerLink, Controller> c : byLink.entrySet()) {
      Set<String> w = c.getValue().jobWatches;
      if (!w.isEmpty() && (w.contains(realm) || w.contains("*"))) {
        out.add(c);
      }
    }
    return out;
  }

  /** A realm event: to the submitter of its job and to every controller watching the realm, once each. */
  void event(String realm, Job job, RealmEvent e, long epochMillis) {
    if (byLink.isEmpty()) {
      return;
    }
    ControllerEvent message = new ControllerEvent(realm, e.job(), e.kind(), epochMillis, e.text());
    ControllerLink submitter = job != null && job.submission != null ? job.submission.link() : null;
    for (Map.Entry<ControllerLink, Controller> c : byLink.entrySet()) {
      Set<String> w = c.getValue().watches;
      if (c.getKey() == submitter || w.contains(realm) || w.contains("*")) {
        c.getKey().send(message);
      }
    }
  }

  /** The error a controller is told of for a job the broker ended ({@code timeout}, {@code cancelled}, ...). */
  static ErrorInfo brokerError(Outcome outcome, String message) {
    return new ErrorInfo(outcome.errorName(), message, null);
  }

  /**
   * A submitted job ended (call after its reply is on disk).
   *
   * @param endNanos ticker time of the end, for the queue time of a job that never ran
   */
  void finished(Job job, Outcome outcome, JsonNode value, ErrorInfo error, Duration took, long endNanos, boolean late) {
    Submission s = job.submission;
    long dispatched = job.dispatchedNanos() != 0 ? job.dispatchedNanos() : endNanos;
    JsonNode shown = outcome == Outcome.OK ? (value == null ? UNDEFINED : value) : null;
    Controller c = s == null ? null : byLink.get(s.link());
    if (c != null && !late) {
      c.refs.remove(s.ref(), job);
    }
    if (c != null) {
      s.link().send(new JobOutcome(s.ref(), job.id, job.realmName, outcome.wire(), shown, error, millis(took.toNanos()),
          millis(dispatched - s.submittedNanos()), late ? Boolean.TRUE : null));
    }
    for (Map.Entry<ControllerLink, Controller> w : jobWatchers(job.realmName)) {
      if (s == null || w.getKey() != s.link()) {
        w.getKey().send(new JobOutcome(null, job.id, job.realmName, outcome.wire(), shown, error, millis(took.toNanos()),
            millis(dispatched - job.queuedNanos), late ? Boolean.TRUE : null));
      }
    }
  }

  /** Pings every controller (the broker's ping timer). */
  void pingAll() {
    byLink.keySet().forEach(ControllerLink::ping);
  }

  private void broadcast(ToController message) {
    for (ControllerLink link : byLink.keySet()) {
      link.send(message);
    }
  }

  private static double millis(long nanos) {
    return Math.round(Math.max(0, nanos) / 1000.0) / 1000.0;
  }
}

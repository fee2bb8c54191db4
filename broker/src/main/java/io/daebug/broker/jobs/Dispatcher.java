package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.journal.RegistryFile;
import io.daebug.broker.journal.StrayLogs;
import io.daebug.broker.metrics.BrokerMetrics;
import io.daebug.broker.protocol.Beat;
import io.daebug.broker.protocol.Cancel;
import io.daebug.broker.protocol.ControllerError;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.ErrorMessage;
import io.daebug.broker.protocol.FromController;
import io.daebug.broker.protocol.ListRealms;
import io.daebug.broker.protocol.RealmInfo;
import io.daebug.broker.protocol.RealmList;
import io.daebug.broker.protocol.Submit;
import io.daebug.broker.protocol.Unwatch;
import io.daebug.broker.protocol.Watch;
import io.daebug.broker.protocol.FromRealm;
import io.daebug.broker.protocol.Hello;
import io.daebug.broker.protocol.RealmEvent;
import io.daebug.broker.protocol.Result;
import io.daebug.broker.protocol.Status;
import io.daebug.broker.protocol.Welcome;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.RealmLink;
import io.daebug.broker.registry.RealmNames;
import io.daebug.broker.registry.Realms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's core: realms connect, requests are accepted from logs, jobs are pushed, results and
 * events are journalled. Every public method may be called from any thread; each one only submits a
 * task to the core, a serial executor that owns all realm and job state (docs/concurrency.md).
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final BrokerConfig config;
  private final ScheduledExecutorService core;
  private final Ticker ticker;
  private final Realms realms;
  private final RegistryFile registry;
  private final Runnable shutdownRequested;
  private final Map<RealmLink, Realm> byLink = new HashMap<>();
  private final JobRunner jobs;
  private final Controllers controllers = new Controllers();
  private final HelloDeadlines greetings;
  /** Realm links that closed before their hello reached the core (a hello waiting for its big log to be read). */
  private final java.util.Set<RealmLink> closedBeforeHello = new java.util.HashSet<>();
  /** Realm links whose hello waits for its big log to be read (any thread). */
  private final java.util.Set<RealmLink> priming = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Reads big logs ahead of their realm's hello, off the core (see {@link #hello}). */
  private final java.util.concurrent.ExecutorService primer = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "daebug-log-primer");
        t.setDaemon(true);
        return t;
      });
  /** Logs at least this big are read ahead of their realm's hello, off the core. */
  static final long PRIME_ABOVE = 4L << 20;
  private final LogProblems logProblems;
  /** The broker's version, as controllers are told. */
  public static final String VERSION = "0.1.0";
  /** How long a log of no connected realm waits for its realm before the agent is told (see noteStray). */
  static final long STRAY_NOTE_MS = 3000;
  /** How often heartbeats are checked (docs/protocol.md, {@code beat}). */
  static final long BEAT_CHECK_MS = 250;
  /**
   * Every connected realm's log is looked at (one stat when unchanged) this often, so that a change the file
   * watcher did not report (an event lost, or handled before the write it raced was over) costs latency, never
   * a request.
   */
  static final long SWEEP_MS = 1000;
  /** While a realm is silent its registry line (with the running job's seconds) is refreshed this often. */
  static final long SILENT_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
  private long lastSilentRefreshNanos;
  private boolean registryScheduled;
  private boolean closed;
  private boolean shutdownStarted;
  /** Logs of no known realm that were already reported (once each, so an agent's edits do not flood). */
  private final java.util.Set<String> unknownLogsWarned = new java.util.HashSet<>();

  public Dispatcher(BrokerConfig config, ScheduledExecutorService core, Ticker ticker, RegistryFile registry,
      Runnable shutdownRequested) {
    this(config, core, ticker, registry, shutdownRequested, BrokerMetrics.NONE);
  }

  /** @param metrics told of every job's start and end, log write and realm event (on the core thread) */
  public Dispatcher(BrokerConfig config, ScheduledExecutorService core, Ticker ticker, RegistryFile registry,
      Runnable shutdownRequested, BrokerMetrics metrics) {
    this.config = config;
    this.core = core;
    this.ticker = ticker;
    this.registry = registry;
    this.shutdownRequested = shutdownRequested;
    this.greetings = new HelloDeadlines(ticker, HelloDeadlines.TIMEOUT);
    this.logProblems = new LogProblems(registry, () -> now());
    this.realms = new Realms(logDir(), config.resultCap(), config.writes(), config.disconnectGrace(), ticker, core,
        this::expire);
    this.jobs = new JobRunner(config, Scheduler.of(core), ticker, this::registryChanged, controllers, metrics);
    this.jobs.cancelSent = new OwnerRelay(realms)::cancelSent;
    core.scheduleWithFixedDelay(() -> guard("beats", this::checkBeats), BEAT_CHECK_MS, BEAT_CHECK_MS,
        TimeUnit.MILLISECONDS);
    core.scheduleWithFixedDelay(() -> guard("ping", this::pingAll), config.pingInterval().toMillis(),
        config.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
    core.scheduleWithFixedDelay(() -> guard("sweep", this::sweepLogs), SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
  }

  private void sweepLogs() throws IOException {
    for (Realm r : realms.all()) {
      if (r.connected()) {
        jobs.acceptFromLog(r, false);
      }
    }
  }

  /** {@code <root>/daebug}. */
  public Path logDir() {
    return config.root().resolve("daebug");
  }

  // ---- entry points (any thread) ----

  /** A realm or controller connection opened: it is closed unless its {@code hello} comes in time. */
  public void opened(Object link, java.util.function.BiConsumer<Integer, String> close) {
    submit("open", () -> greetings.opened(link, () -> {
      log.warn("closed {}: no hello within {}s", link, HelloDeadlines.TIMEOUT.toSeconds());
      close.accept(1008, "no hello within " + HelloDeadlines.TIMEOUT.toSeconds() + "s");
    }));
  }

  /** A connection closed before its {@code hello}. */
  public void closedUngreeted(Object link) {
    submit("close", () -> greetings.settled(link));
  }

  /**
   * A realm's first frame; {@code done} runs once the core has dealt with it (the transport reads on then). A
   * realm whose log is big has it read and parsed on the primer thread first, so that adopting it costs the core
   * only its live region: other realms' jobs go on meanwhile.
   */
  public void hello(RealmLink link, Hello hello, Runnable done) {
    submit("hello arrived", () -> greetings.settled(link)); // reading a big log first may take longer
    Path big = bigLog(hello.name());
    if (big == null) {
      submit("hello", () -> onHello(link, hello, null), done);
      return;
    }
    priming.add(link);
    try {
      primer.execute(() -> {
        RealmLog.Primed primed = null;
        try {
          primed = RealmLog.prime(big, config.writes());
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
          // The core reads it then, as for any log.
          log.warn("cannot read {} ahead of its realm's hello: {}", big, e.toString());
        }
        RealmLog.Primed found = primed;
        submit("hello", () -> onHello(link, hello, found), done);
      });
    } catch (RejectedExecutionException e) {
      done.run();
    }
  }

  /** The log a hello's name proposes when it is a regular file of at least {@link #PRIME_ABOVE} bytes, else null. */
  private Path bigLog(String proposed) {
    String base = RealmNames.sanitise(proposed);
    if (base.isEmpty()) {
      return null;
    }
    Path file = logDir().resolve(base + ".md");
    try {
      java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(file,
          java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() >= PRIME_ABOVE ? file : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Any later frame of a realm; {@code done} runs once the core has dealt with it. */
  public void message(RealmLink link, FromRealm message, Runnable done) {
    submit("message", () -> {
      Realm realm = byLink.get(link);
      if (realm == null) {
        return;
      }
      // Java 17 has no pattern switch; these are the permits of the sealed FromRealm.
      if (message instanceof Result r) {
        jobs.onResult(realm, r);
      } else if (message instanceof RealmEvent e) {
        jobs.onEvent(realm, e);
      } else if (message instanceof Beat b) {
        onBeat(realm, b);
      } else if (message instanceof Status st) {
        realm.status(st.text());
        registryChanged();
      } else {
        link.send(new ErrorMessage("duplicate-hello", "hello was already received; ignored"));
      }
    }, done);
  }

  /** A pong arrived on a realm's connection. */
  public void pong(RealmLink link) {
    submit("pong", () -> {
      Realm realm = byLink.get(link);
      if (realm != null && realms.pong(realm, ticker.read(), now())) {
        log.info("realm {} answers pings again", realm.name());
        registryChanged();
      }
    });
  }

  /** A realm's connection closed. */
  public void closed(RealmLink link, int code, String reason) {
    submit("close", () -> onClosed(link, code, reason));
  }

  /** A file in {@code daebug/} was created or changed. */
  public void logChanged(String fileName) {
    submit("log change", () -> {
      Realm realm = realms.byLogFile(fileName);
      if (realm != null) {
        jobs.acceptFromLog(realm, false);
      } else {
        if (unknownLogsWarned.add(fileName)) {
          log.warn("daebug/{} changed, but no realm of that name is connected: its requests wait until one"
              + " connects (realms are listed in daebug.md)", fileName);
        }
        // A log written just before its realm connects is that realm's to adopt: the note waits a moment.
        core.schedule(() -> guard("stray log", () -> noteStray(fileName)), STRAY_NOTE_MS, TimeUnit.MILLISECONDS);
      }
    });
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
    if (StrayLogs.note(config.root().resolve("daebug").resolve(fileName), name, live)) {
      log.info("daebug/{}: told the agent that no realm named {} is connected", fileName, name);
    }
  }

  /** Every log may have changed (the folder appeared, or the watcher overflowed). */
  public void allLogsChanged() {
    submit("rescan", () -> {
      for (Realm r : realms.all()) {
        if (r.connected()) {
          r.log().create();
        }
        jobs.acceptFromLog(r, true);
      }
    });
  }

  /** {@code daebug.md} changed: maybe an agent asked the broker to shut down. */
  public void registryFileChanged() {
    submit("registry change", () -> {
      if (!closed && !shutdownStarted && registry.shutdownRequested()) {
        shutdownStarted = true;
        log.info("{} found in {}: shutting down", RegistryFile.SHUTDOWN, registry.file());
        Thread t = new Thread(shutdownRequested, "daebug-shutdown");
        t.start();
      } else if (!closed && !shutdownStarted && registry.missing()) {
        log.info("{} was deleted: written again", registry.file().getFileName());
        writeRegistry();
      } else if (!closed && !shutdownStarted) {
        registry.checkStray();
      }
    });
  }

  /** A controller's first frame; {@code done} runs once the core has dealt with it. */
  public void controllerHello(ControllerLink link, ControllerHello hello, Runnable done) {
    submit("controller hello", () -> {
      greetings.settled(link);
      if (closed) {
        link.close(1001, "broker shutting down");
        return;
      }
      controllers.add(link, hello.name());
      log.info("controller {} connected from {}", hello.name(), link.remote());
      link.send(new ControllerWelcome(hello.name(), VERSION, realmInfos()));
    }, done);
  }

  /** Any later frame of a controller; {@code done} runs once the core has dealt with it. */
  public void controllerMessage(ControllerLink link, FromController message, Runnable done) {
    submit("controller message", () -> {
      Controllers.Controller c = controllers.get(link);
      if (c == null) {
        return;
      }
      // Java 17 has no pattern switch; these are the permits of the sealed FromController.
      if (message instanceof Submit s) {
        onSubmit(link, c, s);
      } else if (message instanceof Cancel x) {
        onCancel(link, c, x);
      } else if (message instanceof Watch w) {
        controllers.watch(c, w.realm(), true, Boolean.TRUE.equals(w.jobs()));
      } else if (message instanceof Unwatch u) {
        controllers.watch(c, u.realm(), false, false);
      } else if (message instanceof ListRealms) {
        link.send(new RealmList(realmInfos()));
      } else {
        link.send(new ControllerError(null, "duplicate-hello", "hello was already received; ignored"));
      }
    }, done);
  }

  /** A controller's connection closed; its jobs carry on and are journalled as usual. */
  public void controllerClosed(ControllerLink link) {
    submit("controller close", () -> {
      Controllers.Controller c = controllers.get(link);
      if (c != null) {
        controllers.remove(link);
        log.info("controller {} disconnected ({} jobs still pending)", c.name, c.refs.size());
      }
    });
  }

  /** A snapshot for {@code /-daebug/health}. */
  public Map<String, Object> health() {
    try {
      return core.submit(() -> {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Realm r : realms.all()) {
          list.add(Map.of("name", r.name(), "kind", String.valueOf(r.kind()), "state", state(r)));
        }
        return Map.<String, Object>of("status", "ok", "realms", list);
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return Map.of("status", "busy");
    }
  }

  /**
   * The realms now, as controllers see them, taken on the core thread; null when the core did not answer within
   * {@code wait} (it is stuck), so a caller can keep what it had rather than report no realms.
   */
  public List<RealmInfo> realms(Duration wait) {
    try {
      return core.submit(this::realmInfos).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  /** Writes the registry once at start. */
  public void start() {
    submit("start", this::writeRegistry);
  }

  /**
   * Ends every pending job with an honest reply, closes realm connections and writes the shut-down
   * registry. Blocks until done.
   */
  public void shutdown(String startCommand) {
    try {
      primer.shutdownNow();
      core.submit(() -> guard("shutdown", () -> {
        closed = true;
        jobs.close();
        for (Realm realm : realms.all()) {
          jobs.endAll(realm, "broker shut down before the job finished", Outcome.FAILED, false);
          if (realm.link() != null) {
            realm.link().close(1001, "broker shutting down");
          }
        }
        realms.close();
        registry.writeShutdown(now(), startCommand);
      })).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }

  // ---- core thread ----

  private void onSubmit(ControllerLink link, Controllers.Controller c, Submit s) {
    if (closed) {
      link.send(new ControllerError(s.ref(), "failed", "the broker is shutting down"));
      return;
    }
    Realm realm = realms.get(s.realm());
    if (realm == null) {
      String sanitised = RealmNames.sanitise(s.realm());
      realm = sanitised.isEmpty() ? null : realms.get(sanitised);
    }
    if (realm == null) {
      List<String> names = new ArrayList<>();
      realms.all().forEach(r -> names.add(r.name()));
      link.send(new ControllerError(s.ref(), "unknown-realm", "no realm named '" + abbreviate(s.realm()) + "'; "
          + (names.isEmpty() ? "no realm is connected" : "realms: " + String.join(", ", names))));
      return;
    }
    if (s.language() != null && !realm.dialect().runs(s.language())) {
      link.send(new ControllerError(s.ref(), "wrong-language", "realm " + realm.name() + " runs "
          + realm.language() + (realm.dialect().extraTags().isEmpty() ? "" : " (and " + String.join(", ",
              realm.dialect().extraTags()) + ")") + ", not " + abbreviate(s.language())));
      return;
    }
    if (c.refs.containsKey(s.ref())) {
      link.send(new ControllerError(s.ref(), "bad-request", "ref " + s.ref() + " is already in use by an unfinished job"));
      return;
    }
    int max = config.limits().maxQueuedJobs();
    if (jobs.pending(realm) >= max) {
      link.send(new ControllerError(s.ref(), "queue-full", "realm " + realm.name() + " already has " + max
          + " jobs queued or running (--max-queue); wait for some to finish"));
      return;
    }
    Duration timeout = s.timeoutMs() == null ? null : Duration.ofMillis(s.timeoutMs());
    Job job = jobs.submit(realm, new Controllers.Submission(link, s.ref(), ticker.read()), c.name, s.code(), s.language(),
        timeout);
    if (job.state != Job.State.FINISHED) {
      c.refs.put(s.ref(), job);
    }
  }

  private void onCancel(ControllerLink link, Controllers.Controller c, Cancel x) throws IOException {
    Job job = x.job() != null ? jobs.find(x.job()) : c.refs.get(x.ref());
    Realm realm = job == null ? null : realms.get(job.realmName);
    if (realm == null) {
      link.send(new ControllerError(x.ref(), "unknown-job", "no queued or running job "
          + abbreviate(x.job() != null ? x.job() : "with ref " + x.ref())));
      return;
    }
    jobs.cancel(realm, job, c.name);
  }

  private List<RealmInfo> realmInfos() {
    List<RealmInfo> out = new ArrayList<>();
    for (Realm r : realms.all()) {
      out.add(new RealmInfo(r.name(), String.valueOf(r.kind()), r.url(), r.language(), state(r),
          "daebug/" + r.name() + ".md", r.title(), r.lastSeen(), jobs.runningId(r)));
    }
    return out;
  }

  private void onHello(RealmLink link, Hello hello, RealmLog.Primed primed) throws IOException {
    greetings.settled(link);
    priming.remove(link);
    if (closedBeforeHello.remove(link)) {
      return; // it closed while its big log was read: its close came first
    }
    if (closed) {
      link.close(1001, "broker shutting down");
      return;
    }
    int fromAddress = 0;
    for (Realm r : realms.all()) {
      if (r.connected() && r.link().address().equals(link.address()) && (hello.tab() == null || !hello.tab().equals(r.tab()))) {
        fromAddress++;
      }
    }
    if (fromAddress >= config.limits().maxRealmsPerAddress()) {
      log.warn("refused realm '{}' from {}: {} realms from that address are connected (--max-realms-per-address)",
          abbreviate(hello.name()), link.remote(), fromAddress);
      link.close(1008, "too many realms from this address (" + fromAddress + "); see --max-realms-per-address");
      return;
    }
    Realms.Claimed claimed = realms.claim(hello.name(), hello.tab(), hello.language(), link, hello.kind(),
        hello.url(), ticker.read(), now());
    if (claimed == null) {
      log.warn("refused realm from {}: name '{}' is empty after sanitising", link.remote(), hello.name());
      link.close(1008, "bad realm name: '" + abbreviate(hello.name()) + "' has no letters or digits");
      return;
    }
    if (!claimed.problems().isEmpty() && logProblems.report(hello.name(), claimed)) {
      registryChanged();
    }
    if (claimed.realm() == null) {
      link.close(1011, closeReason("no usable log: " + claimed.problems().get(0)));
      return;
    }
    Realm realm = claimed.realm();
    realm.parent(hello.parent() == null || hello.parent().equals(realm.name()) ? null : hello.parent());
    realm.title(hello.title());
    byLink.put(link, realm);
    if (claimed.replaced() != null) {
      byLink.remove(claimed.replaced());
      claimed.replaced().close(1000, "replaced by a new connection of the same tab");
      jobs.realmGone(realm, "realm disconnected while executing");
    }
    log.info("realm {} connected ({}, {}) from {}{}", realm.name(), hello.kind(), hello.url(), link.remote(),
        claimed.how() == Realms.Claim.NEW ? "" : " [" + claimed.how().name().toLowerCase() + "]");
    if (claimed.how() == Realms.Claim.NEW) {
      realm.log().adopt(primed);
    }
    try {
      realm.log().create(); // before the welcome: a realm may append to its log as soon as it has its name
    } catch (IOException e) {
      log.warn("realm {}: cannot create its log {}: {}", realm.name(), realm.log().file(), e.toString());
      link.close(1011, closeReason("cannot create its log: " + e.getMessage()));
      return;
    }
    link.send(new Welcome(realm.name(), "daebug/" + realm.name() + ".md"));
    if (claimed.how() == Realms.Claim.NEW) {
      jobs.adopt(realm);
    }
    jobs.acceptFromLog(realm, true);
    jobs.realmReady(realm);
    registryChanged();
  }

  private void onClosed(RealmLink link, int code, String reason) throws IOException {
    Realm realm = byLink.remove(link);
    if (realm == null && priming.contains(link)) {
      closedBeforeHello.add(link); // its hello is still being read ahead (see hello): never attach it
    }
    if (realm == null || realm.link() != link) {
      return;
    }
    log.info("realm {} disconnected ({}{})", realm.name(), code, reason == null || reason.isEmpty() ? "" : " " + reason);
    realms.disconnected(realm, now());
    jobs.realmGone(realm, "realm disconnected while executing");
    registryChanged();
  }

  private void expire(Realm realm) {
    guard("expire", () -> {
      jobs.endAll(realm, "realm disconnected before the job could run", Outcome.DISCONNECTED, true);
      realms.remove(realm);
      log.info("realm {} removed after its grace period", realm.name());
      registryChanged();
    });
  }

  private void pingAll() {
    long now = ticker.read();
    boolean changed = false;
    for (Realm realm : realms.all()) {
      if (realm.connected()) {
        realm.link().ping();
        if (realms.checkUnresponsive(realm, now, config.unresponsiveAfter().toNanos())) {
          log.warn("realm {} is unresponsive (no pong for {})", realm.name(), config.unresponsiveAfter());
          changed = true;
        }
      }
    }
    if (changed) {
      registryChanged();
    }
    controllers.pingAll(); // a quiet controller waiting for a long job must outlive the idle timeout too
  }

  private void onBeat(Realm realm, Beat b) {
    boolean ended = realm.heartbeat().beat(ticker.read(), b.intervalMs() == null ? 1000 : b.intervalMs(),
        Boolean.TRUE.equals(b.hidden()));
    if (ended) {
      log.info("realm {} beats again", realm.name());
      registryChanged();
    }
  }

  /** Marks realms that stopped beating; refreshes the registry now and then while one stays silent. */
  private void checkBeats() {
    greetings.closeExpired();
    long now = ticker.read();
    boolean changed = false;
    boolean anySilent = false;
    for (Realm realm : realms.all()) {
      if (!realm.connected()) {
        continue;
      }
      if (realm.heartbeat().check(now)) {
        String busy = jobs.busy(realm);
        log.warn("realm {} stopped beating: its thread is busy{}", realm.name(), busy == null ? "" : " (" + busy + ")");
        changed = true;
      }
      anySilent |= realm.heartbeat().silent();
    }
    if (changed || (anySilent && now - lastSilentRefreshNanos >= SILENT_REFRESH_NANOS)) {
      lastSilentRefreshNanos = now;
      registryChanged();
    }
  }

  private void registryChanged() {
    if (!registryScheduled && !closed) {
      registryScheduled = true;
      submit("registry", this::writeRegistry);
    }
  }

  private void writeRegistry() {
    registryScheduled = false;
    if (closed) {
      return;
    }
    List<RegistryFile.Entry> entries = new ArrayList<>();
    for (Realm r : realms.all()) {
      entries.add(new RegistryFile.Entry(r.name(), r.url(), r.lastSeen(),
          state(r) + (r.status() == null ? "" : ", " + r.status())));
    }
    registry.publish(entries);
    controllers.realmsNow(realmInfos());
  }

  private String state(Realm r) {
    if (!r.connected()) {
      return "disconnected";
    }
    if (r.unresponsive()) {
      return "unresponsive";
    }
    if (r.heartbeat().silent()) {
      String busy = jobs.busy(r);
      return "unresponsive (busy: " + (busy != null ? busy : "no heartbeat for "
          + TimeUnit.NANOSECONDS.toSeconds(r.heartbeat().sinceLastBeat(ticker.read())) + "s") + ")";
    }
    return jobs.activity(r);
  }

  private String now() {
    return JournalFormat.time(LocalTime.now(config.clock()));
  }

  /** A close reason fits a control frame (123 bytes); the ones built here are ASCII. */
  private static String closeReason(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static void guard(String what, Guard.Body body) {
    Guard.run(what, body);
  }

  /** {@link #submit(String, Guard.Body)}, then {@code done}, whatever happened (also after shutdown). */
  private void submit(String what, Guard.Body body, Runnable done) {
    try {
      core.execute(() -> {
        try {
          Guard.run(what, body);
        } finally {
          done.run();
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("{} after shutdown: ignored", what);
      done.run();
    }
  }

  /** Submits a guarded task to the core; after shutdown, late callbacks (closing sockets) are dropped. */
  private void submit(String what, Guard.Body body) {
    try {
      core.execute(() -> Guard.run(what, body));
    } catch (RejectedExecutionException e) {
      log.debug("{} after shutdown: ignored", what);
    }
  }
}

package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.protocol.Beat;
import io.daebug.broker.protocol.ErrorMessage;
import io.daebug.broker.protocol.FromRealm;
import io.daebug.broker.protocol.Hello;
import io.daebug.broker.protocol.RealmEvent;
import io.daebug.broker.protocol.Result;
import io.daebug.broker.protocol.Status;
import io.daebug.broker.protocol.Title;
import io.daebug.broker.protocol.Welcome;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.RealmLink;
import io.daebug.broker.registry.Realms;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Realm connections, from {@code hello} to the end of their grace period: claiming a name (resume and takeover
 * need the same {@code tab}), the welcome, later frames, pongs and heartbeats, closes and expiry. Owns which link
 * is which realm. Core-thread confined, except {@link #priming}, which any thread may call.
 */
public final class RealmSessions {
  private static final Logger log = LoggerFactory.getLogger(RealmSessions.class);
  /** While a realm is silent its registry line (with the running job's seconds) is refreshed this often. */
  static final long SILENT_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final BrokerConfig config;
  private final Realms realms;
  private final JobRunner jobs;
  private final RegistryPublisher publisher;
  private final Ticker ticker;
  private final Map<RealmLink, Realm> byLink = new HashMap<>();
  /** Realm links whose hello waits for its big log to be read (any thread). */
  private final Set<RealmLink> priming = ConcurrentHashMap.newKeySet();
  /** Realm links that closed before their hello reached the core (a hello waiting for its big log to be read). */
  private final Set<RealmLink> closedBeforeHello = new HashSet<>();
  private long lastSilentRefreshNanos;
  private boolean closed;

  public RealmSessions(BrokerConfig config, Realms realms, JobRunner jobs, RegistryPublisher publisher,
      Ticker ticker) {
    this.config = config;
    this.realms = realms;
    this.jobs = jobs;
    this.publisher = publisher;
    this.ticker = ticker;
    jobs.cancelSent = new OwnerRelay(realms)::cancelSent;
  }

  /** Any thread: this link's hello waits for its big log to be read before it reaches {@link #hello}. */
  void priming(RealmLink link) {
    priming.add(link);
  }

  /**
   * A realm's first frame: it gets its name (a new one, or the one its {@code tab} held), its log is created and it
   * is welcomed, or the connection is closed with the reason.
   *
   * @param primed its log, read ahead off the core (a big log), or null
   */
  void hello(RealmLink link, Hello hello, RealmLog.Primed primed) throws IOException {
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
      if (r.connected() && r.link().address().equals(link.address())
          && (hello.tab() == null || !hello.tab().equals(r.tab()))) {
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
        hello.url(), ticker.read(), publisher.now());
    if (claimed == null) {
      log.warn("refused realm from {}: name '{}' is empty after sanitising", link.remote(), hello.name());
      link.close(1008, "bad realm name: '" + abbreviate(hello.name()) + "' has no letters or digits");
      return;
    }
    publisher.problems(hello.name(), claimed);
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
    publisher.changed();
  }

  /** Any later frame of a realm: results and events go to its jobs, beats and status to its state. */
  void message(RealmLink link, FromRealm message) throws IOException {
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
      beat(realm, b);
    } else if (message instanceof Status st) {
      realm.status(st.text());
      publisher.changed();
    } else if (message instanceof Title t) {
      realm.title(t.title());
      publisher.changed();
    } else {
      link.send(new ErrorMessage("duplicate-hello", "hello was already received; ignored"));
    }
  }

  /** A pong arrived on a realm's connection. */
  void pong(RealmLink link) {
    Realm realm = byLink.get(link);
    if (realm != null && realms.pong(realm, ticker.read(), publisher.now())) {
      log.info("realm {} answers pings again", realm.name());
      publisher.changed();
    }
  }

  /** A realm's connection closed: its running job fails, the rest wait for its grace period. */
  void closed(RealmLink link, int code, String reason) {
    Realm realm = byLink.remove(link);
    if (realm == null && priming.contains(link)) {
      closedBeforeHello.add(link); // its hello is still being read ahead: never attach it
    }
    if (realm == null || realm.link() != link) {
      return;
    }
    log.info("realm {} disconnected ({}{})", realm.name(), code, reason == null || reason.isEmpty() ? "" : " " + reason);
    realms.disconnected(realm, publisher.now());
    jobs.realmGone(realm, "realm disconnected while executing");
    publisher.changed();
  }

  /** A disconnected realm's grace period is over (called on the core by {@link Realms}): it and its jobs go. */
  public void expired(Realm realm) {
    jobs.endAll(realm, "realm disconnected before the job could run", Outcome.DISCONNECTED, true);
    realms.remove(realm);
    log.info("realm {} removed after its grace period", realm.name());
    publisher.changed();
  }

  /** Pings every connected realm; marks those whose last pong is too old unresponsive. */
  void pingAll() {
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
      publisher.changed();
    }
  }

  private void beat(Realm realm, Beat b) {
    boolean ended = realm.heartbeat().beat(ticker.read(), b.intervalMs() == null ? 1000 : b.intervalMs(),
        Boolean.TRUE.equals(b.hidden()));
    if (ended) {
      log.info("realm {} beats again", realm.name());
      publisher.changed();
    }
  }

  /** Marks realms that stopped beating; refreshes the registry now and then while one stays silent. */
  void checkBeats() {
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
      publisher.changed();
    }
  }

  /** Ends every pending job with an honest reply and closes every realm connection; no hello is accepted after. */
  void close() {
    closed = true;
    for (Realm realm : realms.all()) {
      jobs.endAll(realm, "broker shut down before the job finished", Outcome.FAILED, false);
      if (realm.link() != null) {
        realm.link().close(1001, "broker shutting down");
      }
    }
    realms.close();
  }

  /** A close reason fits a control frame (123 bytes); the ones built here are ASCII. */
  private static String closeReason(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

package io.daebug.broker.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.journal.Dialect;
import io.daebug.broker.journal.DirSync;
import io.daebug.broker.journal.LogPaths;
import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.journal.WriteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The table of realms: naming on connect (sanitise, resume, take over, suffix), and the grace period of
 * disconnected realms, kept in a Caffeine cache whose expiry hands the realm back to the core thread.
 * Confined to the core thread except for the expiry callback, which only posts to {@code core}.
 */
public final class Realms {
  /** What a hello led to. */
  public enum Claim { NEW, RESUMED, TOOK_OVER }

  /**
   * The realm a hello claimed, and how; {@code replaced} is the stale link a takeover displaced; {@code problems}
   * the log paths that could not be used (so the realm got another name), each saying why. {@code realm} is null
   * when no usable log was found: the hello is refused, for the reasons in {@code problems}.
   */
  public record Claimed(Realm realm, Claim how, RealmLink replaced, List<String> problems) {}

  /** How many suffixed names a hello tries when logs cannot be used before it is refused. */
  static final int MAX_UNUSABLE = 20;

  private final Path logDir;
  private final int resultCap;
  private final WriteOptions writes;
  private final DirSync dirSync;
  private final Ticker ticker;
  private final Map<String, Realm> byName = new LinkedHashMap<>();
  private final Cache<String, Realm> grace;
  private final List<Realm> order = new ArrayList<>();

  /**
   * Grace periods timed on Caffeine's system scheduler.
   *
   * @param onExpired called on the core executor with a realm whose grace period ended while disconnected
   */
  public Realms(Path logDir, int resultCap, WriteOptions writes, Duration graceTime, Ticker ticker, Executor core,
      Consumer<Realm> onExpired) {
    this(logDir, resultCap, writes, graceTime, ticker, Scheduler.systemScheduler(), core, onExpired);
  }

  /** What the broker wrote last in the log folder, to tell its own change events from an agent's. */
  public io.daebug.broker.journal.OwnVersions ownVersions() {
    return dirSync.ownVersions();
  }

  /**
   * @param ticker the time grace periods are measured in
   * @param expiry when Caffeine looks for grace periods that ended (tests pass one driven by their fake time)
   * @param onExpired called on the core executor with a realm whose grace period ended while disconnected
   */
  public Realms(Path logDir, int resultCap, WriteOptions writes, Duration graceTime, Ticker ticker, Scheduler expiry,
      Executor core, Consumer<Realm> onExpired) {
    this.logDir = logDir;
    this.resultCap = resultCap;
    this.writes = writes;
    this.dirSync = new DirSync(logDir);
    this.ticker = ticker;
    this.grace = Caffeine.newBuilder()
        .expireAfterWrite(graceTime)
        .ticker(ticker)
        .scheduler(expiry)
        .executor(core)
        .<String, Realm>removalListener((name, realm, cause) -> {
          if (cause == RemovalCause.EXPIRED && realm != null) {
            core.execute(() -> {
              if (!realm.connected() && byName.get(realm.name()) == realm) {
                onExpired.accept(realm);
              }
            });
          }
        })
        .build();
  }

  /**
   * Finds or creates the realm for a hello. A realm of that name with the same tab id is resumed when
   * disconnected (its grace period) or taken over when live (a reload racing its own close); any other clash,
   * a hello without a tab id included, gets a suffix: only the tab that held a name may have its queue,
   * its log and its controllers' jobs (docs/protocol.md, {@code tab}).
   *
   * @return null when the name sanitises to nothing
   */
  public Claimed claim(String proposed, String tab, String language, RealmLink link, String kind, String url,
      long nowNanos, String time) {
    String base = RealmNames.sanitise(proposed);
    if (base.isEmpty()) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    String folder = LogPaths.folderProblem(logDir);
    if (folder != null) {
      return new Claimed(null, Claim.NEW, null, List.of(folder));
    }
    for (int n = 1; ; n++) {
      String name = n == 1 ? base : RealmNames.withSuffix(base, n);
      Realm existing = byName.get(name);
      if (existing == null) {
        Path file = logDir.resolve(name + ".md");
        String problem = LogPaths.problem(file);
        if (problem != null) {
          problems.add(problem);
          if (problems.size() >= MAX_UNUSABLE) {
            return new Claimed(null, Claim.NEW, null, problems);
          }
          continue;
        }
        Realm realm = new Realm(name, new RealmLog(file, name, Dialect.key(kind, language), resultCap, dirSync,
            writes, ticker::read), language);
        realm.attach(link, kind, url, tab, nowNanos, time);
        byName.put(name, realm);
        touch(realm);
        return new Claimed(realm, Claim.NEW, null, problems);
      }
      boolean sameTab = tab != null && Objects.equals(tab, existing.tab());
      String problem = sameTab ? LogPaths.problem(existing.log().file()) : null;
      if (problem != null) {
        problems.add(problem); // its log became unusable while it was away: it journals under another name
        continue;
      }
      if (!existing.connected() && sameTab) {
        grace.invalidate(name);
        existing.attach(link, kind, url, tab, nowNanos, time);
        touch(existing);
        return new Claimed(existing, Claim.RESUMED, null, problems);
      }
      if (existing.connected() && sameTab) {
        RealmLink old = existing.link();
        existing.attach(link, kind, url, tab, nowNanos, time);
        touch(existing);
        return new Claimed(existing, Claim.TOOK_OVER, old, problems);
      }
    }
  }

  /** Marks a realm disconnected and starts its grace period. */
  public void disconnected(Realm realm, String time) {
    realm.detach(time);
    touch(realm);
    grace.put(realm.name(), realm);
  }

  /** Forgets a realm (its grace period is over). */
  public void remove(Realm realm) {
    byName.remove(realm.name(), realm);
    order.remove(realm);
    grace.invalidate(realm.name());
  }

  public Realm get(String name) {
    return byName.get(name);
  }

  /** The realm whose log is this file name ({@code <name>.md}), or null. */
  public Realm byLogFile(String fileName) {
    return fileName.endsWith(".md") ? byName.get(fileName.substring(0, fileName.length() - 3)) : null;
  }

  /** Every realm, most recently seen first (a copy: callers may change the table while iterating). */
  public List<Realm> all() {
    return List.copyOf(order);
  }

  public boolean pong(Realm realm, long nowNanos, String time) {
    return realm.pong(nowNanos, time);
  }

  public boolean checkUnresponsive(Realm realm, long nowNanos, long thresholdNanos) {
    return realm.checkUnresponsive(nowNanos, thresholdNanos);
  }

  /** Finishes pending folder syncs and stops their thread. */
  public void close() {
    dirSync.close();
  }

  private void touch(Realm realm) {
    order.remove(realm);
    order.add(0, realm);
  }
}

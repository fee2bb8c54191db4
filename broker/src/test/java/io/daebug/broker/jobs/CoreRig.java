package io.daebug.broker.jobs;

import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.RegistryFile;
import io.daebug.broker.metrics.BrokerMetrics;
import io.daebug.broker.protocol.Hello;
import io.daebug.broker.protocol.ToController;
import io.daebug.broker.protocol.ToRealm;
import io.daebug.broker.registry.RealmLink;
import io.daebug.broker.registry.Realms;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The core's parts built as {@code Broker.start} builds them, on a fake ticker and scheduler ({@link FakeScheduler})
 * and a fixed wall clock, with a real registry and real logs in a temporary folder: no socket, no real time. The
 * test's thread is the core.
 */
final class CoreRig implements AutoCloseable {
  static final Instant CLOCK = Instant.parse("2026-12-07T10:00:00Z");
  static final String AT = "10:00:00";

  final FakeScheduler time = new FakeScheduler();
  final Path root;
  final BrokerConfig config;
  final RegistryFile registry;
  final Realms realms;
  final Controllers controllers = new Controllers();
  final JobRunner jobs;
  final RegistryPublisher publisher;
  final RealmSessions realmSessions;
  final ControllerSessions controllerSessions;
  final LogChanges logChanges;
  /** How often a {@code %%SHUTDOWN%%} line asked the broker to stop. */
  final AtomicInteger shutdowns = new AtomicInteger();

  CoreRig(Path root, UnaryOperator<BrokerConfig> tweak) {
    this.root = root;
    BrokerConfig d = BrokerConfig.defaults(root);
    this.config = tweak.apply(new BrokerConfig(root, d.host(), 0, Duration.ofSeconds(10), d.pingInterval(),
        d.unresponsiveAfter(), Duration.ofMinutes(2), d.limits(), d.security(), Clock.fixed(CLOCK, ZoneOffset.UTC),
        d.writes()));
    this.registry = new RegistryFile(root, AT, () -> "http://127.0.0.1:1/");
    RealmSessions[] sessions = new RealmSessions[1];
    this.realms = new Realms(root.resolve("daebug"), config.resultCap(), config.writes(), config.disconnectGrace(),
        time, expiry(time), Runnable::run, realm -> sessions[0].expired(realm));
    RegistryPublisher[] late = new RegistryPublisher[1];
    // the log writes run on the test's thread when the core (the fake scheduler) gets to them
    this.jobs = new JobRunner(config, time, time, () -> late[0].changed(), controllers, BrokerMetrics.NONE, Runnable::run);
    this.publisher = new RegistryPublisher(realms, jobs, controllers, registry, time, time, config.clock(),
        shutdowns::incrementAndGet);
    late[0] = publisher;
    this.realmSessions = new RealmSessions(config, realms, jobs, publisher, time);
    sessions[0] = realmSessions;
    this.controllerSessions = new ControllerSessions(config, realms, jobs, controllers, publisher, time);
    this.logChanges = new LogChanges(root.resolve("daebug"), realms, jobs, time);
  }

  /** Caffeine's expiry timer on the fake scheduler: grace periods end when the test moves time past them. */
  static com.github.benmanes.caffeine.cache.Scheduler expiry(FakeScheduler time) {
    return (executor, command, delay, unit) -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      Scheduler.Timer timer = time.schedule(() -> {
        if (done.complete(null)) {
          executor.execute(command);
        }
      }, Duration.ofNanos(unit.toNanos(delay)));
      done.whenComplete((v, e) -> {
        if (done.isCancelled()) {
          timer.cancel();
        }
      });
      return done;
    };
  }

  /** A hello of a page realm in JavaScript. */
  static Hello hello(String name, String tab) {
    return new Hello(name, "page", "http://127.0.0.1/app", "javascript", tab, 1, null);
  }

  /** Says hello on a new link, then runs what that made due. */
  RealmConn connect(String name, String tab) throws Exception {
    RealmConn link = new RealmConn("127.0.0.1");
    realmSessions.hello(link, hello(name, tab), null);
    time.runDue();
    return link;
  }

  @Override
  public void close() {
    jobs.close();
    realmSessions.close();
    registry.close();
  }

  /** A realm connection that records what the broker sends it and how it closed it. */
  static final class RealmConn implements RealmLink {
    final List<ToRealm> sent = new ArrayList<>();
    final String address;
    Integer closeCode;
    String closeReason;

    RealmConn(String address) {
      this.address = address;
    }

    @Override
    public CompletableFuture<Void> send(ToRealm message) {
      sent.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void ping() {}

    @Override
    public void close(int code, String reason) {
      closeCode = code;
      closeReason = reason;
    }

    @Override
    public String remote() {
      return address + ":1";
    }

    @Override
    public String address() {
      return address;
    }

    <T extends ToRealm> List<T> sent(Class<T> type) {
      return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** A controller connection that records what the broker sends it. */
  static final class ControllerConn implements ControllerLink {
    final List<ToController> sent = new ArrayList<>();
    Integer closeCode;

    @Override
    public CompletableFuture<Void> send(ToController message) {
      sent.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void ping() {}

    @Override
    public void close(int code, String reason) {
      closeCode = code;
    }

    @Override
    public String remote() {
      return "127.0.0.1:2";
    }

    <T extends ToController> List<T> sent(Class<T> type) {
      return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}

package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.jobs.CoreRig.ControllerConn;
import io.daebug.broker.jobs.CoreRig.RealmConn;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.Welcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core's front door on a real {@link SerialExecutor} (which runs a task on the submitting thread when the core is
 * idle, so the test's thread is the core) with its timers on {@link FakeScheduler}: each entry point reaches its part,
 * and the periodic checks run on the fake clock. (Shutdown waits for the journal's writes, whose completions come
 * back through the core's scheduler: it is covered on a real broker, {@code LifecycleIT} and the socket tests.)
 */
class DispatcherTest {
  @TempDir
  Path root;

  private CoreRig rig;
  private SerialExecutor core;
  private Dispatcher dispatcher;
  /** Shut down by the dispatcher; the rig's jobs write on the test's thread. */
  private final java.util.concurrent.ExecutorService journal = java.util.concurrent.Executors.newSingleThreadExecutor();

  @BeforeEach
  void start() {
    rig = new CoreRig(root, c -> c);
    core = new SerialExecutor();
    dispatcher = new Dispatcher(core, rig.time, root.resolve("daebug"), rig.config.pingInterval(), rig.config.writes(),
        new Dispatcher.Parts(rig.realms, rig.jobs, rig.realmSessions, rig.controllerSessions, rig.logChanges,
            rig.publisher, new HelloDeadlines(rig.time, HelloDeadlines.TIMEOUT), journal));
    dispatcher.start();
  }

  @AfterEach
  void stop() {
    core.shutdownNow();
    journal.shutdownNow();
    rig.close();
  }

  @Test
  void aConnectionThatNeverSaysHelloIsClosedWhenItsTimeIsUp() {
    List<String> closes = new ArrayList<>();
    RealmConn silent = new RealmConn("127.0.0.1");
    RealmConn greeting = new RealmConn("127.0.0.1");
    dispatcher.opened(silent, (code, reason) -> closes.add("silent " + code + " " + reason));
    dispatcher.opened(greeting, (code, reason) -> closes.add("greeting " + code));
    dispatcher.hello(greeting, CoreRig.hello("app", "tab-1"), () -> {});

    rig.time.advance(HelloDeadlines.TIMEOUT.minusMillis(300));
    assertThat(closes).isEmpty();
    rig.time.advance(Duration.ofMillis(600));

    assertThat(closes).containsExactly("silent 1008 no hello within 10s");
    assertThat(greeting.sent(Welcome.class)).hasSize(1);
  }

  @Test
  void entryPointsReachTheirPartsAndDoneRunsAfterEach() throws Exception {
    List<String> done = new ArrayList<>();
    RealmConn realm = new RealmConn("127.0.0.1");
    dispatcher.hello(realm, CoreRig.hello("app", "tab-1"), () -> done.add("hello"));
    ControllerConn controller = new ControllerConn();
    dispatcher.controllerHello(controller, new ControllerHello("agent", 1), () -> done.add("controller"));
    Files.writeString(root.resolve("daebug/app.md"), "```js\n1\n```\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    dispatcher.logChanged("app.md");
    rig.time.runDue();

    assertThat(done).containsExactly("hello", "controller");
    assertThat(controller.sent(ControllerWelcome.class)).singleElement()
        .satisfies(w -> assertThat(w.realms()).extracting(r -> r.name()).containsExactly("app"));
    assertThat(realm.sent(RunJob.class)).extracting(RunJob::code).containsExactly("1");
    assertThat(dispatcher.realms(Duration.ofSeconds(5))).extracting(r -> r.state()).singleElement()
        .asString().startsWith("executing");
  }
}

package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.jobs.CoreRig.ControllerConn;
import io.daebug.broker.jobs.CoreRig.RealmConn;
import io.daebug.broker.protocol.Cancel;
import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.protocol.ControllerError;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.JobQueued;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.Submit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controller sessions on their own: every refused submit or cancel is an {@code error} frame with the submit's ref and
 * a code (docs/protocol.md), and a valid submit becomes a job of the realm.
 */
class ControllerSessionsTest {
  @TempDir
  Path root;

  private CoreRig rig;
  private ControllerConn controller;
  private RealmConn realm;

  @BeforeEach
  void start() throws Exception {
    rig = new CoreRig(root, c -> c.withLimits(new BrokerConfig.Limits(1 << 20, 64 * 1024, 1000, 2)));
    realm = rig.connect("app", "tab-1");
    controller = new ControllerConn();
    rig.controllerSessions.hello(controller, new ControllerHello("agent", 1));
  }

  @AfterEach
  void stop() {
    rig.close();
  }

  private ControllerError submitRefused(Submit s) throws Exception {
    int before = controller.sent(ControllerError.class).size();
    rig.controllerSessions.message(controller, s);
    rig.time.runDue();
    assertThat(controller.sent(ControllerError.class)).hasSize(before + 1);
    return controller.sent(ControllerError.class).get(before);
  }

  @Test
  void theWelcomeListsTheRealms() {
    assertThat(controller.sent(ControllerWelcome.class)).singleElement().satisfies(w -> {
      assertThat(w.broker()).isEqualTo(Dispatcher.VERSION);
      assertThat(w.realms()).extracting(r -> r.name()).containsExactly("app");
    });
  }

  @Test
  void aSubmitBecomesAJobOfTheRealm() throws Exception {
    rig.controllerSessions.message(controller, new Submit("r1", "app", "1+1", "js", null));
    rig.time.runDue();

    assertThat(controller.sent(JobQueued.class)).extracting(JobQueued::ref).containsExactly("r1");
    assertThat(realm.sent(RunJob.class)).extracting(RunJob::code).containsExactly("1+1");
  }

  @Test
  void refusedSubmitsSayWhy() throws Exception {
    ControllerError unknown = submitRefused(new Submit("r1", "nope", "1", null, null));
    assertThat(unknown.ref()).isEqualTo("r1");
    assertThat(unknown.code()).isEqualTo("unknown-realm");
    assertThat(unknown.message()).contains("realms: app");

    ControllerError language = submitRefused(new Submit("r2", "app", "print(1)", "python", null));
    assertThat(language.code()).isEqualTo("wrong-language");
    assertThat(language.message()).contains("runs javascript", "not python");

    rig.controllerSessions.message(controller, new Submit("r3", "app", "while (true) {}", null, null));
    ControllerError sameRef = submitRefused(new Submit("r3", "app", "2", null, null));
    assertThat(sameRef.code()).isEqualTo("bad-request");

    rig.controllerSessions.message(controller, new Submit("r4", "app", "3", null, null));
    ControllerError full = submitRefused(new Submit("r5", "app", "4", null, null));
    assertThat(full.code()).isEqualTo("queue-full");
    assertThat(full.message()).contains("--max-queue");
  }

  @Test
  void aNameIsFoundAsItsLogNameToo() throws Exception {
    rig.controllerSessions.message(controller, new Submit("r1", "APP", "1", null, null));
    rig.time.runDue();
    assertThat(controller.sent(ControllerError.class)).isEmpty();
    assertThat(realm.sent(RunJob.class)).hasSize(1);
  }

  @Test
  void cancelsOfUnknownJobsAreErrorsAndKnownOnesReachTheRealm() throws Exception {
    rig.controllerSessions.message(controller, new Cancel(null, "nothing"));
    rig.controllerSessions.message(controller, new Cancel("j-404", null));
    assertThat(controller.sent(ControllerError.class)).extracting(ControllerError::code)
        .containsExactly("unknown-job", "unknown-job");

    rig.controllerSessions.message(controller, new Submit("r1", "app", "while (true) {}", null, null));
    rig.time.runDue();
    rig.controllerSessions.message(controller, new Cancel(null, "r1"));
    rig.time.runDue();
    assertThat(realm.sent(CancelJob.class)).extracting(CancelJob::id)
        .containsExactly(realm.sent(RunJob.class).get(0).id());
  }

  @Test
  void aSecondHelloIsAnErrorAndClosingRefusesSubmits() throws Exception {
    rig.controllerSessions.message(controller, new ControllerHello("agent", 1));
    assertThat(controller.sent(ControllerError.class)).extracting(ControllerError::code)
        .containsExactly("duplicate-hello");

    rig.controllerSessions.close();
    ControllerError failed = submitRefused(new Submit("r1", "app", "1", null, null));
    assertThat(failed.code()).isEqualTo("failed");
    ControllerConn late = new ControllerConn();
    rig.controllerSessions.hello(late, new ControllerHello("late", 1));
    assertThat(late.closeCode).isEqualTo(1001);
  }

  @Test
  void messagesOfAClosedControllerAreIgnored() throws Exception {
    rig.controllerSessions.closed(controller);
    rig.controllerSessions.message(controller, new Submit("r1", "app", "1", null, null));
    rig.time.runDue();
    assertThat(realm.sent(RunJob.class)).isEmpty();
  }
}

package io.daebug.broker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.JournalFormat;
import io.daebug.broker.journal.PendingSync;
import io.daebug.broker.journal.WriteFaults;
import io.daebug.broker.journal.WriteOptions;
import io.daebug.broker.metrics.BrokerMetrics;
import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.protocol.JobOutcome;
import io.daebug.broker.protocol.ToController;
import io.daebug.broker.protocol.ErrorInfo;
import io.daebug.broker.protocol.RealmEvent;
import io.daebug.broker.protocol.Result;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.protocol.ToRealm;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.RealmLink;
import io.daebug.broker.registry.Realms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job state machine on its own: a {@link JobRunner} with a fake ticker and scheduler ({@link FakeScheduler}), a
 * recording realm link and a real log in a temporary folder. No real time passes and no socket is opened: every
 * timeout, refresh and batch happens when the test moves time.
 */
class JobRunnerTest {
  private static final Instant CLOCK = Instant.parse("2026-12-07T10:00:00Z");
  private static final String AT = "10:00:00";
  private static final String OK = "#### \uD83D\uDC4Dapp to agent at " + AT;
  private static final String FAIL = "#### \uD83D\uDEABapp to agent at " + AT;

  @TempDir
  Path root;

  private final FakeScheduler time = new FakeScheduler();
  private final HeldJournal journal = new HeldJournal();
  private final Controllers controllers = new Controllers();
  private Realms realms;
  private JobRunner runner;
  private Realm realm;
  private RecordingLink link;

  /** A realm connection that records what the broker sends it. */
  static final class RecordingLink implements RealmLink {
    final List<ToRealm> sent = new ArrayList<>();

    @Override
    public CompletableFuture<Void> send(ToRealm message) {
      sent.add(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void ping() {}

    final List<String> closed = new ArrayList<>();

    @Override
    public void close(int code, String reason) {
      closed.add(code + " " + reason);
    }

    @Override
    public String remote() {
      return "test";
    }

    @Override
    public String address() {
      return "127.0.0.1";
    }

    List<RunJob> jobs() {
      return sent.stream().filter(RunJob.class::isInstance).map(RunJob.class::cast).toList();
    }
  }

  /**
   * The journal's threads, by hand: a write runs at once on the test's thread, or, while {@link #hold} is on, waits
   * until {@link #release}, so a test sees what the core does while a write is in flight.
   */
  static final class HeldJournal implements java.util.concurrent.Executor {
    final java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
    boolean hold;
    int writes;

    @Override
    public void execute(Runnable write) {
      if (!(write instanceof PendingSync)) {
        writes++; // a version's fsyncs run as a task of their own after its write
      }
      if (hold) {
        held.add(write);
      } else {
        write.run();
      }
    }

    /** Runs the writes held so far, and those that come meanwhile. */
    void release() {
      hold = false;
      while (!held.isEmpty()) {
        held.poll().run();
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    start(BrokerConfig.defaults(root).writes());
  }

  private void start(WriteOptions writes) {
    BrokerConfig d = BrokerConfig.defaults(root);
    BrokerConfig config = new BrokerConfig(root, d.host(), 0, Duration.ofSeconds(10), d.pingInterval(),
        d.unresponsiveAfter(), d.disconnectGrace(), d.limits(), d.security(), Clock.fixed(CLOCK, ZoneOffset.UTC),
        writes);
    realms = new Realms(root.resolve("daebug"), 64 * 1024, config.writes(), Duration.ofMinutes(2), time, Runnable::run,
        r -> {});
    runner = new JobRunner(config, time, time, () -> {}, controllers, BrokerMetrics.NONE, journal);
  }

  private void connect(String earlierLog) throws Exception {
    link = new RecordingLink();
    realm = realms.claim("app", "tab-1", "javascript", link, "node", null, time.read(), AT).realm();
    if (earlierLog != null) {
      Files.createDirectories(realm.log().file().getParent());
      Files.writeString(realm.log().file(), earlierLog);
    }
    realm.log().create();
    runner.adopt(realm);
    runner.acceptFromLog(realm, true);
    runner.realmReady(realm);
    time.runDue();
  }

  private void append(String text) throws Exception {
    Files.writeString(realm.log().file(), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    runner.acceptFromLog(realm, false);
    time.runDue();
  }

  private String log() throws Exception {
    return Files.readString(realm.log().file());
  }

  private void result(RunJob job, int value) throws Exception {
    runner.onResult(realm, new Result(job.id(), true, IntNode.valueOf(value), null, null));
    time.runDue();
  }

  @Test
  void requestsQueueBehindTheRunningJobAndStartInOrder() throws Exception {
    connect(null);
    append("```js\n1\n```\n```js\n2\n```\n");

    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("1");
    assertThat(log()).contains("```js\n1\n```\n" + OK + "\nexecuting (0s)\n```js\n2\n```\n" + OK
        + "\nqueued (1 ahead)\n");

    time.advance(Duration.ofMillis(12));
    result(link.jobs().get(0), 1);
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("1", "2");
    assertThat(log()).contains("```js\n1\n```\n" + OK + " (12ms)\n```JSON\n1\n```\n```js\n2\n```\n" + OK
        + "\nexecuting (0s)\n");

    result(link.jobs().get(1), 2);
    assertThat(log()).contains("```js\n2\n```\n" + OK + " (0ms)\n```JSON\n2\n```\n");
    assertThat(runner.pending(realm)).isZero();
    time.advance(Duration.ofSeconds(3)); // replaced versions of the log are watched for 2 s (Orphans)
    assertThat(time.pending()).as("no timer left behind").isZero();
  }

  @Test
  void aRunningJobsPlaceholderCountsItsSecondsUntilItsTimeoutThenALateResultGoesUnderIt() throws Exception {
    connect(null);
    append("```js timeout=12s\nslow()\n```\n");
    RunJob job = link.jobs().get(0);
    assertThat(job.timeoutMs()).isEqualTo(12_000);

    time.advance(Duration.ofSeconds(5));
    assertThat(log()).contains("slow()\n```\n" + OK + "\nexecuting (5s)\n");
    time.advance(Duration.ofSeconds(5));
    assertThat(log()).contains("slow()\n```\n" + OK + "\nexecuting (10s)\n");
    time.advance(Duration.ofMillis(1999));
    assertThat(log()).doesNotContain("timed out");

    time.advance(Duration.ofMillis(1));
    String failed = FAIL + " (" + JournalFormat.duration(Duration.ofSeconds(12)) + ")\n```Error\n"
        + "job timed out after 12000ms\n```\n";
    assertThat(log()).contains("slow()\n```\n" + failed);
    time.advance(Duration.ofSeconds(3)); // replaced versions of the log are watched for 2 s (Orphans)
    assertThat(time.pending()).as("timeout and refresh timers gone").isZero();

    result(job, 7);
    assertThat(log()).contains("slow()\n```\n" + failed + OK + " (15.0s) (late)\n```JSON\n7\n```\n");
  }

  @Test
  void cancellingTheRunningJobTellsTheRealmAndStartsTheNext() throws Exception {
    connect(null);
    append("```js\nloop()\n```\n```js\nnext()\n```\n");
    RunJob first = link.jobs().get(0);

    runner.cancel(realm, runner.find(first.id()), "tester");
    time.runDue();

    assertThat(link.sent).filteredOn(CancelJob.class::isInstance).singleElement()
        .extracting(m -> ((CancelJob) m).id()).isEqualTo(first.id());
    assertThat(log()).contains("loop()\n```\n" + FAIL + " (0ms)\n```Error\njob cancelled by tester\n```\n");
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("loop()", "next()");
  }

  @Test
  void aDisconnectFailsTheRunningJobKeepsTheQueueAndTheResumedRealmRunsItAndSendsTheLateResult() throws Exception {
    connect(null);
    append("```js\nfirst()\n```\n```js\nsecond()\n```\n");
    RunJob first = link.jobs().get(0);

    time.advance(Duration.ofMillis(40));
    realms.disconnected(realm, AT);
    runner.realmGone(realm, "realm disconnected while executing");
    time.runDue();
    assertThat(log()).contains("first()\n```\n" + FAIL + " (40ms)\n```Error\nrealm disconnected while executing\n```\n"
        + "```js\nsecond()\n```\n" + OK + "\nqueued (0 ahead): realm disconnected at " + AT);

    RecordingLink before = link;
    connect(null); // the same name and tab: resumed, with a new connection
    assertThat(before.jobs()).hasSize(1);
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("second()");
    assertThat(log()).contains("second()\n```\n" + OK + "\nexecuting (0s)\n");

    runner.onResult(realm, new Result(first.id(), false, null, new ErrorInfo("Error", "boom", null), null));
    time.runDue();
    assertThat(log()).contains("realm disconnected while executing\n```\n" + FAIL + " (40ms) (late)\n```Error\n"
        + "Error: boom\n```\n");
  }

  @Test
  void placeholdersOfAnEarlierBrokerGetAnHonestReplyAndDoNotRunAgain() throws Exception {
    String fresh = JournalFormat.newLog("app", "javascript");
    int footer = fresh.indexOf(JournalFormat.RULE);
    String earlier = fresh.substring(0, footer) + "### \uD83D\uDDE3\uFE0Fagent to app at 09:00:00\n```js\nran()\n```\n"
        + "#### \uD83D\uDC4Dapp to agent at 09:00:00\nexecuting (3s)\n\n" + fresh.substring(footer);

    connect(earlier);

    assertThat(log()).contains("ran()\n```\n#### \uD83D\uDEABapp to agent at " + AT + " (0ms)\n```Error\n"
        + "no result: the broker stopped before this job finished (its realm may have run it)\n```\n");
    assertThat(link.jobs()).isEmpty();
  }

  @Test
  void backgroundEventsAreBatchedAndNoneIsLostBeyondTheDisplayRule() throws Exception {
    connect(null);
    for (int i = 1; i <= 25; i++) {
      runner.onEvent(realm, new RealmEvent(null, "log", CLOCK.toEpochMilli(), "bg " + i));
    }
    assertThat(log()).doesNotContain("background at");

    time.advance(Duration.ofMillis(30));
    String text = log();
    assertThat(text).contains("### \uD83D\uDDE3\uFE0Fapp background at " + AT + "\n")
        .contains("... (15 more background events omitted) ...\n")
        .contains("10:00:00 bg 25\n```\nOmitted events: [app.events/background-20261207-100000.md]"
            + "(app.events/background-20261207-100000.md)\n");
    String side = Files.readString(realm.log().file().resolveSibling("app.events/background-20261207-100000.md"));
    for (int i = 3; i <= 17; i++) {
      assertThat(side).contains("10:00:00 bg " + i + "\n");
    }
    assertThat(side).doesNotContain("bg 2\n").doesNotContain("bg 18\n");

    // the next block waits for the rest of its second
    runner.onEvent(realm, new RealmEvent(null, "log", CLOCK.toEpochMilli(), "later"));
    time.advance(Duration.ofMillis(900));
    assertThat(log()).doesNotContain("later");
    time.advance(Duration.ofMillis(100));
    assertThat(log()).contains("10:00:00 later\n");
  }
  /** A controller connection that records each outcome with the log as it was when the outcome was sent. */
  final class RecordingController implements ControllerLink {
    final List<JobOutcome> outcomes = new ArrayList<>();
    final List<String> logWhenTold = new ArrayList<>();

    @Override
    public CompletableFuture<Void> send(ToController message) {
      if (message instanceof JobOutcome o) {
        outcomes.add(o);
        try {
          logWhenTold.add(Files.isRegularFile(realm.log().file()) ? log() : "");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void ping() {}

    @Override
    public void close(int code, String reason) {}

    @Override
    public String remote() {
      return "test";
    }
  }

  private RecordingController controller() {
    RecordingController c = new RecordingController();
    controllers.add(c, "ci");
    return c;
  }

  private Job submit(RecordingController c, String ref, String code) {
    return runner.submit(realm, new Controllers.Submission(c, ref, time.read()), "ci", code, null, null);
  }

  @Test
  void resultsThatArriveWhileAWriteIsInFlightGoIntoOneNextWriteAndEachControllerIsToldOnceItsReplyIsInTheFile()
      throws Exception {
    connect(null);
    RecordingController ci = controller();
    for (int i = 1; i <= 4; i++) {
      submit(ci, "r" + i, "job(" + i + ")");
    }
    time.runDue();
    int afterInserts = journal.writes;
    assertThat(log()).as("the four requests, in one write").contains("job(1)").contains("job(4)");
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("job(1)");

    journal.hold = true;
    result(link.jobs().get(0), 1); // its reply's write is held in flight
    assertThat(journal.held).hasSize(1);
    // the next jobs' placeholders are in the file: each starts at once, without waiting for that write
    result(link.jobs().get(1), 2);
    result(link.jobs().get(2), 3);
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("job(1)", "job(2)", "job(3)", "job(4)");
    assertThat(journal.held).as("nothing more written while a write of the log is in flight").hasSize(1);
    assertThat(ci.outcomes).as("no controller told before its reply is in the file").isEmpty();

    journal.release();
    time.runDue();
    assertThat(journal.writes).as("the held write, then one write with both later replies")
        .isEqualTo(afterInserts + 2);
    String text = log();
    assertThat(text).contains("job(1)\n```\n" + "#### \uD83D\uDC4Dapp to ci at " + AT + " (0ms)\n```JSON\n1\n```\n")
        .contains("```JSON\n2\n```\n").contains("```JSON\n3\n```\n")
        .contains("job(4)\n```\n#### \uD83D\uDC4Dapp to ci at " + AT + "\nexecuting (0s)\n");
    assertThat(ci.outcomes).extracting(JobOutcome::ref).containsExactly("r1", "r2", "r3");
    for (int i = 0; i < 3; i++) {
      assertThat(ci.logWhenTold.get(i)).as("the log when r%d was told", i + 1).contains("```JSON\n" + (i + 1) + "\n```");
    }
  }

  /** Records, in order, when a write made a version durable ({@link WriteFaults.Point#SYNCED}) and what else happened. */
  private static final class SyncOrder implements WriteFaults {
    final List<String> seen = new ArrayList<>();

    @Override
    public void at(Point point) {
      if (point == Point.SYNCED) {
        seen.add("synced");
      }
    }
  }

  @ParameterizedTest(name = "durable before told: {0}")
  @ValueSource(booleans = {false, true})
  void aReplyIsToldOnceInTheFileAndFsyncedAfterUnlessItMustBeDurableFirst(boolean durableBeforeTold) throws Exception {
    SyncOrder order = new SyncOrder();
    start(new WriteOptions(WriteOptions.DEFAULT_HISTORY_ABOVE, order, durableBeforeTold));
    connect(null);
    RecordingController ci = controller();
    submit(ci, "r1", "job(1)");
    time.runDue();
    order.seen.clear(); // the connect's and the insert's writes

    journal.hold = true;
    runner.onResult(realm, new Result(link.jobs().get(0).id(), true, IntNode.valueOf(1), null, null));
    time.runDue();
    assertThat(journal.held).as("the reply's write").hasSize(1);
    journal.held.poll().run(); // the write, on "its" thread; its end goes to the core
    time.runDue(); // the core tells the controller
    ci.outcomes.forEach(o -> order.seen.add("told " + o.ref()));
    assertThat(ci.logWhenTold).singleElement().asString().contains("```JSON\n1\n```");
    if (durableBeforeTold) {
      assertThat(journal.held).as("no task left: the write fsynced before its end").isEmpty();
      assertThat(order.seen).containsExactly("synced", "told r1");
    } else {
      assertThat(order.seen).as("told while the fsyncs wait their turn").containsExactly("told r1");
      assertThat(journal.held).as("the fsyncs' own task").hasSize(1);
      journal.release();
      assertThat(order.seen).containsExactly("told r1", "synced");
    }
  }

  @Test
  void aControllersJobStartsOnlyOnceItsRequestAndPlaceholderAreInTheFile() throws Exception {
    connect(null);
    RecordingController ci = controller();
    journal.hold = true;
    submit(ci, "r1", "first()");
    time.runDue();
    assertThat(journal.held).hasSize(1);
    assertThat(link.jobs()).as("not pushed while its placeholder is being written").isEmpty();
    journal.release();
    time.runDue();
    assertThat(log()).contains("first()\n```\n#### \uD83D\uDC4Dapp to ci at " + AT + "\nexecuting (0s)\n");
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("first()");
  }

  @Test
  void requestsAppendedWhileAWriteIsInFlightAreReadOnceInTheNextWrite() throws Exception {
    connect(null);
    append("```js\n1\n```\n");
    journal.hold = true;
    result(link.jobs().get(0), 1);
    Files.writeString(realm.log().file(), "```js\n2\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    runner.acceptFromLog(realm, false);
    Files.writeString(realm.log().file(), "```js\n3\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    runner.acceptFromLog(realm, false);
    time.runDue();
    assertThat(journal.held).hasSize(1);
    int before = journal.writes;

    journal.release();
    time.runDue();
    assertThat(journal.writes).as("one write accepts both").isEqualTo(before + 1);
    assertThat(log()).contains("```js\n2\n```\n" + OK + "\nexecuting (0s)\n```js\n3\n```\n" + OK
        + "\nqueued (1 ahead)\n");
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("1", "2");
  }

  @Test
  void aWriteInFlightHoldsOnlyItsOwnLog() throws Exception {
    connect(null);
    RecordingLink otherLink = new RecordingLink();
    Realm other = realms.claim("other", "tab-2", "javascript", otherLink, "node", null, time.read(), AT).realm();
    other.log().create();
    runner.acceptFromLog(other, true);
    time.runDue();

    journal.hold = true;
    Files.writeString(realm.log().file(), "```js\nmine()\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Files.writeString(other.log().file(), "```js\ntheirs()\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    runner.acceptFromLog(realm, false);
    runner.acceptFromLog(other, false);
    time.runDue();
    assertThat(journal.held).as("both logs' writes in flight at once").hasSize(2);

    journal.held.pollLast().run(); // the other log's write ends; this one's is still in flight
    time.runDue();
    assertThat(otherLink.jobs()).extracting(RunJob::code).containsExactly("theirs()");
    assertThat(link.jobs()).as("its placeholder is not written yet").isEmpty();

    journal.release();
    time.runDue();
    assertThat(link.jobs()).extracting(RunJob::code).containsExactly("mine()");
  }

  @Test
  void aLogThatCannotBeWrittenFailsTheControllersJobsWithTheReasonAndClosesTheRealm() throws Exception {
    connect(null);
    RecordingController ci = controller();
    Files.delete(realm.log().file());
    Files.createDirectory(realm.log().file()); // a folder where the log was
    submit(ci, "r1", "never()");
    time.runDue();

    assertThat(link.jobs()).as("no job runs unjournalled").isEmpty();
    assertThat(ci.outcomes).singleElement().satisfies(o -> {
      assertThat(o.outcome()).isEqualTo("failed");
      assertThat(o.error().message()).contains("cannot write its log daebug/app.md");
    });
    assertThat(link.closed).singleElement().asString().startsWith("1011 cannot write its log");
    assertThat(runner.pending(realm)).isZero();
  }
}

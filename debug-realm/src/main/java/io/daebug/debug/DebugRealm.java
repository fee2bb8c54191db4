package io.daebug.debug;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daebug.client.realm.JobExecutor;
import io.daebug.client.realm.RealmConnection;
import io.daebug.client.realm.RealmJob;
import io.daebug.client.realm.RealmOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.TerminateArguments;
import org.eclipse.lsp4j.debug.Variable;

/**
 * A debug realm: a {@link RealmConnection} of kind {@code debug} whose jobs drive a debug adapter. A fence in
 * the program's language is an expression evaluated in the selected frame of the stopped program (a running
 * one is paused for it and continued after); a {@code dap} fence holds {@link Commands}. Jobs run one at a
 * time on {@code daebug-debug-job}; the session starts there first, so early jobs wait for it. Program output
 * becomes console events, the debuggee's lifecycle background events (or events of the job that caused
 * them), and its state the realm's registry status.
 */
final class DebugRealm implements JobExecutor, DapSession.Listener, Commands.Context, AutoCloseable {
  /**
   * A job stops waiting this long before its timeout (a fifth of it, 0.5 to 2 s), so its reply (where it paused
   * the program), not the broker's timeout, says what happened, even on a busy machine.
   */
  static Duration answerMargin(Duration timeout) {
    long fifth = timeout.toMillis() / 5;
    return Duration.ofMillis(Math.max(500, Math.min(2000, fifth)));
  }

  private final LaunchSpec spec;
  private final Consumer<String> log;
  private final Debugger debugger;
  private final RealmConnection connection;
  private final ExecutorService jobs = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "daebug-debug-job");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private volatile RealmJob current;
  private volatile long deadline;
  private volatile String startFailure;

  private DebugRealm(RealmOptions options, LaunchSpec spec, Consumer<String> log) {
    this.spec = spec;
    this.log = log;
    // lldb-vscode 15 numbers the variables of a `repl` evaluation from 2^32, past the int lsp4j (and most
    // clients) hold; its `watch` context evaluates the same way with small references
    this.debugger = new Debugger(spec.cwd(), LaunchSpec.flavour(spec.adapter()).equals("lldb") ? "watch" : "repl");
    this.connection = RealmConnection.open(options, "debug", spec.language(), spec.url(), this);
    jobs.execute(this::startSession);
  }

  static DebugRealm start(RealmOptions options, LaunchSpec spec, Consumer<String> log) {
    return new DebugRealm(options, spec, log);
  }

  RealmConnection connection() {
    return connection;
  }

  private void startSession() {
    startFailure = null;
    status("starting");
    try {
      Adapter adapter = spec.attachAdapter() != null ? Adapter.attach(spec.attachAdapter(), Duration.ofSeconds(30))
          : Adapter.start(spec.adapter(), spec.tcp(), Duration.ofSeconds(30), (category, line) -> {
            if (category.equals("adapter")) {
              log.accept("adapter: " + line);
            } else {
              output(category, line);
            }
          });
      DapSession s = new DapSession(adapter, this);
      debugger.session(s);
      s.start(spec.request(), spec.arguments(), spec.language(), () -> debugger.sendAll(DapSession.REQUEST_TIMEOUT));
      log.accept("debug session started: " + adapter.description());
    } catch (IOException | DapException e) {
      startFailure = "the debug session could not start: " + e.getMessage();
      log.accept(startFailure);
      connection.event("error", startFailure);
      status("adapter failed");
      DapSession s = debugger.session();
      if (s != null) {
        s.close();
      }
    }
  }

  // ---- JobExecutor: the connection's reader thread ----

  @Override
  public void execute(RealmJob job) {
    jobs.execute(() -> run(job));
  }

  @Override
  public void cancel(RealmJob job, String reason) {
    cancelled.add(job.id());
    DapSession s = debugger.session();
    if (s != null) {
      s.wake();
    }
  }

  // ---- the job thread ----

  private void run(RealmJob job) {
    current = job;
    deadline = System.nanoTime() + Math.max(job.timeout().minus(answerMargin(job.timeout())).toNanos(),
        job.timeout().toNanos() / 2);
    try {
      if (cancelled.remove(job.id())) {
        job.fail("Cancelled", "cancelled before it ran");
        return;
      }
      if ("dap".equalsIgnoreCase(job.language())) {
        commands(job);
      } else {
        requireAdapter();
        job.succeed(evaluate(job));
      }
    } catch (DapException e) {
      DapSession s = debugger.session();
      boolean dead = s != null && s.phase() == DapSession.Phase.DEAD;
      job.fail(dead ? "AdapterError" : e.name(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.fail("Stopped", "the debug realm is closing");
    } catch (RuntimeException e) {
      job.fail("InternalError", "the debug realm failed: " + e);
    } finally {
      cancelled.remove(job.id());
      current = null;
    }
  }

  private com.fasterxml.jackson.databind.JsonNode evaluate(RealmJob job) throws InterruptedException {
    String expression = job.code().strip();
    DapSession s = debugger.session();
    switch (s.phase()) {
      case STOPPED:
        return debugger.evaluate(expression, limit());
      case RUNNING: {
        long before = debugger.pause(limit());
        if (debugger.await(before, deadline, () -> cancelled.contains(job.id())) != Debugger.Wait.CHANGED
            || s.phase() != DapSession.Phase.STOPPED) {
          throw notStopped("did not pause to evaluate");
        }
        try {
          return debugger.evaluate(expression, limit());
        } finally {
          debugger.resume("continue", limit());
          job.event("info", "the program was running: paused it in " + describeBrief() + ", evaluated, and let it"
              + " continue");
        }
      }
      case EXITED:
        throw new DapException("NotRunning", exited() + "; `restart` in a dap fence runs it again", null);
      default:
        throw new DapException("NotRunning", "the debug session is still starting", null);
    }
  }

  private String describeBrief() {
    try {
      return Locations.where(debugger.frame(limit()));
    } catch (DapException e) {
      return "thread " + debugger.session().stoppedThread();
    }
  }

  private void commands(RealmJob job) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    for (String line : job.code().split("\\R")) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        lines.add(line.strip());
      }
    }
    StringBuilder transcript = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (transcript.length() > 0) {
        transcript.append("\n\n");
      }
      transcript.append("> ").append(line).append('\n');
      try {
        transcript.append(Commands.run(line, this));
      } catch (DapException e) {
        transcript.append("error: ").append(e.getMessage());
        if (i + 1 < lines.size()) {
          transcript.append("\n\n(not run: ").append(String.join("; ", lines.subList(i + 1, lines.size()))).append(')');
        }
        throw new DapException(e.name(), transcript.toString(), e);
      }
    }
    ObjectNode text = JsonNodeFactory.instance.objectNode();
    text.put("$daebug", "text").put("repr", lines.isEmpty() ? "no commands; " + Commands.HELP : transcript.toString());
    job.succeed(text);
  }

  // ---- Commands.Context ----

  @Override
  public Debugger debugger() {
    return debugger;
  }

  @Override
  public Duration limit() {
    long left = deadline - System.nanoTime();
    return Duration.ofNanos(Math.max(Duration.ofMillis(200).toNanos(), Math.min(left,
        DapSession.REQUEST_TIMEOUT.toNanos())));
  }

  @Override
  public String runUntilStop(String how) throws InterruptedException {
    DapSession s = debugger.session();
    RealmJob job = current;
    if (s.phase() == DapSession.Phase.EXITED) {
      throw new DapException("NotRunning", exited(), null);
    }
    long before;
    if (how.equals("pause")) {
      if (s.phase() == DapSession.Phase.STOPPED) {
        return "already stopped " + location();
      }
      before = debugger.pause(limit());
    } else {
      if (s.phase() == DapSession.Phase.RUNNING) {
        throw new DapException("the program is running; `pause` it first (or evaluate: a running program is paused"
            + " for that)");
      }
      before = debugger.resume(how, limit());
    }
    Debugger.Wait wait = debugger.await(before, deadline, () -> job != null && cancelled.contains(job.id()));
    if (wait != Debugger.Wait.CHANGED) {
      throw notStopped(wait == Debugger.Wait.CANCELLED ? "was cancelled while the program ran"
          : "reached its timeout while the program ran");
    }
    s.settle();
    if (s.phase() == DapSession.Phase.DEAD) {
      throw new DapException("AdapterError", s.deathReason(), null);
    }
    if (s.phase() == DapSession.Phase.EXITED) {
      return exited();
    }
    return "stopped (" + s.stopReason() + ") " + location();
  }

  /** The job stops waiting: pause the program and say where it is. */
  private DapException notStopped(String why) throws InterruptedException {
    RealmJob job = current;
    boolean cancel = job != null && cancelled.contains(job.id());
    boolean paused = debugger.pauseNow();
    return new DapException(cancel ? "Cancelled" : "Timeout", "the job " + why + (paused
        ? ": paused it " + location() : ": it did not pause (" + debugger.session().phase().name().toLowerCase()
            + ")"), null);
  }

  private String exited() {
    Integer code = debugger.session().exitCode();
    return "the program exited" + (code == null ? "" : " with code " + code);
  }

  @Override
  public String location() {
    StackFrame f = debugger.frame(limit());
    StringBuilder sb = new StringBuilder("at ").append(Locations.where(f)).append(" in ").append(f.getName());
    String source = Locations.sourceLine(f);
    if (source != null) {
      sb.append("\n  ").append(f.getLine()).append(" | ").append(source);
    }
    try {
      List<String> brief = new ArrayList<>();
      for (Variable v : debugger.locals(limit())) {
        brief.add(Values.brief(v));
        if (brief.size() == 12) {
          brief.add("...");
          break;
        }
      }
      if (!brief.isEmpty()) {
        sb.append("\nlocals: ").append(String.join(", ", brief));
      }
    } catch (DapException e) {
      sb.append("\nlocals: (").append(e.getMessage()).append(')');
    }
    return sb.toString();
  }

  /**
   * A dap fence's {@code help} and {@code restart} need no adapter; every other command and every expression
   * fails while the session could not start or its adapter died (it can crash on its own, as lldb-vscode 15
   * sometimes does after its program exits), and the error says {@code restart} starts a new one.
   */
  @Override
  public void requireAdapter() {
    String why = startFailure;
    DapSession s = debugger.session();
    if (why == null && s != null && s.phase() == DapSession.Phase.DEAD) {
      why = s.deathReason();
    }
    if (why != null) {
      throw new DapException("AdapterError", why + "\n`restart` in a dap fence starts a new debug adapter", null);
    }
  }

  @Override
  public String restart() throws InterruptedException {
    DapSession old = debugger.session();
    if (old != null) {
      old.close();
    }
    startSession();
    if (startFailure != null) {
      throw new DapException("AdapterError", startFailure, null);
    }
    if ("launch".equals(spec.request()) && Boolean.TRUE.equals(spec.arguments().get("stopOnEntry"))) {
      // the entry stop comes as an event after the launch: answer where the program is once it came (or it exited,
      // or the adapter ignores stopOnEntry and 5 s passed)
      RealmJob job = current;
      debugger.await(0, Math.min(deadline, System.nanoTime() + Duration.ofSeconds(5).toNanos()),
          () -> job != null && cancelled.contains(job.id()));
      debugger.session().settle();
    }
    return "restarted: " + (debugger.session().phase() == DapSession.Phase.STOPPED ? "stopped " + location()
        : "running (stops at the breakpoints: " + debugger.list() + ")");
  }

  @Override
  public String terminate() throws InterruptedException {
    DapSession s = debugger.session();
    if (s.phase() == DapSession.Phase.EXITED) {
      return exited();
    }
    long before = s.stops();
    if (Boolean.TRUE.equals(s.capabilities().getSupportsTerminateRequest())) {
      s.call("terminate", s.server().terminate(new TerminateArguments()), limit());
    } else {
      DisconnectArguments d = new DisconnectArguments();
      d.setTerminateDebuggee(true);
      s.call("disconnect", s.server().disconnect(d), limit());
    }
    long until = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(10).toNanos());
    while (s.phase() != DapSession.Phase.EXITED && s.phase() != DapSession.Phase.DEAD && System.nanoTime() < until) {
      s.awaitChange(Long.MAX_VALUE, Math.min(until, System.nanoTime() + 100_000_000L), () -> false);
    }
    return s.phase() == DapSession.Phase.EXITED ? "terminated: " + exited() : "terminate sent; the program has not exited yet";
  }

  // ---- DapSession.Listener: lsp4j's reader thread or daebug-debug-events ----

  @Override
  public void output(String category, String line) {
    String kind = switch (category) {
      case "stdout" -> "log";
      case "stderr" -> "error";
      case "important" -> "warn";
      default -> "info";
    };
    RealmJob job = current;
    if (job != null) {
      job.event(kind, line);
    } else {
      connection.event(kind, line);
    }
  }

  @Override
  public void lifecycle(String text) {
    RealmJob job = current;
    if (job != null) {
      job.event("info", "debuggee " + text);
    } else {
      connection.event("info", "debuggee " + text);
    }
  }

  @Override
  public void status(String text) {
    connection.status(text);
  }

  @Override
  public void close() {
    jobs.shutdownNow();
    DapSession s = debugger.session();
    if (s != null) {
      s.close();
    }
    connection.close();
  }
}

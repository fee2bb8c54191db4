package io.daebug.debug;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateResponse;
import org.eclipse.lsp4j.debug.FunctionBreakpoint;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.PauseArguments;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;

/**
 * The debugger's operations over a {@link DapSession}, on the job thread: breakpoints (kept here and set
 * again after a restart), the selected thread and frame, evaluate, stepping and waiting for the program to
 * stop. A wait ends when the program stops or exits, at the job's deadline, or on cancel: then the program
 * is paused and the caller says so.
 */
final class Debugger {
  private final Path cwd;
  private volatile DapSession session;
  /** Source breakpoints: file -> line -> condition ("" for none). */
  private final Map<Path, TreeMap<Integer, String>> breakpoints = new LinkedHashMap<>();
  private final List<String> functions = new ArrayList<>();
  private int thread;
  private int frame;
  private long selectedAt = -1;

  /** How a wait ended. */
  enum Wait { CHANGED, TIMED_OUT, CANCELLED }

  private final String evaluateContext;

  /**
   * @param cwd where relative source paths are looked up
   * @param evaluateContext the {@code evaluate} context: {@code repl}, or {@code watch} where repl's references break
   */
  Debugger(Path cwd, String evaluateContext) {
    this.cwd = cwd;
    this.evaluateContext = evaluateContext;
  }

  void session(DapSession s) {
    session = s;
    selectedAt = -1;
  }

  DapSession session() {
    return session;
  }

  // ---- breakpoints ----

  /** Sets (or replaces) a breakpoint; returns what the adapter said about it. */
  String breakAt(String file, int line, String condition, Duration limit) {
    Path path = resolve(file);
    breakpoints.computeIfAbsent(path, p -> new TreeMap<>()).put(line, condition == null ? "" : condition);
    Breakpoint[] set = sendBreakpoints(path, limit);
    for (Breakpoint b : set) {
      if (b.getLine() != null && b.getLine() == line || set.length == 1) {
        return describe(b, path.getFileName() + ":" + line);
      }
    }
    return "breakpoint at " + path.getFileName() + ":" + line + " sent";
  }

  /** Removes a breakpoint. */
  String clear(String file, int line, Duration limit) {
    Path path = resolve(file);
    TreeMap<Integer, String> lines = breakpoints.get(path);
    if (lines == null || lines.remove(line) == null) {
      throw new DapException("no breakpoint at " + file + ":" + line + "; breakpoints: " + list());
    }
    sendBreakpoints(path, limit);
    return "cleared " + path.getFileName() + ":" + line;
  }

  /** Sets a function breakpoint. */
  String breakFunction(String name, Duration limit) {
    if (!Boolean.TRUE.equals(session.capabilities().getSupportsFunctionBreakpoints())) {
      throw new DapException("this debug adapter has no function breakpoints; use break FILE:LINE");
    }
    if (!functions.contains(name)) {
      functions.add(name);
    }
    Breakpoint[] set = sendFunctions(limit);
    Breakpoint b = set.length == functions.size() ? set[functions.indexOf(name)] : null;
    return b == null ? "breakpoint on " + name + " sent" : describe(b, name);
  }

  /** Sends every breakpoint again (a new session after restart). */
  void sendAll(Duration limit) {
    for (Path p : breakpoints.keySet()) {
      sendBreakpoints(p, limit);
    }
    if (!functions.isEmpty()) {
      sendFunctions(limit);
    }
  }

  private Breakpoint[] sendBreakpoints(Path path, Duration limit) {
    SetBreakpointsArguments a = new SetBreakpointsArguments();
    Source s = new Source();
    s.setPath(path.toString());
    s.setName(path.getFileName().toString());
    a.setSource(s);
    List<SourceBreakpoint> list = new ArrayList<>();
    breakpoints.getOrDefault(path, new TreeMap<>()).forEach((line, cond) -> {
      SourceBreakpoint b = new SourceBreakpoint();
      b.setLine(line);
      if (!cond.isEmpty()) {
        b.setCondition(cond);
      }
      list.add(b);
    });
    a.setBreakpoints(list.toArray(new SourceBreakpoint[0]));
    Breakpoint[] out = session.call("setBreakpoints", session.server().setBreakpoints(a), limit).getBreakpoints();
    return out == null ? new Breakpoint[0] : out;
  }

  private Breakpoint[] sendFunctions(Duration limit) {
    SetFunctionBreakpointsArguments a = new SetFunctionBreakpointsArguments();
    a.setBreakpoints(functions.stream().map(f -> {
      FunctionBreakpoint b = new FunctionBreakpoint();
      b.setName(f);
      return b;
    }).toArray(FunctionBreakpoint[]::new));
    Breakpoint[] out = session.call("setFunctionBreakpoints", session.server().setFunctionBreakpoints(a), limit)
        .getBreakpoints();
    return out == null ? new Breakpoint[0] : out;
  }

  private static String describe(Breakpoint b, String what) {
    String at = b.getLine() != null && b.getSource() != null && b.getSource().getName() != null
        ? b.getSource().getName() + ":" + b.getLine() : what;
    return "breakpoint" + (b.getId() != null ? " " + b.getId() : "") + " at " + at
        + (Boolean.TRUE.equals(b.isVerified()) ? "" : " (not verified" + (b.getMessage() != null ? ": "
            + b.getMessage() : "") + ")");
  }

  String list() {
    List<String> out = new ArrayList<>();
    breakpoints.forEach((p, lines) -> lines.forEach((l, c) -> out.add(p.getFileName() + ":" + l
        + (c.isEmpty() ? "" : " if " + c))));
    out.addAll(functions);
    return out.isEmpty() ? "none" : String.join(", ", out);
  }

  /** A file as the adapter wants it: absolute; a relative one is looked up from the working folder. */
  Path resolve(String file) {
    Path p = Path.of(file);
    if (p.isAbsolute()) {
      return p.normalize();
    }
    Path inCwd = cwd.resolve(p).normalize();
    if (!Files.exists(inCwd)) {
      throw new DapException("no file " + file + " in " + cwd + " (give a path relative to --cwd, or an absolute one)");
    }
    return inCwd;
  }

  // ---- threads and frames ----

  /** The thread and frame expressions run in; reset to the stopped thread's top frame after every stop. */
  private void syncSelection() {
    long stops = session.stops();
    if (selectedAt != stops) {
      selectedAt = stops;
      thread = session.stoppedThread();
      frame = 0;
    }
  }

  int thread() {
    syncSelection();
    if (thread == 0) {
      Thread[] all = threads(DapSession.REQUEST_TIMEOUT);
      thread = all.length == 0 ? 1 : all[0].getId();
    }
    return thread;
  }

  void selectThread(int id) {
    syncSelection();
    thread = id;
    frame = 0;
  }

  void selectFrame(int index) {
    syncSelection();
    frame = index;
  }

  int frameIndex() {
    syncSelection();
    return frame;
  }

  Thread[] threads(Duration limit) {
    Thread[] all = session.call("threads", session.server().threads(), limit).getThreads();
    return all == null ? new Thread[0] : all;
  }

  StackFrame[] stack(int levels, Duration limit) {
    StackTraceArguments a = new StackTraceArguments();
    a.setThreadId(thread());
    a.setStartFrame(0);
    a.setLevels(levels);
    StackFrame[] frames = session.call("stackTrace", session.server().stackTrace(a), limit).getStackFrames();
    return frames == null ? new StackFrame[0] : frames;
  }

  /** The selected frame. */
  StackFrame frame(Duration limit) {
    int index = frameIndex();
    StackFrame[] frames = stack(index + 1, limit);
    if (frames.length <= index) {
      throw new DapException("thread " + thread() + " has " + frames.length + " frames; no frame " + index);
    }
    return frames[index];
  }

  /** The selected frame's locals (its first scope, or every scope the adapter does not call expensive). */
  List<Variable> locals(Duration limit) {
    StackFrame f = frame(limit);
    ScopesArguments a = new ScopesArguments();
    a.setFrameId(f.getId());
    Scope[] scopes = session.call("scopes", session.server().scopes(a), limit).getScopes();
    List<Variable> out = new ArrayList<>();
    for (Scope s : scopes == null ? new Scope[0] : scopes) {
      if (Boolean.TRUE.equals(s.isExpensive()) || s.getVariablesReference() <= 0) {
        continue;
      }
      VariablesArguments v = new VariablesArguments();
      v.setVariablesReference(s.getVariablesReference());
      Variable[] vars = session.call("variables", session.server().variables(v), limit).getVariables();
      for (Variable x : vars == null ? new Variable[0] : vars) {
        if (x.getName() != null && !x.getName().startsWith("special variables")
            && !x.getName().equals("function variables")) {
          out.add(x);
        }
      }
      if (!out.isEmpty() || s.getName() == null || s.getName().toLowerCase().startsWith("local")) {
        break;
      }
    }
    return out;
  }

  // ---- evaluate ----

  /** Evaluates in the selected frame of the stopped program (context {@code repl}); the value rendered as JSON. */
  JsonNode evaluate(String expression, Duration limit) {
    EvaluateArguments a = new EvaluateArguments();
    a.setExpression(expression);
    a.setFrameId(frame(limit).getId());
    a.setContext(evaluateContext);
    EvaluateResponse r = session.call("evaluate", session.server().evaluate(a), limit);
    return new Values(session, limit).render(r.getResult(), r.getType(), r.getVariablesReference(),
        r.getIndexedVariables(), r.getNamedVariables());
  }

  // ---- running ----

  /** Sends {@code continue}, {@code next}, {@code step} or {@code out} for the selected thread. */
  long resume(String how, Duration limit) {
    int t = thread();
    long before = session.stops();
    session.resumed();
    switch (how) {
      case "continue" -> {
        ContinueArguments a = new ContinueArguments();
        a.setThreadId(t);
        session.call("continue", session.server().continue_(a), limit);
      }
      case "next" -> {
        NextArguments a = new NextArguments();
        a.setThreadId(t);
        session.call("next", session.server().next(a), limit);
      }
      case "step" -> {
        StepInArguments a = new StepInArguments();
        a.setThreadId(t);
        session.call("stepIn", session.server().stepIn(a), limit);
      }
      case "out" -> {
        StepOutArguments a = new StepOutArguments();
        a.setThreadId(t);
        session.call("stepOut", session.server().stepOut(a), limit);
      }
      default -> throw new IllegalArgumentException(how);
    }
    return before;
  }

  /** Asks the program to pause; returns the stop count before. */
  long pause(Duration limit) {
    long before = session.stops();
    PauseArguments a = new PauseArguments();
    int t = session.stoppedThread();
    if (t == 0) {
      Thread[] all = threads(limit);
      t = all.length == 0 ? 1 : all[0].getId();
    }
    a.setThreadId(t);
    session.call("pause", session.server().pause(a), limit);
    return before;
  }

  /** Waits for a stop after {@code since}, the program's exit, or the adapter's death. */
  Wait await(long since, long deadlineNanos, BooleanSupplier cancelled) throws InterruptedException {
    if (session.awaitChange(since, deadlineNanos, cancelled)) {
      return Wait.CHANGED;
    }
    return cancelled.getAsBoolean() ? Wait.CANCELLED : Wait.TIMED_OUT;
  }

  /** Pauses a program that did not stop in time and waits a little for the pause to land; true when stopped. */
  boolean pauseNow() throws InterruptedException {
    if (session.phase() != DapSession.Phase.RUNNING) {
      return session.phase() == DapSession.Phase.STOPPED;
    }
    long before = pause(Duration.ofSeconds(5));
    return session.awaitChange(before, System.nanoTime() + Duration.ofSeconds(5).toNanos(), () -> false)
        && session.phase() == DapSession.Phase.STOPPED;
  }
}

package io.daebug.debug;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.launch.DSPLauncher;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/**
 * One debug session over DAP (lsp4j's typed messages and framing): initialize, launch or attach,
 * configurationDone, and the debuggee's state as the adapter's events tell it ({@code stopped},
 * {@code continued}, {@code exited}, {@code terminated}). Requests are made from the job thread with a time
 * limit; events arrive on lsp4j's reader thread and never block it (what needs a request, such as the
 * location of a stop, runs on {@code daebug-debug-events}). An adapter that dies or whose connection ends
 * ends the session: every wait wakes with its reason.
 */
final class DapSession implements IDebugProtocolClient, AutoCloseable {
  /** Where the debuggee is. */
  enum Phase { STARTING, RUNNING, STOPPED, EXITED, DEAD }

  /** What the session tells the realm: program output, lifecycle events, the registry status. */
  interface Listener {
    /** Program output (DAP {@code output}), split into lines; {@code category} is {@code stdout}, {@code stderr}... */
    void output(String category, String line);

    /** A lifecycle event ({@code stopped ...}, {@code continued}, {@code exited 0}, {@code terminated}). */
    void lifecycle(String text);

    /** The debuggee's state for the registry line. */
    void status(String text);
  }

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Adapter adapter;
  private final Listener listener;
  private final IDebugProtocolServer server;
  private final Future<Void> listening;
  private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "daebug-debug-events");
    t.setDaemon(true);
    return t;
  });
  private final CompletableFuture<Void> initialized = new CompletableFuture<>();
  private final Map<String, StringBuilder> partialOutput = new LinkedHashMap<>();
  private final Object lock = new Object();
  private Capabilities capabilities = new Capabilities();
  private Phase phase = Phase.STARTING;
  private long stops;
  private int stoppedThread;
  private String stopReason;
  private Integer exitCode;
  private String deathReason;
  private volatile boolean closing;

  DapSession(Adapter adapter, Listener listener) {
    this.adapter = adapter;
    this.listener = listener;
    Launcher<IDebugProtocolServer> launcher = DSPLauncher.createClientLauncher(this, adapter.in(), adapter.out());
    this.server = launcher.getRemoteProxy();
    this.listening = launcher.startListening();
    Thread watcher = new Thread(this::watch, "daebug-debug-adapter-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Waits for the adapter's connection to end, or its process to exit, then ends the session. */
  private void watch() {
    try {
      listening.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException | RuntimeException e) {
      // the stream failed: the same as ended
    }
    if (!closing) {
      died(adapter.deathReason());
    }
  }

  private void died(String reason) {
    flushOutput();
    synchronized (lock) {
      if (phase == Phase.DEAD) {
        return;
      }
      phase = Phase.DEAD;
      deathReason = reason;
      lock.notifyAll();
    }
    initialized.completeExceptionally(new DapException(reason));
    adapter.killOrphans();
    String status = "adapter died" + (adapter.process() != null && !adapter.process().isAlive()
        ? " (exit " + adapter.process().exitValue() + ")" : "");
    post(() -> {
      listener.lifecycle("debug adapter gone: " + reason);
      listener.status(status);
    });
  }

  /**
   * Hands a listener call to {@code daebug-debug-events}: output, lifecycle events and status reach the realm in
   * the order the adapter sent them (a stop's event waits for its location).
   */
  private void post(Runnable r) {
    try {
      events.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Waits (up to 2 s) until the events the adapter sent so far reached the realm, so a job's come with it. */
  void settle() {
    try {
      events.submit(() -> { }).get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // late events become background events
    }
  }

  IDebugProtocolServer server() {
    return server;
  }

  Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Initializes the adapter and launches (or attaches to) the program, then finishes configuration.
   *
   * @param request {@code launch} or {@code attach}
   * @param arguments the request's arguments, in the adapter's own shape
   * @param configure run after {@code initialized}, before {@code configurationDone}: breakpoints
   */
  void start(String request, Map<String, Object> arguments, String language, Runnable configure) {
    InitializeRequestArguments init = new InitializeRequestArguments();
    init.setClientID("daebug");
    init.setClientName("Daebug");
    init.setAdapterID(language);
    init.setLinesStartAt1(true);
    init.setColumnsStartAt1(true);
    init.setPathFormat("path");
    init.setSupportsVariableType(true);
    init.setSupportsRunInTerminalRequest(false);
    Capabilities caps = call("initialize", server.initialize(init), REQUEST_TIMEOUT);
    capabilities = caps == null ? new Capabilities() : caps;
    // debugpy answers launch only after configurationDone; delve and lldb-vscode at once
    CompletableFuture<Void> launched = "attach".equals(request) ? server.attach(arguments) : server.launch(arguments);
    try {
      initialized.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (launched.isCompletedExceptionally()) {
        call(request, launched, REQUEST_TIMEOUT);
      }
      throw new DapException("the debug adapter sent no `initialized` event within " + REQUEST_TIMEOUT.toSeconds()
          + "s of `" + request + "`");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DapException("interrupted while starting the debug session");
    } catch (ExecutionException e) {
      if (launched.isCompletedExceptionally()) {
        call(request, launched, Duration.ofSeconds(1));
      }
      throw new DapException(e.getCause() == null ? String.valueOf(e) : e.getCause().getMessage());
    }
    configure.run();
    synchronized (lock) {
      if (phase == Phase.STARTING) {
        phase = Phase.RUNNING;
      }
    }
    call("configurationDone", server.configurationDone(new ConfigurationDoneArguments()), REQUEST_TIMEOUT);
    call(request, launched, REQUEST_TIMEOUT);
    if (!"attach".equals(request)) {
      adapter.rememberDebuggee();
    }
    synchronized (lock) {
      if (phase == Phase.RUNNING) {
        post(() -> listener.status("running"));
      }
    }
  }

  /**
   * Waits for a request's response.
   *
   * @throws DapException with the adapter's error text, or when it does not answer in time or is gone
   */
  <T> T call(String command, CompletableFuture<T> request, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        return request.get(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        String dead = deathReason();
        if (dead != null) {
          request.cancel(true);
          throw new DapException(dead);
        }
        if (System.nanoTime() - deadline >= 0) {
          request.cancel(true);
          if (limit.compareTo(REQUEST_TIMEOUT) >= 0) {
            post(() -> listener.status("adapter not answering (`" + command + "`)"));
          }
          throw new DapException("the debug adapter did not answer `" + command + "` within "
              + Math.max(1, limit.toSeconds()) + "s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DapException("interrupted while waiting for `" + command + "`");
      } catch (ExecutionException e) {
        throw new DapException(errorText(e.getCause()), e.getCause());
      } catch (java.util.concurrent.CancellationException e) {
        String dead = deathReason();
        throw new DapException(dead != null ? dead : "`" + command + "` was cancelled");
      }
    }
  }

  /** The adapter's own words for a failed request: {@code body.error.format} when it has one, else its message. */
  static String errorText(Throwable t) {
    if (t instanceof ResponseErrorException r) {
      Object data = r.getResponseError().getData();
      String detail = null;
      if (data instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error
          && error.get("format") instanceof String format) {
        detail = format;
        if (error.get("variables") instanceof Map<?, ?> vars) {
          for (Map.Entry<?, ?> v : vars.entrySet()) {
            detail = detail.replace("{" + v.getKey() + "}", String.valueOf(v.getValue()));
          }
        }
      } else if (data instanceof com.google.gson.JsonObject body && body.has("error")
          && body.getAsJsonObject("error").has("format")) {
        detail = body.getAsJsonObject("error").get("format").getAsString();
      }
      String message = r.getResponseError().getMessage();
      if (detail == null || detail.isBlank()) {
        return message;
      }
      return message == null || message.isBlank() || detail.contains(message) || message.equals("Unset error message.")
          ? detail : message + ": " + detail;
    }
    return t == null ? "unknown error" : String.valueOf(t.getMessage() != null ? t.getMessage() : t);
  }

  // ---- state ----

  Phase phase() {
    synchronized (lock) {
      return phase;
    }
  }

  long stops() {
    synchronized (lock) {
      return stops;
    }
  }

  int stoppedThread() {
    synchronized (lock) {
      return stoppedThread;
    }
  }

  String stopReason() {
    synchronized (lock) {
      return stopReason;
    }
  }

  Integer exitCode() {
    synchronized (lock) {
      return exitCode;
    }
  }

  String deathReason() {
    synchronized (lock) {
      return deathReason;
    }
  }

  /** The program is about to run (a continue or step was sent). */
  void resumed() {
    synchronized (lock) {
      if (phase != Phase.STOPPED && phase != Phase.STARTING) {
        return;
      }
      phase = Phase.RUNNING;
    }
    post(() -> listener.status("running"));
  }

  /**
   * Waits until the program stops after stop number {@code since}, exits or the adapter dies.
   *
   * @return true when that happened; false when the deadline passed or {@code cancelled} said so
   */
  boolean awaitChange(long since, long deadlineNanos, BooleanSupplier cancelled) throws InterruptedException {
    synchronized (lock) {
      while (stops <= since && phase != Phase.EXITED && phase != Phase.DEAD) {
        if (cancelled.getAsBoolean()) {
          return false;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
      return true;
    }
  }

  /** Wakes waiters (a cancel arrived). */
  void wake() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  // ---- events: lsp4j's reader thread, never blocks ----

  @Override
  public void initialized() {
    initialized.complete(null);
  }

  @Override
  public void stopped(StoppedEventArguments args) {
    flushOutput();
    int thread;
    synchronized (lock) {
      if (phase == Phase.EXITED || phase == Phase.DEAD) {
        return;
      }
      phase = Phase.STOPPED;
      stops++;
      if (args.getThreadId() != null) {
        stoppedThread = args.getThreadId();
      }
      thread = stoppedThread;
      stopReason = args.getReason() == null ? "pause" : args.getReason();
    }
    String reason = stopReason();
    long stop = stops();
    post(() -> {
      StackFrame top = topFrame(thread);
      String where = top == null ? "" : Locations.where(top);
      String source = top == null ? null : Locations.sourceLine(top);
      if (stops() == stop && phase() == Phase.STOPPED) {
        listener.status("stopped" + (where.isEmpty() ? "" : " at " + where) + " (" + reason + ")");
      }
      listener.lifecycle("stopped (" + reason + ") in thread " + thread + (where.isEmpty() ? "" : " at " + where)
          + (source == null ? "" : ": " + source)
          + (args.getText() != null ? " [" + args.getText() + "]" : "")
          + (args.getDescription() != null && !args.getDescription().equalsIgnoreCase(reason)
              ? " (" + args.getDescription() + ")" : ""));
    });
    wake(); // after the post: a job that waits for this stop finds its event queued (settle)
  }

  /** A thread's top frame, or null. */
  private StackFrame topFrame(int thread) {
    try {
      StackTraceArguments a = new StackTraceArguments();
      a.setThreadId(thread);
      a.setLevels(1);
      StackFrame[] frames = call("stackTrace", server.stackTrace(a), Duration.ofSeconds(10)).getStackFrames();
      return frames == null || frames.length == 0 ? null : frames[0];
    } catch (DapException e) {
      return null;
    }
  }

  @Override
  public void continued(ContinuedEventArguments args) {
    synchronized (lock) {
      if (phase != Phase.STOPPED) {
        return;
      }
      phase = Phase.RUNNING;
    }
    post(() -> {
      listener.lifecycle("continued");
      listener.status("running");
    });
  }

  @Override
  public void exited(ExitedEventArguments args) {
    flushOutput();
    post(() -> {
      listener.lifecycle("exited with code " + args.getExitCode());
      listener.status("exited " + args.getExitCode());
    });
    synchronized (lock) {
      exitCode = args.getExitCode();
      if (phase != Phase.DEAD) {
        phase = Phase.EXITED;
      }
      lock.notifyAll();
    }
  }

  @Override
  public void terminated(TerminatedEventArguments args) {
    flushOutput();
    boolean known;
    synchronized (lock) {
      known = exitCode != null;
    }
    if (known || closing) {
      ended(null);
      return;
    }
    // Delve 1.20 ends a Go program with `terminated` and no `exited`: ask it for the exit status (ExitProbe).
    ExitProbe.ask(server).thenAccept(this::ended);
  }

  /** The program ended (terminated); {@code probed} is its exit status when only the probe told it. */
  private void ended(Integer probed) {
    boolean known;
    synchronized (lock) {
      if (probed != null && exitCode == null) {
        exitCode = probed;
      } else {
        probed = null;
      }
      known = exitCode != null;
    }
    Integer status = probed;
    post(() -> {
      if (status != null) {
        listener.lifecycle("exited with code " + status);
        listener.status("exited " + status);
      }
      listener.lifecycle("terminated");
      if (!known) {
        listener.status("terminated");
      }
    });
    synchronized (lock) {
      if (phase != Phase.DEAD) {
        phase = Phase.EXITED;
      }
      lock.notifyAll();
    }
  }

  @Override
  public void output(OutputEventArguments args) {
    String category = args.getCategory() == null ? "console" : args.getCategory();
    if (category.equals("telemetry") || args.getOutput() == null) {
      return;
    }
    List<String> lines = new ArrayList<>();
    synchronized (partialOutput) {
      StringBuilder sb = partialOutput.computeIfAbsent(category, c -> new StringBuilder());
      sb.append(args.getOutput());
      int nl;
      while ((nl = sb.indexOf("\n")) >= 0) {
        String line = sb.substring(0, nl);
        lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        sb.delete(0, nl + 1);
      }
    }
    post(() -> lines.forEach(line -> listener.output(category, line)));
  }

  /** Sends output that did not end with a line break (the program stopped or exited meanwhile). */
  void flushOutput() {
    List<String[]> rest = new ArrayList<>();
    synchronized (partialOutput) {
      partialOutput.forEach((category, sb) -> {
        if (sb.length() > 0) {
          rest.add(new String[] {category, sb.toString()});
          sb.setLength(0);
        }
      });
    }
    post(() -> rest.forEach(r -> listener.output(r[0], r[1])));
  }

  @Override
  public void close() {
    closing = true;
    if (phase() != Phase.DEAD && adapter.process() != null && adapter.process().isAlive()) {
      try {
        DisconnectArguments d = new DisconnectArguments();
        d.setTerminateDebuggee(true);
        server.disconnect(d).get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the adapter is killed below anyway
      }
    }
    adapter.close();
    listening.cancel(true);
    events.shutdown();
  }
}

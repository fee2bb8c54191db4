package io.daebug.debug;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The debug adapter's end of the wire: a process started from a command line that speaks DAP over its
 * stdin/stdout ({@code lldb-vscode-15}, {@code python3 -m debugpy.adapter}) or over TCP at an address it
 * prints ({@code dlv dap --listen=127.0.0.1:0} prints {@code DAP server listening at: 127.0.0.1:40123}), or
 * an adapter already listening ({@code --attach-adapter HOST:PORT}). Its other output (and stderr) goes to
 * {@code log} line by line; its last lines are kept for the error when it dies.
 */
final class Adapter implements AutoCloseable {
  /** {@code host:port} in an adapter's "listening" line: IPv4, {@code [v6]} or {@code localhost}. */
  private static final Pattern LISTEN = Pattern.compile(
      "(?i)listen\\w*\\b.*?((?:\\d{1,3}(?:\\.\\d{1,3}){3})|\\[[0-9a-f:.]+\\]|localhost):(\\d{1,5})");
  private static final int KEPT_LINES = 20;

  /** Where the adapter process's own output goes: {@code stdout}/{@code stderr} of a TCP adapter, else {@code adapter}. */
  @FunctionalInterface
  interface Output {
    void line(String category, String line);
  }

  private final Process process;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final List<ProcessHandle> children = new java.util.ArrayList<>();
  private final String description;

  private Adapter(Process process, Socket socket, InputStream in, OutputStream out, String description) {
    this.process = process;
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.description = description;
  }

  /** Whether a command line starts a TCP adapter: it has a {@code --listen} or {@code --port} option. */
  static boolean speaksTcp(List<String> command) {
    return command.stream().anyMatch(a -> a.startsWith("--listen") || a.startsWith("-l=") || a.startsWith("--port"));
  }

  /**
   * Starts an adapter process.
   *
   * @param command the command line
   * @param tcp whether it listens on TCP (and prints where) rather than speaking over stdin/stdout
   * @param startTimeout how long to wait for its listening line
   * @param log where its own output goes, line by line
   */
  static Adapter start(List<String> command, boolean tcp, Duration startTimeout, Output log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start the debug adapter `" + String.join(" ", command) + "`: " + e.getMessage(), e);
    }
    String what = "`" + String.join(" ", command) + "` (pid " + p.pid() + ")";
    if (!tcp) {
      Adapter a = new Adapter(p, null, p.getInputStream(), p.getOutputStream(), what);
      a.pump(p.getErrorStream(), line -> log.line("adapter", line), null);
      return a;
    }
    // A TCP adapter's own stdout and stderr carry the debuggee's (dlv dap runs the program with them)
    CompletableFuture<InetSocketAddress> address = new CompletableFuture<>();
    Adapter reader = new Adapter(p, null, null, null, what);
    reader.pump(p.getInputStream(), line -> log.line("stdout", line), address);
    reader.pump(p.getErrorStream(), line -> log.line("stderr", line), address);
    InetSocketAddress at;
    try {
      at = address.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("the debug adapter " + what + " did not print the address it listens on within "
          + startTimeout.toSeconds() + "s" + (p.isAlive() ? "" : " (it exited)") + reader.lastOutput(), e);
    }
    Socket s = connect(at, startTimeout);
    Adapter a = new Adapter(p, s, s.getInputStream(), s.getOutputStream(), what + " at " + at.getHostString() + ":"
        + at.getPort());
    synchronized (reader.lastLines) {
      a.lastLines.addAll(reader.lastLines);
    }
    return a;
  }

  /** Connects to an adapter that already listens. */
  static Adapter attach(String hostPort, Duration timeout) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IOException("--attach-adapter wants HOST:PORT, got '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IOException("--attach-adapter wants HOST:PORT, got '" + hostPort + "'");
    }
    Socket s = connect(new InetSocketAddress(host, port), timeout);
    return new Adapter(null, s, s.getInputStream(), s.getOutputStream(), "the adapter at " + hostPort);
  }

  private static Socket connect(InetSocketAddress at, Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(at, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      s.setTcpNoDelay(true);
      return s;
    } catch (IOException e) {
      s.close();
      throw new IOException("cannot connect to the debug adapter at " + at + ": " + e.getMessage(), e);
    }
  }

  /** Reads a stream of the adapter's own output on a daemon thread. */
  private void pump(InputStream stream, Consumer<String> log, CompletableFuture<InetSocketAddress> address) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lastLines) {
            lastLines.addLast(line);
            if (lastLines.size() > KEPT_LINES) {
              lastLines.removeFirst();
            }
          }
          Matcher m = LISTEN.matcher(line);
          if (address != null && !address.isDone() && m.find()) {
            address.complete(new InetSocketAddress(m.group(1).replace("[", "").replace("]", ""),
                Integer.parseInt(m.group(2))));
          } else {
            log.accept(line);
          }
        }
      } catch (IOException e) {
        // the adapter exited
      } finally {
        try {
          if (address != null && process.waitFor(1, TimeUnit.SECONDS)) {
            address.completeExceptionally(new IOException("the adapter exited"));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "daebug-debug-adapter-output");
    t.setDaemon(true);
    t.start();
  }

  /** The processes the adapter started (the launched program), remembered so a dead adapter leaves none behind. */
  void rememberDebuggee() {
    if (process != null) {
      synchronized (children) {
        children.clear();
        process.descendants().forEach(children::add);
      }
    }
  }

  /** Kills the launched program of an adapter that died (its processes are orphans now). */
  void killOrphans() {
    synchronized (children) {
      children.forEach(ProcessHandle::destroyForcibly);
      children.clear();
    }
  }

  InputStream in() {
    return in;
  }

  OutputStream out() {
    return out;
  }

  /** @return the adapter process, or null for one we attached to */
  Process process() {
    return process;
  }

  String description() {
    return description;
  }

  /** The adapter's last lines of output, for an error message, or "". */
  String lastOutput() {
    synchronized (lastLines) {
      return lastLines.isEmpty() ? "" : "; its last output:\n" + String.join("\n", lastLines);
    }
  }

  /** Why the adapter is gone: its exit code, or that its connection ended. */
  String deathReason() {
    if (process != null) {
      try {
        if (process.waitFor(2, TimeUnit.SECONDS)) {
          return "the debug adapter " + description + " exited with code " + process.exitValue() + lastOutput();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return "the connection to the debug adapter " + description + " ended" + lastOutput();
  }

  @Override
  public void close() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    if (process != null) {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      descendants.forEach(ProcessHandle::destroyForcibly);
      killOrphans();
    }
  }
}

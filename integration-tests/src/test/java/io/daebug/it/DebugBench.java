package io.daebug.it;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.launch.DSPLauncher;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * Benchmark (a program, not a test): an expression ({@code count + 40}) evaluated in a Go program stopped at a
 * breakpoint under {@code dlv dap}. Prints min/median/p99 of (1) the adapter's own {@code evaluate} round trip,
 * measured here with a plain DAP client (lsp4j) on a {@code dlv dap} of its own, and (2) the debug realm's
 * append -> reply in the log, through the broker, the realm process and its {@code dlv dap}. N rounds each
 * (default 100) after 10 warm-up rounds.
 *
 * <p>Run: {@code mvn -B -q -pl integration-tests -am package -DskipTests && mvn -B -q -pl integration-tests
 * exec:exec@debug-bench}
 */
public final class DebugBench {
  private static final Pattern LISTEN = Pattern.compile("listening at: ([0-9.]+):(\\d+)");
  private static final String REPLY_VALUE = "```JSON\n40\n```\n";

  private DebugBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 100;
    int warmup = 10;
    Path work = Files.createTempDirectory("daebug-debug-bench-");
    try {
      Path src = Files.createDirectories(work.resolve("src"));
      DebugRig.resource("/debug/main.go", src);
      Files.copy(DebugBench.class.getResourceAsStream("/debug/go.mod.txt"), src.resolve("go.mod"));
      Path program = src.resolve("demo");
      DebugRig.run(src, List.of("go", "build", "-gcflags=all=-N -l", "-o", program.toString(), "."),
          "GOCACHE", work.resolve("go-cache").toString(), "GOPATH", work.resolve("gopath").toString(),
          "GOFLAGS", "-mod=mod", "GOPROXY", "off");
      double[] adapter = adapterRoundTrips(program, src, warmup, rounds);
      double[] realm = realmRoundTrips(program, src, work, warmup, rounds);
      print("dlv dap evaluate round trip (plain DAP client)", adapter);
      print("debug realm: append -> reply in the log", realm);
    } finally {
      TempDirs.deleteTree(work);
    }
  }

  private static void print(String what, double[] ms) {
    Arrays.sort(ms);
    int n = ms.length;
    System.out.printf(Locale.ROOT, "%s, %d rounds (count + 40, Go stopped at a breakpoint): min %.2f ms,"
        + " median %.2f ms, p99 %.2f ms, max %.2f ms%n", what, n, ms[0], ms[n / 2], ms[(int) Math.ceil(n * 0.99) - 1],
        ms[n - 1]);
  }

  /** The adapter alone: dlv dap, launch, breakpoint at main.go:33, continue, then timed evaluates. */
  private static double[] adapterRoundTrips(Path program, Path src, int warmup, int rounds) throws Exception {
    Process dlv = new ProcessBuilder("dlv", "dap", "--listen=127.0.0.1:0").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(dlv.getInputStream(), StandardCharsets.UTF_8));
      Matcher m = null;
      for (String line; (line = out.readLine()) != null; ) {
        m = LISTEN.matcher(line);
        if (m.find()) {
          break;
        }
      }
      if (m == null || !m.find(0)) {
        throw new IllegalStateException("dlv dap printed no address");
      }
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "dlv-output");
      drain.setDaemon(true);
      drain.start();
      CompletableFuture<Void> initialized = new CompletableFuture<>();
      CompletableFuture<StoppedEventArguments> stopped = new CompletableFuture<>();
      IDebugProtocolClient client = new IDebugProtocolClient() {
        @Override
        public void initialized() {
          initialized.complete(null);
        }

        @Override
        public void stopped(StoppedEventArguments a) {
          stopped.complete(a);
        }
      };
      try (Socket socket = new Socket(m.group(1), Integer.parseInt(m.group(2)))) {
        socket.setTcpNoDelay(true); // as the realm does: no Nagle delay on small requests
        Launcher<IDebugProtocolServer> launcher = DSPLauncher.createClientLauncher(client, socket.getInputStream(),
            socket.getOutputStream());
        launcher.startListening();
        IDebugProtocolServer server = launcher.getRemoteProxy();
        InitializeRequestArguments init = new InitializeRequestArguments();
        init.setAdapterID("go");
        init.setLinesStartAt1(true);
        init.setPathFormat("path");
        server.initialize(init).get(30, TimeUnit.SECONDS);
        Map<String, Object> launch = new HashMap<>(Map.of("request", "launch", "mode", "exec",
            "program", program.toString(), "cwd", src.toString()));
        CompletableFuture<Void> launched = server.launch(launch);
        initialized.get(30, TimeUnit.SECONDS);
        SetBreakpointsArguments b = new SetBreakpointsArguments();
        Source s = new Source();
        s.setPath(src.resolve("main.go").toString());
        b.setSource(s);
        SourceBreakpoint bp = new SourceBreakpoint();
        bp.setLine(33);
        b.setBreakpoints(new SourceBreakpoint[] {bp});
        server.setBreakpoints(b).get(30, TimeUnit.SECONDS);
        server.configurationDone(new ConfigurationDoneArguments()).get(30, TimeUnit.SECONDS);
        launched.get(30, TimeUnit.SECONDS);
        int thread = stopped.get(30, TimeUnit.SECONDS).getThreadId();
        StackTraceArguments st = new StackTraceArguments();
        st.setThreadId(thread);
        st.setLevels(1);
        int frame = server.stackTrace(st).get(30, TimeUnit.SECONDS).getStackFrames()[0].getId();
        double[] ms = new double[rounds];
        for (int i = 0; i < warmup + rounds; i++) {
          EvaluateArguments e = new EvaluateArguments();
          e.setExpression("count + 40");
          e.setFrameId(frame);
          e.setContext("repl");
          long start = System.nanoTime();
          String result = server.evaluate(e).get(30, TimeUnit.SECONDS).getResult();
          long took = System.nanoTime() - start;
          if (!"40".equals(result)) {
            throw new IllegalStateException("evaluate gave " + result);
          }
          if (i >= warmup) {
            ms[i - warmup] = took / 1e6;
          }
        }
        return ms;
      }
    } finally {
      dlv.descendants().forEach(ProcessHandle::destroyForcibly);
      dlv.destroyForcibly();
    }
  }

  /** The whole path: the broker here, the realm as users run it, a breakpoint, then timed appends. */
  private static double[] realmRoundTrips(Path program, Path src, Path work, int warmup, int rounds)
      throws Exception {
    Path root = Files.createDirectories(work.resolve("root"));
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0));
        DebugRig rig = DebugRig.around(root, broker)) {
      DebugRig.Realm api = rig.realm("api", "--program", program.toString(), "--cwd", src.toString(), "--", "dlv",
          "dap", "--listen=127.0.0.1:0");
      api.awaitListed("stopped");
      String reply = api.ask("dap", "break main.go:33\ncontinue");
      if (!reply.contains("stopped (breakpoint)")) {
        throw new IllegalStateException("did not stop at the breakpoint:\n" + reply);
      }
      double[] ms = new double[rounds];
      for (int i = 0; i < warmup + rounds; i++) {
        long took = roundTrip(api.log(), i + 1);
        if (i >= warmup) {
          ms[i - warmup] = took / 1e6;
        }
      }
      return ms;
    }
  }

  /** Appends one request and waits (a stat every 100 µs, a read on change) for the n-th reply value. */
  private static long roundTrip(Path log, int expected) throws Exception {
    long start = System.nanoTime();
    Files.writeString(log, "```go\ncount + 40\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    long deadline = start + TimeUnit.SECONDS.toNanos(30);
    Object seen = null;
    while (true) {
      BasicFileAttributes a = Files.readAttributes(log, BasicFileAttributes.class);
      Object now = List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
      if (!now.equals(seen)) {
        seen = now;
        String text = LogFile.read(log);
        int n = 0;
        for (int i = text.indexOf(REPLY_VALUE); i >= 0; i = text.indexOf(REPLY_VALUE, i + 1)) {
          n++;
        }
        if (n >= expected) {
          return System.nanoTime() - start;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no reply within 30 s; log:\n" + LogFile.read(log));
      }
      LockSupport.parkNanos(100_000);
    }
  }
}

package io.daebug.debug;

import io.daebug.client.realm.RealmOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daebug.jar debug}: a debug realm. Starts the debug adapter (or connects to one), launches or attaches
 * the program, and connects to the broker as realm {@code --name} until stopped (Ctrl-C).
 */
@Command(name = "debug", mixinStandardHelpOptions = true,
    description = {"Debug a compiled program (Go, C, C++, Rust) or a Python one from a Daebug log, over the Debug"
        + " Adapter Protocol.",
        "Examples:",
        "  debug --broker http://127.0.0.1:8100/ --name api --program ./api -- dlv dap --listen=127.0.0.1:0",
        "  debug --broker http://127.0.0.1:8100/ --name tool --program ./tool -- lldb-vscode-15",
        "  debug --broker http://127.0.0.1:8100/ --name job --program job.py -- python3 -m debugpy.adapter",
        "  debug --broker http://127.0.0.1:8100/ --name api --attach-adapter 127.0.0.1:5678 --pid 4242"})
public final class DebugCommand implements Callable<Integer> {
  @Option(names = "--broker", required = true, description = "the broker, e.g. http://127.0.0.1:8100/")
  URI broker;

  @Option(names = "--token", description = "the broker's token (needed off loopback)")
  String token;

  @Option(names = "--name", description = "the realm's name (default: the program's file name)")
  String name;

  @Option(names = "--language", description = "go, c, cpp, rust or python (default: from the adapter)")
  String language;

  @Option(names = "--program", description = "the program to launch")
  String program;

  @Option(names = "--args", arity = "1..*", description = "the program's arguments")
  List<String> args = new ArrayList<>();

  @Option(names = "--cwd", description = "the program's working folder; relative source paths start here")
  Path cwd;

  @Option(names = "--pid", description = "attach to this process instead of launching")
  Long pid;

  @Option(names = "--config", description = "a launch.json file, optionally #NAME of one configurations[] entry")
  String config;

  @Option(names = "--stop-on-entry", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "stop the launched program before it runs, so breakpoints can be set (default: true)")
  boolean stopOnEntry;

  @Option(names = "--attach-adapter", description = "HOST:PORT of a debug adapter already listening")
  String attachAdapter;

  @Option(names = "--adapter-transport", description = "tcp or stdio (default: tcp when the adapter command has"
      + " --listen or --port)")
  String transport;

  @Option(names = "--max-job-time", description = "the longest any job may wait, e.g. 10m (default 30m)")
  String maxJobTime;

  @Parameters(description = "the debug adapter's command line, after --")
  List<String> adapter = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    LaunchSpec spec = LaunchSpec.of(new LaunchSpec.Options(language, program, args, cwd, pid, config, stopOnEntry,
        attachAdapter, adapter, transport == null ? null : transport.equalsIgnoreCase("tcp")));
    String realmName = name != null ? name : program != null ? Path.of(program).getFileName().toString() : "debug";
    RealmOptions options = RealmOptions.of(broker).withName(realmName).withToken(token);
    if (maxJobTime != null) {
      options = options.withMaxJobTime(duration(maxJobTime));
    }
    CountDownLatch stop = new CountDownLatch(1);
    DebugRealm realm = DebugRealm.start(options, spec, line -> System.err.println("daebug debug: " + line));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      realm.close();
      stop.countDown();
    }, "daebug-debug-shutdown"));
    System.err.println("daebug debug: realm " + realm.connection().name() + " (" + spec.language() + ") for "
        + spec.url() + "; log " + realm.connection().logFile());
    stop.await();
    return 0;
  }

  /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}. */
  static Duration duration(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("a duration is a number and ms, s, m or h, e.g. 10m; got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}

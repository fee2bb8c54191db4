package io.daebug.broker;

import ch.qos.logback.classic.Level;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.config.Durations;
import io.daebug.broker.http.BrokerExtension;
import io.daebug.broker.config.SystemProperties;
import io.daebug.broker.journal.WriteOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line entry point: parses arguments into a {@link BrokerConfig} and runs a {@link Broker}. */
@Command(name = "daebug", mixinStandardHelpOptions = true, version = "daebug 0.1.0",
    description = "Markdown REPL into live browser tabs, workers, Node processes and JVMs. Serves --root over HTTP,"
        + " injects the client into every HTML page, and journals each realm in daebug/<realm>.md.",
    sortOptions = false)
public final class Main implements Callable<Integer> {
  @Option(names = "--root", paramLabel = "DIR", description = "Folder to serve and journal into (default: the working folder).")
  Path root = Path.of("").toAbsolutePath();

  @Option(names = "--port", paramLabel = "N",
      description = "Port (default: 8100 + abs(folder name's hash) %% 1000, as the original tool; 0 = any free port).")
  Integer port;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--job-timeout", converter = DurationConverter.class, paramLabel = "DURATION", description = "Default job timeout, e.g. 60s, 500ms, 2m (default: 60s).")
  Duration jobTimeout = Durations.parse("60s");

  @Option(names = "--ping-interval", converter = DurationConverter.class, paramLabel = "DURATION", description = "How often realms are pinged (default: 5s).")
  Duration pingInterval = Durations.parse("5s");

  @Option(names = "--unresponsive-after", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "A realm with no pong for this long is listed unresponsive (default: 15s).")
  Duration unresponsiveAfter = Durations.parse("15s");

  @Option(names = "--grace", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long a disconnected realm keeps its name and queue (default: 2m).")
  Duration grace = Durations.parse("2m");

  @Option(names = "--max-message", paramLabel = "BYTES", description = "Largest WebSocket message accepted (default: ${DEFAULT-VALUE}).")
  int maxMessage = 1 << 20;

  @Option(names = "--result-cap", paramLabel = "BYTES",
      description = "Longest result text written into a log; longer ones are cut and saved whole beside it (default: ${DEFAULT-VALUE}).")
  int resultCap = 64 * 1024;

  @Option(names = "--history-above", paramLabel = "BYTES",
      description = "A log's finished history past this size moves into numbered files in daebug/<realm>.history/"
          + " (default: " + WriteOptions.DEFAULT_HISTORY_ABOVE + ", or -Ddaebug.journal.historyAbove).")
  Long historyAbove;

  @Option(names = "--durable-replies",
      description = "Fsync a reply (and every realm output) before the agent or controller is told, so that it survives"
          + " a power loss at once; two fsyncs more a job (about 1 ms on a quiet disk, 5 to 6 ms at load 10). By"
          + " default a reply is told once it is in the file, which a killed broker leaves there, and fsynced right"
          + " after.")
  boolean durableReplies;

  @Option(names = "--allow-host", paramLabel = "NAME", split = ",",
      description = "Extra host names accepted in Host and Origin headers (comma-separated).")
  List<String> allowHosts = List.of();

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Token that clients not on loopback must present (default: generated and printed when --host is not loopback).")
  String token;

  @Option(names = "--require-token",
      description = "Require the token from every controller, loopback included (one is generated and printed when --token is not given).")
  boolean requireToken;

  @Option(names = "--allow-origin", paramLabel = "ORIGIN", split = ",",
      description = "Extra origins (scheme://host[:port]) whose pages may open realm and controller sockets (comma-separated).")
  List<String> allowOrigins = List.of();

  @Option(names = "--max-realms-per-address", paramLabel = "N",
      description = "Realms one client address may have connected at once (default: ${DEFAULT-VALUE}).")
  int maxRealmsPerAddress = 1000;

  @Option(names = "--max-queue", paramLabel = "N",
      description = "Jobs one realm may have queued or running; more are refused (default: ${DEFAULT-VALUE}).")
  int maxQueue = 1000;

  @Option(names = "--tls-keystore", paramLabel = "FILE",
      description = "PKCS12 keystore: serve https:// and wss:// only (password from --tls-password or DAEBUG_TLS_PASSWORD).")
  Path tlsKeystore;

  @Option(names = "--tls-password", paramLabel = "PASSWORD", description = "Password of --tls-keystore.")
  String tlsPassword;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).")
  String logLevel = "INFO";

  private Supplier<List<BrokerExtension>> extensions = List::of;

  /** Lets picocli report a bad duration as a bad option value. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err).execute(args);
  }

  /**
   * The broker's command line, writing to {@code out} and {@code err}: the executable jar adds its other
   * commands ({@code run}, {@code mcp}, {@code debug}, ...) to it as subcommands, so {@code daebug [OPTIONS]}
   * with no command still starts the broker.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, List::of);
  }

  /**
   * The broker's command line, with extensions mounted on the broker it starts (the executable jar's MCP
   * endpoint).
   *
   * @param extensions makes the extensions of one broker, called once when it starts
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Supplier<List<BrokerExtension>> extensions) {
    Main main = new Main();
    main.extensions = extensions;
    CommandLine cli = new CommandLine(main);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      err.println("daebug: " + e.getMessage());
      return 2;
    });
    return cli;
  }

  @Override
  public Integer call() throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.toLevel(logLevel, Level.INFO));
    Path dir = root.toAbsolutePath().normalize();
    BrokerConfig config;
    try {
      String password = tlsPassword != null ? tlsPassword : System.getenv("DAEBUG_TLS_PASSWORD");
      config = new BrokerConfig(dir, host, port == null ? BrokerConfig.defaultPort(dir) : port,
          jobTimeout, pingInterval, unresponsiveAfter, grace,
          new BrokerConfig.Limits(maxMessage, resultCap, maxRealmsPerAddress, maxQueue),
          new BrokerConfig.Security(token, requireToken, allowHosts, allowOrigins,
              tlsKeystore == null ? null : tlsKeystore.toAbsolutePath(), password),
          Clock.systemDefaultZone(), (historyAbove == null ? SystemProperties.writes(System.getProperties())
              : SystemProperties.writes(System.getProperties()).withHistoryAbove(historyAbove))
              .withDurableBeforeTold(durableReplies));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    Broker broker;
    List<BrokerExtension> mounted;
    try {
      mounted = extensions.get();
      broker = Broker.start(config, mounted);
    } catch (IOException e) {
      System.err.println("daebug: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "daebug-exit"));
    List<String> banner = new java.util.ArrayList<>(Banner.lines(dir, broker.uri(), broker.config().host(),
        broker.config().token(), broker.config().requireToken(), Banner.interfaceAddresses()));
    banner.add(banner.size() - 1, "  Dashboard: " + broker.dashboardUri());
    for (BrokerExtension e : mounted) {
      String line = e.banner(broker.uri());
      if (line != null) {
        banner.add(banner.size() - 1, "  " + line);
      }
    }
    banner.forEach(System.out::println);
    broker.awaitStopped();
    return 0;
  }
}

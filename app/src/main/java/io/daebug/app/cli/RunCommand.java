package io.daebug.app.cli;

import io.daebug.app.BrokerOptions;
import io.daebug.app.JobReport;
import io.daebug.broker.config.Durations;
import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.DaebugClient;
import io.daebug.client.DaebugException;
import io.daebug.client.JobCancelledException;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.JobTimeoutException;
import io.daebug.client.RealmEvent;
import io.daebug.client.RealmInfo;
import io.daebug.client.RequestRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code daebug run REALM CODE}: runs code once in a realm through the broker, journalled under the agent name
 * {@code cli} like any controller job; prints the value on stdout (strings as they are, other values as the
 * journal shows them), the job's console lines and errors on stderr, and exits with an {@link ExitCode}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs code once in a realm and prints its value; the run is journalled in the realm's log.",
        "Exit codes: 0 value, 1 the code threw (or the job was cancelled, or its realm went away), 2 usage,"
            + " 3 no broker, 4 timeout, 5 refused (unknown realm, wrong language, full queue)."})
public final class RunCommand implements Callable<Integer> {
  /** How long a job may wait in its realm's queue on top of its own timeout before the CLI gives up. */
  static final Duration QUEUE_ALLOWANCE = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  @Spec
  CommandSpec spec;

  @Mixin
  BrokerOptions broker;

  @Parameters(index = "0", paramLabel = "REALM", description = "The realm's name, as 'realms' lists it.")
  String realm;

  @Parameters(index = "1", arity = "0..1", paramLabel = "CODE", description = "The code; '-' or none: read it from stdin.")
  String code;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the job may run, e.g. 5s, 500ms, 2m (default: 60s).")
  Duration timeout;

  @Option(names = "--language", paramLabel = "LANG", description = "The code's language (default: the realm's own).")
  String language;

  @Option(names = "--json", description = "Print the whole result as JSON (value, error, console events, timings).")
  boolean json;

  @Option(names = "--name", paramLabel = "AGENT", description = "The agent name in the journal (default: ${DEFAULT-VALUE}).")
  String name = "cli";

  /** Lets picocli report a bad duration as a bad option value. */
  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }

  private final InputStream stdin;

  /** A command reading code from {@code System.in} when none is given. */
  public RunCommand() {
    this(System.in);
  }

  RunCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String source = code == null || code.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : code;
    if (source.isBlank()) {
      err.println("daebug run: no code: pass it after the realm's name, or on stdin");
      return ExitCode.USAGE;
    }
    Duration jobTimeout = timeout != null ? timeout : DEFAULT_TIMEOUT;
    JobRequest request = new JobRequest(realm, source, language, jobTimeout);
    DaebugClient client;
    try {
      client = broker.connectOnce(name);
    } catch (BrokerUnavailableException e) {
      err.println("daebug run: no broker at " + broker.brokerUri() + ": " + broker.unavailableHint() + " ("
          + e.getMessage() + ")");
      return ExitCode.BROKER_UNAVAILABLE;
    }
    try (client) {
      JobResult result = client.run(request, jobTimeout.plus(QUEUE_ALLOWANCE));
      return report(result, ExitCode.OK, out, err);
    } catch (JobFailedException e) {
      return report(e.result(), ExitCode.JOB_FAILED, out, err);
    } catch (JobCancelledException e) {
      return report(e.result(), ExitCode.JOB_FAILED, out, err);
    } catch (JobTimeoutException e) {
      return e.result().map(r -> report(r, ExitCode.TIMEOUT, out, err)).orElseGet(() -> {
        err.println("daebug run: " + e.getMessage());
        return ExitCode.TIMEOUT;
      });
    } catch (RequestRejectedException e) {
      err.println("daebug run: " + e.getMessage() + liveRealms(client, e));
      return ExitCode.REFUSED;
    } catch (BrokerUnavailableException e) {
      err.println("daebug run: lost the broker at " + broker.brokerUri() + ": " + e.getMessage());
      return ExitCode.BROKER_UNAVAILABLE;
    } catch (DaebugException e) {
      err.println("daebug run: " + e.getMessage());
      return ExitCode.JOB_FAILED;
    }
  }

  private int report(JobResult r, int code, PrintWriter out, PrintWriter err) {
    if (json) {
      out.println(JobReport.pretty(JobReport.json(r)));
      return code;
    }
    for (RealmEvent e : r.events()) {
      err.println(JobReport.eventLine(e));
    }
    if (r.isOk()) {
      out.println(r.asText());
    } else {
      err.println(r.error().display());
    }
    return code;
  }

  private static String liveRealms(DaebugClient client, RequestRejectedException e) {
    if (!e.code().equals("unknown-realm")) {
      return "";
    }
    String live = client.realms().stream().filter(RealmInfo::isConnected).map(RealmInfo::name)
        .collect(Collectors.joining(", "));
    return live.isEmpty() ? " (no realm is connected)" : " (connected: " + live + ")";
  }
}

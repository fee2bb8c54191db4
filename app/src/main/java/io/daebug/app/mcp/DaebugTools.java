package io.daebug.app.mcp;

import io.daebug.app.JobReport;
import io.daebug.broker.journal.JournalFiles;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.DaebugClient;
import io.daebug.client.DaebugException;
import io.daebug.client.JobCancelledException;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.JobTimeoutException;
import io.daebug.client.RealmInfo;
import io.daebug.client.RealmListener;
import io.daebug.client.RequestRejectedException;
import io.daebug.client.Subscription;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The MCP tools, one implementation for both transports: each call runs on a controller connection named
 * after the calling MCP client ({@link ClientPool}), so it is journalled like any controller's job. Every
 * failure is a tool error ({@code isError}) with a text that says what to do; no call waits longer than its
 * own timeout plus {@link #QUEUE_ALLOWANCE}.
 */
final class DaebugTools {
  /** How long a job may wait in its realm's queue on top of its own timeout before the call gives up. */
  static final Duration QUEUE_ALLOWANCE = Duration.ofSeconds(30);
  static final int DEFAULT_MAX_CHARS = 20_000;
  private static final long DEFAULT_TIMEOUT_MS = 60_000;

  private final ClientPool pool;
  private final Path root;
  private final String broker;
  private final RecentJobs recent = new RecentJobs(1000);
  private final InFlightCalls calls;

  /**
   * @param pool the controller connections
   * @param root the broker's folder when it is on this machine (for read_log and the paths of full results);
   *     nullable
   * @param broker the broker's address, for error messages
   * @param calls the calls in flight, which MCP cancellation withdraws
   */
  DaebugTools(ClientPool pool, Path root, String broker, InFlightCalls calls) {
    this.pool = pool;
    this.root = root;
    this.broker = broker;
    this.calls = calls;
  }

  List<SyncToolSpecification> specifications(McpJsonMapper json) {
    return List.of(
        spec(ToolSchemas.listRealms(json), this::listRealms),
        spec(ToolSchemas.run(json), this::run),
        spec(ToolSchemas.cancel(json), this::cancel),
        spec(ToolSchemas.readLog(json), this::readLog),
        spec(ToolSchemas.waitForRealm(json), this::waitForRealm));
  }

  private interface Tool {
    CallToolResult call(DaebugClient client, String agent, Args args) throws Exception;
  }

  private SyncToolSpecification spec(io.modelcontextprotocol.spec.McpSchema.Tool tool, Tool body) {
    BiFunction<McpSyncServerExchange, io.modelcontextprotocol.spec.McpSchema.CallToolRequest, CallToolResult> handler =
        (exchange, request) -> {
          String agent = agentName(exchange.getClientInfo());
          try {
            Args args = new Args(request.arguments(),
                request.meta() == null ? null : request.meta().get(InFlightCalls.META_KEY));
            return body.call(pool.client(agent), agent, args);
          } catch (BrokerUnavailableException e) {
            return error("The Daebug broker at " + broker + " is not reachable: " + e.getMessage()
                + ". Start it in the project's folder: java -jar broker/target/daebug.jar");
          } catch (IllegalArgumentException e) {
            return error(e.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted");
          } catch (Exception e) {
            return error(tool.name() + " failed: " + e);
          }
        };
    return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
  }

  /** The agent name for the journal: the MCP client's name from its {@code initialize}, sanitised. */
  static String agentName(Implementation client) {
    return ControllerHello.agentName(client == null || client.name() == null ? "mcp" : client.name());
  }

  private CallToolResult listRealms(DaebugClient client, String agent, Args args) {
    Predicate<RealmInfo> filter = filter(args.text("name"), args.text("kind"));
    List<RealmInfo> realms = client.realms().stream().filter(filter).toList();
    return text(JobReport.pretty(JobReport.json(realms)));
  }

  private CallToolResult run(DaebugClient client, String agent, Args args) throws InterruptedException {
    String realm = args.required("realm");
    String code = args.required("code");
    long timeoutMs = args.number("timeout_ms", DEFAULT_TIMEOUT_MS, 1, 600_000);
    int maxChars = (int) args.number("max_chars", DEFAULT_MAX_CHARS, 200, 1_000_000);
    JobRequest request = new JobRequest(realm, code, args.text("language"), Duration.ofMillis(timeoutMs));
    CompletableFuture<JobResult> job = client.submit(request);
    // An MCP cancellation cancels the job's future, which cancels the job at the broker under this agent's name.
    InFlightCalls.Call call = calls.open(args.call(), () -> job.cancel(true));
    try {
      JobResult r = await(job, request, Duration.ofMillis(timeoutMs).plus(QUEUE_ALLOWANCE));
      return result(r, agent, code, maxChars);
    } catch (CancellationException e) {
      return error("cancelled: the MCP client withdrew this call (" + call.withdrawn() + "), so " + agent
          + " cancelled its job; the \uD83D\uDEAB reply in daebug/" + realm + ".md says so");
    } catch (JobFailedException e) {
      return result(e.result(), agent, code, maxChars);
    } catch (JobCancelledException e) {
      return result(e.result(), agent, code, maxChars);
    } catch (JobTimeoutException e) {
      if (e.result().isPresent()) {
        return result(e.result().get(), agent, code, maxChars);
      }
      return error(e.getMessage() + " (it waited in the realm's queue behind other jobs; see read_log)");
    } catch (RequestRejectedException e) {
      return error(refusal(client, realm, e));
    } finally {
      call.close();
    }
  }

  /** Like {@link DaebugClient#run(JobRequest, Duration)}, on a job already submitted. */
  private static JobResult await(CompletableFuture<JobResult> job, JobRequest request, Duration wait)
      throws InterruptedException {
    try {
      return job.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      job.cancel(true);
      throw new JobTimeoutException(request.realm(), wait);
    } catch (InterruptedException e) {
      job.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new DaebugException("job failed: " + e.getCause(), e.getCause());
    }
  }

  private CallToolResult result(JobResult r, String agent, String code, int maxChars) {
    recent.put(r.jobId(), new RecentJobs.Job(agent, r.realm(), code));
    String where = fullText(r);
    String head = r.jobId() + " " + r.outcome().wire() + " in " + r.realm() + " after " + JobReport.duration(r.duration())
        + (r.queued().toMillis() >= 1 ? " (queued " + JobReport.duration(r.queued()) + ")" : "") + "\n";
    String events = r.events().stream().map(JobReport::eventLine).collect(Collectors.joining("\n"));
    String eventsPart = r.events().isEmpty() ? "" : "\nconsole (" + r.events().size() + "):\n" + events + "\n";
    int eventsBudget = Math.min(eventsPart.length(), maxChars / 4);
    String body = Bounded.cut(r.display(), Math.max(100, maxChars - head.length() - eventsBudget), where) + "\n";
    String tail = Bounded.cut(eventsPart, Math.max(100, maxChars - head.length() - body.length()), where);
    return CallToolResult.builder().addTextContent(head + body + tail).isError(!r.isOk()).build();
  }

  /** The file that holds a result whole: the broker's side file of a cut value when there is one, else the log. */
  private String fullText(JobResult r) {
    String side = "daebug/" + r.realm() + ".results/" + r.jobId() + ".json";
    if (root != null && Files.exists(root.resolve(side))) {
      return side;
    }
    return "daebug/" + r.realm() + ".md (job " + r.jobId() + ")";
  }

  private CallToolResult cancel(DaebugClient client, String agent, Args args) {
    String job = args.text("job");
    String realm = args.text("realm");
    if ((job == null) == (realm == null)) {
      return error("cancel needs either job (a job id such as j-12) or realm (to cancel the job it runs now)");
    }
    if (realm != null) {
      RealmInfo info = client.realm(realm).orElse(null);
      if (info == null) {
        return error(unknownRealm(client, realm));
      }
      if (info.job().isEmpty()) {
        return error("realm " + realm + " is running no job now (state: " + info.state() + ")");
      }
      job = info.job();
    }
    if (!client.cancel(job)) {
      return error("not connected to the broker at " + broker + "; try again");
    }
    return text("asked the broker to cancel " + job + (realm != null ? " (running in " + realm + ")" : "")
        + "; its submitter gets outcome cancelled and the log a \uD83D\uDEAB reply naming " + agent
        + " (a job that already ended is left as it is)");
  }

  private CallToolResult readLog(DaebugClient client, String agent, Args args) throws IOException {
    String realm = args.required("realm");
    int maxChars = (int) args.number("max_chars", DEFAULT_MAX_CHARS, 200, 1_000_000);
    if (root == null) {
      return error("read_log reads the broker's files, and this MCP server does not know the broker's folder: run"
          + " it in that folder, or pass --root DIR");
    }
    String log = client.realm(realm).map(RealmInfo::log).filter(l -> !l.isEmpty())
        .orElse(realm.matches("[a-z0-9-]{1,64}") ? "daebug/" + realm + ".md" : null);
    if (log == null) {
      return error(unknownRealm(client, realm));
    }
    Path file = root.resolve(log).normalize();
    if (!file.startsWith(root.resolve("daebug"))) {
      return error("the broker lists the log of " + realm + " outside its daebug/ folder: " + log);
    }
    String text;
    try {
      text = JournalFiles.read(file);
    } catch (NoSuchFileException e) {
      return error("no log " + log + " in " + root + ": " + unknownRealm(client, realm));
    }
    List<String> entries = LogEntries.parse(text);
    List<String> chosen;
    String sinceJob = args.text("since_job");
    if (sinceJob != null) {
      RecentJobs.Job j = recent.get(sinceJob);
      if (j == null || !j.realm().equals(realm)) {
        return error("job " + sinceJob + " was not run in " + realm + " through this MCP server; use last instead");
      }
      chosen = LogEntries.since(entries, j.agent(), realm, j.code());
      if (chosen.isEmpty()) {
        return error("the request of " + sinceJob + " is no longer in " + log + " (moved to an archive file?); use last");
      }
    } else {
      int last = (int) args.number("last", 10, 1, 1000);
      chosen = entries.subList(Math.max(0, entries.size() - last), entries.size());
    }
    String head = log + ": " + chosen.size() + " of " + entries.size() + " entries\n\n";
    return text(head + Bounded.cutFront(String.join("", chosen), maxChars - head.length(), log));
  }

  private CallToolResult waitForRealm(DaebugClient client, String agent, Args args) throws InterruptedException {
    String pattern = args.text("name");
    long timeoutMs = args.number("timeout_ms", 30_000, 1, 600_000);
    Predicate<RealmInfo> wanted = filter(pattern, args.text("kind"))
        .and(r -> r.isConnected() && !r.state().startsWith("unresponsive"));
    CompletableFuture<RealmInfo> found = new CompletableFuture<>();
    Subscription listening = client.addRealmListener(new RealmListener() {
      @Override
      public void realmChanged(RealmInfo realm) {
        if (wanted.test(realm)) {
          found.complete(realm);
        }
      }
    });
    InFlightCalls.Call call = calls.open(args.call(), () -> found.cancel(true));
    try {
      client.realms().stream().filter(wanted).findFirst().ifPresent(found::complete);
      return text(JobReport.pretty(JobReport.json(found.get(timeoutMs, TimeUnit.MILLISECONDS))));
    } catch (CancellationException e) {
      return error("cancelled: the MCP client withdrew this call (" + call.withdrawn() + ")");
    } catch (TimeoutException e) {
      return error("no connected realm matches " + (pattern == null ? "*" : pattern) + " after " + timeoutMs
          + " ms. " + connected(client));
    } catch (ExecutionException e) {
      throw new DaebugException("waiting for a realm failed", e.getCause());
    } finally {
      call.close();
      listening.close();
    }
  }

  private String refusal(DaebugClient client, String realm, RequestRejectedException e) {
    return switch (e.code()) {
      case "unknown-realm" -> unknownRealm(client, realm);
      case "wrong-language" -> e.getMessage() + " (leave language out to use the realm's own)";
      default -> e.getMessage() + " [" + e.code() + "]";
    };
  }

  private String unknownRealm(DaebugClient client, String realm) {
    return "no realm named " + realm + ". " + connected(client);
  }

  private static String connected(DaebugClient client) {
    List<String> live = client.realms().stream().filter(RealmInfo::isConnected)
        .map(r -> r.name() + " (" + r.kind() + (r.title().isEmpty() ? "" : ", \"" + r.title() + "\"") + ")").toList();
    return live.isEmpty() ? "No realm is connected: open a page the broker serves, or start a realm (wait_for_realm waits for one)."
        : "Connected realms: " + String.join(", ", live) + ".";
  }

  private static Predicate<RealmInfo> filter(String glob, String kind) {
    Pattern p = glob == null ? null : Pattern.compile(glob.chars().mapToObj(c -> c == '*' ? ".*" : c == '?' ? "."
        : Pattern.quote(Character.toString(c))).collect(Collectors.joining()));
    return r -> (p == null || p.matcher(r.name()).matches()) && (kind == null || kind.equals(r.kind()));
  }

  private static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).isError(false).build();
  }

  private static CallToolResult error(String text) {
    return CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  /** A call's arguments, checked as they are read, and its key in {@link InFlightCalls} (null if none). */
  private record Args(Map<String, Object> map, Object call) {
    Args {
      map = map == null ? Map.of() : map;
    }

    String text(String name) {
      Object v = map.get(name);
      if (v == null) {
        return null;
      }
      if (!(v instanceof String s)) {
        throw new IllegalArgumentException(name + " must be a string");
      }
      return s.isEmpty() ? null : s;
    }

    String required(String name) {
      Object v = map.get(name);
      if (!(v instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(name + " is required (a non-empty string)");
      }
      return s;
    }

    long number(String name, long fallback, long min, long max) {
      Object v = map.get(name);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new IllegalArgumentException(name + " must be a whole number");
      }
      if (n.longValue() < min || n.longValue() > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n.longValue();
    }
  }
}

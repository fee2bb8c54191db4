package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real broker (in this JVM) and debug realms as users start them ({@code java -jar daebug.jar debug ...}, in
 * processes of their own, each with its real debug adapter), with the realms' logs read and appended to as an
 * agent does. Shared by the debug realm ITs.
 */
final class DebugRig implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  private final Path root;
  private final Broker broker;
  private final boolean ownsBroker;
  private final List<Realm> realms = new ArrayList<>();
  private final AtomicInteger asks = new AtomicInteger();

  DebugRig(Path root) throws IOException {
    this(root, Broker.start(BrokerConfig.defaults(root).withPort(0).withJobTimeout(Duration.ofSeconds(30))), true);
  }

  private DebugRig(Path root, Broker broker, boolean ownsBroker) {
    this.root = root;
    this.broker = broker;
    this.ownsBroker = ownsBroker;
  }

  /** Realms of a broker someone else started (and closes). */
  static DebugRig around(Path root, Broker broker) {
    return new DebugRig(root, broker, false);
  }

  String uri() {
    return broker.uri().toString();
  }

  Path root() {
    return root;
  }

  /** A debug realm process: {@code daebug.jar debug --broker URI <args>}. */
  final class Realm implements AutoCloseable {
    final String name;
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();

    Realm(String name, List<String> args) throws IOException {
      this.name = name;
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", BrokerProcess.jar().toString(), "debug", "--broker", uri(), "--name", name));
      command.addAll(args);
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread t = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            output.add(line);
          }
        } catch (IOException e) {
          output.add("(output closed: " + e + ")");
        }
      }, "debug-realm-output-" + name);
      t.setDaemon(true);
      t.start();
    }

    Path log() {
      return root.resolve("daebug").resolve(name + ".md");
    }

    String read() {
      return LogFile.read(log());
    }

    /** Waits until the log contains {@code text} (a background event is written within a second); returns it. */
    String awaitLogContains(String text) {
      String[] log = new String[1];
      await(WAIT).untilAsserted(() -> assertThat(log[0] = read()).contains(text));
      return log[0];
    }

    /**
     * Waits until the broker runs the request {@code agent} appended and the program runs: its placeholder is in the
     * log (the broker starts the job as that write ends, before it reads the log again, so a {@code %%CANCEL%%} line
     * or an adapter's death that comes now finds it running), then the registry says so. The registry alone is not
     * enough: it is written on a thread of its own and may still show {@code running} from an earlier job.
     */
    void awaitStarted(String agent) {
      awaitLogContains("#### \uD83D\uDC4D" + name + " to " + agent + " at ");
      awaitListed("executing, running");
    }

    /** Waits for the realm's registry line to contain {@code text}; returns the line. */
    String awaitListed(String text) {
      String[] line = new String[1];
      await(WAIT).untilAsserted(() -> {
        assertThat(process.isAlive()).as("debug realm %s alive; output:%n%s", name, String.join("\n", output)).isTrue();
        String registry = LogFile.read(root.resolve("daebug.md"));
        line[0] = registry.lines().filter(l -> l.startsWith("* [" + name + "]")).findFirst().orElse("");
        assertThat(line[0]).as("registry line of %s; realm output:%n%s", name, String.join("\n", output))
            .contains(text);
      });
      return line[0];
    }

    /**
     * Appends a request with fence {@code tag} holding {@code code}, under an agent name of its own, and returns
     * its reply: from the reply header ({@code #### 👍} or {@code #### 🚫}, with its duration) to the next
     * request, background block or the footer.
     */
    String ask(String tag, String code) {
      String agent = "t" + asks.incrementAndGet();
      String request = "### \uD83D\uDDE3\uFE0F" + agent + " to " + name + " at 00:00:00\n```" + tag + "\n" + code
          + "\n```\n";
      append(request);
      return awaitReply(agent);
    }

    void append(String text) {
      try {
        Files.writeString(log(), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String awaitReply(String agent) {
      Pattern header = Pattern.compile("(?m)^#### (?:\uD83D\uDC4D|\uD83D\uDEAB)" + Pattern.quote(name) + " to "
          + Pattern.quote(agent) + " at \\d\\d:\\d\\d:\\d\\d \\(");
      String[] reply = new String[1];
      await(WAIT).untilAsserted(() -> {
        String text = read();
        Matcher m = header.matcher(text);
        assertThat(m.find()).as("reply to %s in %s; realm output:%n%s%nlog:%n%s", agent, name,
            String.join("\n", output), text).isTrue();
        int end = text.length();
        for (String stop : List.of("\n### ", "\n" + "-".repeat(70))) {
          int at = text.indexOf(stop, m.start());
          end = at >= 0 ? Math.min(end, at) : end;
        }
        reply[0] = text.substring(m.start(), end);
      });
      return reply[0];
    }

    /** Kills the debug adapter (SIGKILL), as a crash would. */
    void killAdapter(String command) {
      List<ProcessHandle> adapters = process.descendants()
          .filter(p -> p.info().commandLine().orElse("").contains(command)).toList();
      assertThat(adapters).as("the adapter process %s under the realm", command).isNotEmpty();
      adapters.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  Realm realm(String name, String... args) throws IOException {
    Realm r = new Realm(name, List.of(args));
    realms.add(r);
    return r;
  }

  /** Runs a build command in {@code dir} and fails with its output when it fails. */
  static void run(Path dir, List<String> command, String... env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    for (int i = 0; i + 1 < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s failed:%n%s", command, out).isZero();
  }

  /** Copies a test resource (a program's source) into {@code dir}. */
  static Path resource(String name, Path dir) throws IOException {
    Path to = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
    try (var in = DebugRig.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      Files.copy(in, to);
    }
    return to;
  }

  @Override
  public void close() {
    realms.forEach(Realm::close);
    if (ownsBroker) {
      broker.close();
    }
  }
}

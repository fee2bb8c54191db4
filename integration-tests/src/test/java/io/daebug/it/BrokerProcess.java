package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The broker as users run it: {@code java -jar broker/target/daebug.jar} in its own process. */
final class BrokerProcess implements AutoCloseable {
  private static final Pattern OPEN = Pattern.compile("Open (https?://\\S+) in a browser");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private BrokerProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::drain, "broker-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The jar built by the broker module; failsafe runs after {@code package}, so it exists. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("../broker/target/daebug.jar")
        .normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the broker first (mvn install -DskipTests)");
    }
    return jar;
  }

  /** Starts {@code java -jar daebug.jar --root <root> --port 0 <args>} ({@code --port 0} unless {@code args} has a port). */
  static BrokerProcess start(Path root, String... args) throws IOException {
    return start(List.of(), root, args);
  }

  /** Starts {@code java -jar daebug.jar --root <root> --port <port> <args>} (a restart on the same port). */
  static BrokerProcess startOnPort(Path root, int port, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--port", String.valueOf(port)));
    all.addAll(List.of(args));
    return start(root, all.toArray(String[]::new));
  }

  /**
   * Starts the broker behind a command {@code prefix} such as {@code ip netns exec NS} (which execs, so the
   * process is the JVM itself and {@link #kill()} reaches it).
   */
  static BrokerProcess start(List<String> prefix, Path root, String... args) throws IOException {
    return start(prefix, List.of(), root, args);
  }

  /** Starts the broker with options for its JVM ({@code -XX:TieredStopAtLevel=1}) before {@code -jar}. */
  static BrokerProcess start(List<String> prefix, List<String> jvmOptions, Path root, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString(), "--root", root.toString()));
    if (!List.of(args).contains("--port")) {
      command.addAll(List.of("--port", "0"));
    }
    command.addAll(List.of(args));
    return new BrokerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private void drain() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        output.add(line);
      }
    } catch (IOException e) {
      output.add("(output closed: " + e + ")");
    }
  }

  /**
   * Waits for the {@code Open http://127.0.0.1:PORT/ in a browser} line and returns that URL (with
   * {@code ?token=...} when the broker has a token, {@code https} with a keystore).
   */
  URI awaitUri() {
    String[] uri = new String[1];
    await().untilAsserted(() -> {
      assertThat(process.isAlive()).as("broker process alive; output:%n%s", output()).isTrue();
      Matcher m = output.stream().map(OPEN::matcher).filter(Matcher::find).findFirst().orElse(null);
      assertThat(m).as("the Open ... line in the output:%n%s", output()).isNotNull();
      uri[0] = m.group(1);
    });
    return URI.create(uri[0]);
  }

  Process process() {
    return process;
  }

  /** The port of the URL the broker printed (waits for it). */
  int port() {
    return awaitUri().getPort();
  }

  /** Kills it at once (SIGKILL): no shutdown hook runs, the journal and registry stay as they were. */
  void kill() {
    process.destroyForcibly();
    try {
      process.onExit().get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("broker process " + process.pid() + " survived SIGKILL", e);
    }
  }

  String output() {
    return String.join("\n", output);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
    }
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}

package io.daebug.client.realm;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.client.testing.RealBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real broker on 127.0.0.1, port 0, over a temporary root; restartable on the same port and root.
 * Requests are appended to logs as an agent's editor would, and replies read back from the files.
 */
public final class BrokerRig implements AutoCloseable {
  public static final String RULE = "-".repeat(70);
  public static final String JAVA_FOOTER =
      RULE + "\n> Append your Java snippet below to execute against this realm.\n\n";
  public static final String OK = "#### \uD83D\uDC4D"; // #### 👍
  public static final String FAIL = "#### \uD83D\uDEAB"; // #### 🚫
  public static final String SAID = "### \uD83D\uDDE3\uFE0F"; // ### 🗣️
  private static final Pattern FINAL_HEADER = Pattern.compile(
      "^#### (\uD83D\uDC4D|\uD83D\uDEAB)\\S+ to \\S+ at \\d\\d:\\d\\d:\\d\\d \\((\\d+ms|\\d+\\.\\ds)\\)");

  private final Path root;
  private Broker broker;
  private final int port;

  private BrokerRig(Path root, Broker broker) {
    this.root = root;
    this.broker = broker;
    this.port = broker.port();
  }

  /** Pings every 200 ms, unresponsive after 2 s, 30 s grace, 30 s job timeout. */
  static BrokerConfig config(Path root, int port) {
    return BrokerConfig.defaults(root).withPort(port).withJobTimeout(Duration.ofSeconds(30))
        .withLiveness(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30));
  }

  public static BrokerRig start(Path root) throws IOException {
    return new BrokerRig(root, Broker.start(config(root, 0)));
  }

  /** Stops the broker and starts a new one on the same port and root. */
  public void restart() throws IOException {
    broker.close();
    broker = Broker.start(config(root, port));
  }

  /** Stops the broker (a later {@link #restart()} starts it again). */
  public void stop() {
    broker.close();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public Path root() {
    return root;
  }

  public Path logFile(String realm) {
    return root.resolve("daebug").resolve(realm + ".md");
  }

  /** A realm's log, or "" while it does not exist. */
  public String log(String realm) {
    return read(logFile(realm));
  }

  /** {@code daebug.md}, or "" while it does not exist. */
  public String registry() {
    return read(root.resolve("daebug.md"));
  }

  /** Appends text to a realm's log as an editor would (plain append). */
  public void append(String realm, String text) {
    try {
      Files.writeString(logFile(realm), text, UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends a request of agent {@code tester} with one fence of {@code info} holding {@code code}, once
   * the log exists (the broker creates it just after welcoming the realm).
   */
  public void request(String realm, String info, String code) {
    TestAwait.await().until(() -> Files.exists(logFile(realm)));
    append(realm, SAID + "tester to " + realm + " at 10:00:00\n```" + info + "\n" + code + "\n```\n");
  }

  /**
   * What follows the fence {@code info}/{@code code} once its reply is final (a header with a duration),
   * up to the next request or the footer; null while there is no final reply.
   */
  public String reply(String realm, String info, String code) {
    String log = log(realm);
    String fence = "```" + info + "\n" + code + "\n```\n";
    int at = log.indexOf(fence);
    if (at < 0) {
      return null;
    }
    String rest = log.substring(at + fence.length());
    int end = rest.length();
    for (String stop : new String[] {"\n" + SAID, "\n" + RULE + "\n"}) {
      int i = rest.indexOf(stop);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    String reply = rest.substring(0, end);
    Matcher m = FINAL_HEADER.matcher(reply);
    return m.find() ? reply : null;
  }

  static String read(Path p) {
    return RealBroker.read(p);
  }

  @Override
  public void close() {
    broker.close();
  }
}

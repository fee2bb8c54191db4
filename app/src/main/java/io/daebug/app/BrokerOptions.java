package io.daebug.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.BrokerUnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the commands that use the Java client find the broker (a picocli mixin): {@code --broker URL}, else
 * the broker of the folder ({@code --root}, default the working folder) as its lock file
 * {@code daebug/.broker} names it while it runs, else the broker's own default port for that folder
 * ({@link BrokerConfig#defaultPort}).
 */
public final class BrokerOptions {
  /** The lock file a running broker keeps in its root's {@code daebug/} folder. */
  static final String LOCK_FILE = "daebug/.broker";

  @Option(names = "--broker", paramLabel = "URL",
      description = "The broker's address, as it printed it (default: the broker of --root: its daebug/.broker, else its"
          + " default port).")
  URI broker;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The broker's token (default: the URL's ?token=, else the DAEBUG_TOKEN environment variable).")
  String token;

  @Option(names = "--root", paramLabel = "DIR", description = "The broker's folder (default: the working folder).")
  Path root = Path.of("");

  /** The broker's folder, absolute. */
  public Path root() {
    return root.toAbsolutePath().normalize();
  }

  /** The broker's address: {@code --broker}, else the folder's lock file, else its default port. */
  public URI brokerUri() {
    if (broker != null) {
      return broker;
    }
    URI locked = fromLockFile(root().resolve(LOCK_FILE));
    return locked != null ? locked : URI.create("http://127.0.0.1:" + BrokerConfig.defaultPort(root()) + "/");
  }

  /**
   * Options of a client that connects once and fails fast: a command line tool must not wait for a broker that
   * is not there.
   *
   * @param clientName the agent name the broker journals
   */
  public ClientOptions clientOptions(String clientName) {
    ClientOptions options = ClientOptions.of(brokerUri()).withClientName(clientName)
        .withConnectTimeout(Duration.ofSeconds(5));
    String t = token != null ? token : System.getenv("DAEBUG_TOKEN");
    if (t != null && !t.isEmpty() && options.token() == null) {
      options = options.withToken(t);
    }
    return options;
  }

  /**
   * Checks that something listens at the broker's address, with a plain TCP connect of at most a second: a
   * command line tool says "no broker" at once instead of starting a WebSocket client first.
   *
   * @throws BrokerUnavailableException when nothing listens there
   */
  public void probe() {
    URI uri = brokerUri();
    String host = uri.getHost();
    if (host == null) {
      return; // ClientOptions says what is wrong with it
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
    } catch (IOException e) {
      throw new BrokerUnavailableException("nothing listens at " + host + ":" + port + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A client for one command: checks that the broker listens ({@link #probe()}), connects once, and does not
   * reconnect.
   *
   * @param clientName the agent name the broker journals
   * @throws BrokerUnavailableException when the broker cannot be reached or refuses the connection
   */
  public DaebugClient connectOnce(String clientName) {
    probe();
    return Daebug.connect(clientOptions(clientName).withReconnect(false));
  }

  /** What to tell a user whose broker cannot be reached. */
  public String unavailableHint() {
    return broker != null ? "is it running, and is the token right (--token)?"
        : "start one in " + root() + " with: java -jar broker/target/daebug.jar --root " + root()
            + ", or pass --broker URL";
  }

  /** The URL in a broker's lock file when the process it names is alive; null otherwise. */
  static URI fromLockFile(Path lock) {
    try {
      if (!Files.isRegularFile(lock)) {
        return null;
      }
      JsonNode info = new ObjectMapper().readTree(Files.readAllBytes(lock));
      if (info == null || !info.hasNonNull("url")) {
        return null;
      }
      if (info.hasNonNull("pid") && ProcessHandle.of(info.get("pid").asLong()).map(ProcessHandle::isAlive)
          .orElse(false) == Boolean.FALSE) {
        return null;
      }
      return URI.create(info.get("url").asText());
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }
}

package io.daebug.client.testing;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.JournalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The real broker on 127.0.0.1 over a temporary project folder, on port 0 (or on a given port, to
 * restart "the same" broker). Jobs time out after 10 s, realms are pinged every 200 ms and keep their
 * name for 30 s after a disconnect.
 */
public final class RealBroker implements AutoCloseable {
  private final Broker broker;
  private final Path root;
  private final UnaryOperator<BrokerConfig> tweak;
  private final int port;

  private RealBroker(Broker broker, Path root, UnaryOperator<BrokerConfig> tweak) {
    this.broker = broker;
    this.root = root;
    this.tweak = tweak;
    this.port = broker.port();
  }

  /** Starts a broker on a free port. */
  public static RealBroker start(Path root) {
    return start(root, UnaryOperator.identity());
  }

  /** Starts a broker on a free port with a changed config (e.g. a token). */
  public static RealBroker start(Path root, UnaryOperator<BrokerConfig> tweak) {
    return start(root, 0, tweak);
  }

  private static RealBroker start(Path root, int port, UnaryOperator<BrokerConfig> tweak) {
    BrokerConfig config = tweak.apply(BrokerConfig.defaults(root).withPort(port).withJobTimeout(Duration.ofSeconds(10))
        .withLiveness(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30)));
    try {
      return new RealBroker(Broker.start(config), root, tweak);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new broker on the same root, port and config (call after {@link #close()}): a broker restart. */
  public RealBroker restart() {
    return start(root, port(), tweak);
  }

  /** The bound port (still known after {@link #close()}). */
  public int port() {
    return port;
  }

  /** The page URL, as the broker prints it (with {@code ?token=} when it has a token). */
  public URI uri() {
    return broker.uri();
  }

  /** The page URL without a token. */
  public URI plainUri() {
    return URI.create("http://127.0.0.1:" + port() + "/");
  }

  /** A realm's log, or "" while it does not exist. */
  public String log(String realm) {
    return read(root.resolve("daebug").resolve(realm + ".md"));
  }

  /** A file's text with its history parts put back ({@link JournalFiles#readWithHistory}), "" while it does not exist. */
  public static String read(Path p) {
    try {
      return JournalFiles.readWithHistory(p);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  /** A log with every {@code HH:MM:SS} and {@code (Nms)} made constant, for comparisons. */
  public String normalisedLog(String realm) {
    return log(realm).replaceAll("\\b\\d\\d:\\d\\d:\\d\\d\\b", "HH:MM:SS").replaceAll("\\(\\d+ms\\)", "(Nms)");
  }

  @Override
  public void close() {
    broker.close();
  }
}

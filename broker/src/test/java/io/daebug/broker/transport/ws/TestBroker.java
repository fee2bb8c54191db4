package io.daebug.broker.transport.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.journal.JournalFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

/**
 * A real broker on 127.0.0.1 port 0 over a project folder, with a fixed wall clock so every
 * {@code HH:MM:SS} in the journal is known ({@value #NOW}); durations still come from the real ticker.
 */
final class TestBroker implements AutoCloseable {
  /** What the fixed clock shows; single digits check the zero padding. */
  static final String NOW = "09:05:03";
  static final Instant CLOCK_INSTANT = Instant.parse("2026-11-25T09:05:03Z");

  private final Broker broker;
  private final Path root;

  private TestBroker(Broker broker, Path root) {
    this.broker = broker;
    this.root = root;
  }

  /** Defaults for these tests: 10 s jobs, pings every 200 ms, unresponsive after 2 s, 30 s grace. */
  static BrokerConfig config(Path root) {
    BrokerConfig d = BrokerConfig.defaults(root);
    return new BrokerConfig(root, d.host(), 0, Duration.ofSeconds(10), Duration.ofMillis(200),
        Duration.ofSeconds(2), Duration.ofSeconds(30), d.limits(), d.security(),
        Clock.fixed(CLOCK_INSTANT, ZoneOffset.UTC), d.writes());
  }

  static TestBroker start(Path root) throws IOException {
    return start(root, UnaryOperator.identity());
  }

  static TestBroker start(Path root, UnaryOperator<BrokerConfig> tweak) throws IOException {
    return new TestBroker(Broker.start(tweak.apply(config(root))), root);
  }

  /** A broker whose timing reads {@code ticker} (the system ticker plus what a test adds). */
  static TestBroker start(Path root, com.github.benmanes.caffeine.cache.Ticker ticker) throws IOException {
    return new TestBroker(Broker.start(config(root), ticker), root);
  }

  Broker broker() {
    return broker;
  }

  Path root() {
    return root;
  }

  int port() {
    return broker.port();
  }

  URI realmUri() {
    return URI.create("ws://127.0.0.1:" + port() + WsServer.REALM_PATH);
  }

  Path logFile(String realm) {
    return root.resolve("daebug").resolve(realm + ".md");
  }

  /** A realm's log, or "" while it does not exist. */
  String log(String realm) {
    return read(logFile(realm));
  }

  /** {@code daebug.md}, or "" while it does not exist. */
  String registry() {
    return read(root.resolve("daebug.md"));
  }

  /** Appends text to a realm's log as an agent's editor would (plain append, no rename). */
  void append(String realm, String text) throws IOException {
    Files.writeString(logFile(realm), text, UTF_8, StandardOpenOption.APPEND);
  }

  /**
   * The file's text with its history parts put back ({@link JournalFiles#readWithHistory}), "" while it does not
   * exist.
   */
  static String read(Path p) {
    try {
      return JournalFiles.readWithHistory(p);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new AssertionError("cannot read " + p + ": " + e, e);
    }
  }

  @Override
  public void close() {
    broker.close();
  }
}

package io.daebug.it;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import java.io.IOException;
import io.daebug.broker.http.BrokerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One in-process broker on port 0 serving a temporary root, and one headless Chromium with a tab per
 * page it opens. A test class shares it; each test works in its own page, hence its own realm and log.
 */
final class BrowserFixture implements AutoCloseable {
  private final Broker broker;
  private final Chromium chromium;
  private final Registry registry;

  private BrowserFixture(Broker broker, Chromium chromium, Path root) {
    this.broker = broker;
    this.chromium = chromium;
    this.registry = new Registry(root);
  }

  /** Writes the pages into {@code root}, starts a broker there and a browser; {@link #realm} opens a page. */
  static BrowserFixture start(Path root, UnaryOperator<BrokerConfig> config, String... pages) throws IOException {
    return start(root, config, List.of(), pages);
  }

  /** As {@link #start(Path, UnaryOperator, String...)}, with extensions on the broker (the jar's MCP endpoint). */
  static BrowserFixture start(Path root, UnaryOperator<BrokerConfig> config, List<BrokerExtension> extensions,
      String... pages) throws IOException {
    for (String page : pages) {
      Pages.write(root, page);
    }
    Broker broker = Broker.start(config.apply(BrokerConfig.defaults(root).withPort(0)), extensions);
    try {
      return new BrowserFixture(broker, Chromium.launch(), root);
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  static BrowserFixture start(Path root, String... pages) throws IOException {
    return start(root, UnaryOperator.identity(), pages);
  }

  Broker broker() {
    return broker;
  }

  Registry registry() {
    return registry;
  }

  String url(String page) {
    return broker.uri() + page;
  }

  /** Opens any address in a new tab, in front of the others, without waiting for anything. */
  Chromium.Tab open(String url) {
    return chromium.openTab(url);
  }

  /** Opens {@code page} in a new tab and waits for it to be live; returns its log. */
  LogFile realm(String page) {
    chromium.openTab(url(page));
    return registry.awaitLive(url(page));
  }

  @Override
  public void close() {
    try {
      chromium.close();
    } finally {
      broker.close();
    }
  }
}

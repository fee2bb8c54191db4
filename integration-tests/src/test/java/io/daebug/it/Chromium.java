package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A headless Chromium with a fresh profile; tests open their pages as new tabs. {@link #close()} ends
 * the whole process tree (renderers, zygotes, GPU process) and deletes the profile.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;

  private Chromium(Process process, Path profile) {
    this.process = process;
    this.profile = profile;
  }

  /**
   * Launches Chromium on {@code about:blank}; {@link #openTab} adds tabs (headless Chromium refuses
   * several URLs on its command line). Fails loudly when Chromium is not installed.
   */
  static Chromium launch() throws IOException {
    return launch(false, List.of());
  }

  /**
   * Launches Chromium with {@code extraFlags} (e.g. {@code --ignore-certificate-errors}, {@code --host-resolver-rules=...}).
   *
   * @param throttled leave Chromium's background throttling on (hidden tabs get their timers slowed, as in a user's
   *     browser); by default it is off, because tabs other than the first are in the background
   */
  static Chromium launch(boolean throttled, List<String> extraFlags) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("The integration tests drive a real headless Chromium at " + BINARY
          + ", which is missing; install it (e.g. apt-get install chromium) and run the tests again");
    }
    Path profile = Files.createTempDirectory("daebug-chromium-");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile,
        // A job's window.open stands in for the user's "Duplicate tab" (both copy sessionStorage).
        "--disable-popup-blocking",
        // DevTools on a port of Chromium's choosing, written to <profile>/DevToolsActivePort; used to open tabs.
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"));
    if (!throttled) {
      // Tabs other than the first are in the background; their timers must not be throttled.
      command.addAll(List.of("--disable-background-timer-throttling", "--disable-renderer-backgrounding",
          "--disable-backgrounding-occluded-windows"));
    }
    command.addAll(extraFlags);
    command.add("about:blank");
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(profile.resolveSibling(profile.getFileName() + ".log").toFile()))
        .start();
    return new Chromium(process, profile);
  }

  /** Launches Chromium and opens each URL in its own tab. */
  static Chromium open(String... urls) throws IOException {
    Chromium chromium = launch();
    try {
      for (String url : urls) {
        chromium.openTab(url);
      }
      return chromium;
    } catch (RuntimeException e) {
      chromium.close();
      throw e;
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** A tab as DevTools knows it: its target id and the WebSocket URL that drives it. */
  record Tab(String id, String webSocketDebuggerUrl) {}

  /** Opens {@code url} in a new tab, in front of the others (DevTools {@code PUT /json/new}). */
  Tab openTab(String url) {
    Path portFile = profile.resolve("DevToolsActivePort");
    await().untilAsserted(() -> {
      assertThat(process.isAlive()).as("chromium is running").isTrue();
      assertThat(portFile).as("DevTools port file").isNotEmptyFile();
    });
    try {
      String port = Files.readAllLines(portFile).get(0).strip();
      HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?" + url))
          .PUT(HttpRequest.BodyPublishers.noBody())
          .timeout(Duration.ofSeconds(10))
          .build();
      HttpResponse<String> response = HTTP.send(put, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("DevTools answer to opening %s: %s", url, response.body()).isEqualTo(200);
      JsonNode target = JSON.readTree(response.body());
      return new Tab(target.path("id").asText(), target.path("webSocketDebuggerUrl").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening " + url, e);
    }
  }

  /** Ends Chromium and every process it started, then deletes the profile. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        p.destroyForcibly();
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    TempDirs.deleteTree(profile);
    profile.resolveSibling(profile.getFileName() + ".log").toFile().delete();
  }
}

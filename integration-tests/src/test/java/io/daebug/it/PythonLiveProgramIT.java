package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live Python program (an {@code http.server} app) that attaches a realm to itself with {@code daebug.attach}: jobs
 * read and change its objects while it serves requests, its own output becomes background events, and its realm
 * connection is cut in the middle of a job and restored (a {@link TcpForwarder} stands for the network).
 */
class PythonLiveProgramIT {
  /** The user's program: a counter service; the realm attaches after the server is made, then it serves forever. */
  private static final String APP = """
      import http.server, json, sys
      import daebug

      hits = {"count": 0}

      class Handler(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              hits["count"] += 1
              body = json.dumps(hits).encode()
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)

          def log_message(self, format, *args):
              if self.path != "/health":
                  print("served", self.path)

      server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
      print("listening on", server.server_address[1], flush=True)
      daebug.attach(sys.argv[1], name="shop")
      server.serve_forever()
      """;

  @TempDir
  static Path root;

  static BrokerProcess broker;
  static TcpForwarder network;
  static PythonRealmProcess app;
  static LogFile log;
  static URI service;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    broker = BrokerProcess.start(root);
    broker.awaitUri();
    network = TcpForwarder.start(broker.port());
    Files.writeString(root.resolve("app.py"), APP);
    app = PythonRealmProcess.program(root.resolve("app.py"), root, "http://127.0.0.1:" + network.port() + "/");
    log = new Registry(root).awaitPython("shop", app, "live", broker::output);
    Pattern listening = Pattern.compile("listening on (\\d+)");
    await().untilAsserted(() -> assertThat(listening.matcher(app.output()).find()).as(app.output()).isTrue());
    Matcher m = listening.matcher(app.output());
    assertThat(m.find()).isTrue();
    service = URI.create("http://127.0.0.1:" + m.group(1) + "/");
  }

  @AfterAll
  static void stop() {
    try {
      if (app != null) {
        app.close();
      }
    } finally {
      try {
        if (network != null) {
          network.close();
        }
      } finally {
        if (broker != null) {
          broker.close();
        }
      }
    }
  }

  @Test
  void jobsReadAndChangeTheProgramsObjectsWhileItServes() throws Exception {
    get();
    int served = count(get());
    log.append("```python\nhits['count']\n```\n");
    log.awaitFind("```python\nhits['count']\n```\n#### 👍shop to agent at {time} ({ms})\n```JSON\n" + served
        + "\n```\n");

    log.append("```python\nhits['count'] = 100\nserver.server_address[1]\n```\n");
    log.awaitFind("```JSON\n" + service.getPort() + "\n```\n");
    assertThat(count(get())).as("the program's counter, changed by the job").isEqualTo(101);
    // The program's own output goes on to its stdout and is journalled as background events, each once.
    log.awaitFind("##### ☑️console.log\n```Text console.log\n{time} served /\n```\n");
    Pattern event = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d served /$", Pattern.MULTILINE);
    await().untilAsserted(() -> assertThat(event.matcher(log.read()).results().count()).isEqualTo(3));
    assertThat(app.output()).contains("served /");
  }

  @Test
  void aConnectionCutMidJobIsAnsweredLateAndItsEventsArriveOnce() throws IOException {
    String job = """
        import os, time
        print('before the cut')
        while not os.path.exists('resume.go'):
            time.sleep(0.02)
        print('while away')
        open('resume.done', 'w').close()
        'done'""";
    log.append("```python\n" + job + "\n```\n");
    await().untilAsserted(() -> assertThat(network.fromRealm()).anyMatch(f -> f.contains("before the cut")));
    int hellosBefore = hellos().size();
    network.refuse(true);
    network.cut();

    String request = "### 🗣️agent to shop at {time}\n```python\n" + job + "\n```\n";
    String disconnected = """
        #### 🚫shop to agent at {time} ({ms})
        ```Error
        realm disconnected while executing
        ```
        ##### ☑️console.log
        ```Text console.log
        {time} before the cut
        ```
        """;
    log.awaitAppended(request + disconnected + "\n");
    assertThat(count(get("health"))).as("the program serves while its realm is away").isPositive();

    Files.writeString(root.resolve("resume.go"), "");
    await().untilAsserted(() -> assertThat(root.resolve("resume.done")).exists());
    network.refuse(false);
    log.awaitAppended(request + disconnected + """
        #### 👍shop to agent at {time} ({duration}) (late)
        ```JSON
        "done"
        ```

        ### 🗣️shop background at {time}
        ##### ☑️console.log
        ```Text console.log
        {time} while away
        ```

        """);
    List<String> hellos = hellos();
    assertThat(hellos).as("hellos").hasSize(hellosBefore + 1);
    assertThat(tab(hellos.get(hellos.size() - 1))).as("tab of the hello after the cut").isEqualTo(tab(hellos.get(0)));
    assertThat(network.fromRealm().stream().filter(f -> f.contains("while away")).count()).isEqualTo(1);
    assertThat(network.fromRealm().stream().filter(f -> f.contains("\"ok\":true,\"value\":\"done\"")).count())
        .isEqualTo(1);

    log.append("```python\n'after the cut'\n```\n");
    log.awaitFind("```JSON\n\"after the cut\"\n```\n");
  }

  private static String get() throws IOException {
    return get("");
  }

  /** GET {@code path} of the program's service ({@code health} is not logged by the program). */
  private static String get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(service.resolve(path)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int count(String body) {
    Matcher m = Pattern.compile("\\{\"count\": (\\d+)\\}").matcher(body);
    assertThat(m.matches()).as(body).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static List<String> hellos() {
    return network.fromRealm().stream().filter(f -> f.startsWith("{\"type\":\"hello\"")).toList();
  }

  private static String tab(String hello) {
    Matcher m = Pattern.compile("\"tab\":\"([^\"]+)\"").matcher(hello);
    assertThat(m.find()).as("a tab in %s", hello).isTrue();
    return m.group(1);
  }
}

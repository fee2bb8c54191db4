package io.daebug.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A realm at the protocol level, in the test JVM, for {@link CrashIT}: a JDK WebSocket that says {@code hello} with
 * a fixed name and tab id, and says it again on a new socket 20 ms after it lost one, for as long as it lives (the
 * way client-js reconnects, without its backoff, so a restarted broker has its realms back at once).
 *
 * <p>Every job's code is {@code crash("TAG")}: the realm counts how often it ran each tag, logs one or two console
 * lines naming the tag and answers {@code "done TAG"}. While {@link #background} is on it also logs background
 * lines ({@code bg <realm> <n>}) at random moments. A result whose socket died is lost, as a killed broker's job
 * would leave it: the new broker answers the placeholder with its restart reply.
 */
final class CrashRealm implements AutoCloseable {
  static final Pattern CODE = Pattern.compile("crash\\(\"([^\"]+)\"\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String tab = Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final URI uri;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final AtomicInteger welcomes = new AtomicInteger();
  private final AtomicInteger backgroundCount = new AtomicInteger();
  private volatile boolean background;
  private volatile java.util.function.Consumer<String> beforeAnswer = tag -> {};
  private volatile boolean closed;
  private Connection current;

  private CrashRealm(String name, URI broker, HttpClient http, ScheduledExecutorService scheduler) {
    this.name = name;
    this.uri = URI.create("ws://127.0.0.1:" + broker.getPort() + "/-daebug/realm");
    this.http = http;
    this.scheduler = scheduler;
  }

  /** Connects (and keeps reconnecting) the realm {@code name} to the broker at {@code broker}. */
  static CrashRealm start(String name, URI broker, HttpClient http, ScheduledExecutorService scheduler) {
    CrashRealm realm = new CrashRealm(name, broker, http, scheduler);
    realm.connect();
    realm.scheduleBackground();
    return realm;
  }

  String name() {
    return name;
  }

  /** How many welcomes it got: one per connection a broker accepted. */
  int welcomes() {
    return welcomes.get();
  }

  /** How often it ran each tag. */
  Map<String, AtomicInteger> runs() {
    return runs;
  }

  /** What went wrong on the wire (a renamed realm, a bad frame): empty in a good run. */
  List<String> problems() {
    return problems;
  }

  /** Runs {@code hook} with the tag of every job it got, before it answers. */
  void beforeAnswer(java.util.function.Consumer<String> hook) {
    beforeAnswer = hook;
  }

  /** Turns the background console lines on or off. */
  void background(boolean on) {
    background = on;
  }

  private void connect() {
    if (closed) {
      return;
    }
    Connection c = new Connection();
    http.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).buildAsync(uri, c)
        .whenComplete((ws, e) -> {
          if (e != null) {
            reconnectLater();
            return;
          }
          synchronized (this) {
            current = c;
          }
          c.send(hello());
        });
  }

  private void reconnectLater() {
    if (!closed) {
      scheduler.schedule(this::connect, 20, TimeUnit.MILLISECONDS);
    }
  }

  private String hello() {
    ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("name", name).put("kind", "node")
        .put("url", "node://crash@127.0.0.1").put("language", "javascript").put("tab", tab).put("protocol", 1);
    return hello.toString();
  }

  private void scheduleBackground() {
    if (closed) {
      return;
    }
    scheduler.schedule(() -> {
      if (background) {
        Connection c;
        synchronized (this) {
          c = current;
        }
        if (c != null) {
          String[] kinds = {"log", "info", "warn", "debug"};
          c.send(event(null, kinds[ThreadLocalRandom.current().nextInt(kinds.length)],
              "bg " + name + " " + backgroundCount.incrementAndGet()));
        }
      }
      scheduleBackground();
    }, 20 + ThreadLocalRandom.current().nextInt(200), TimeUnit.MILLISECONDS);
  }

  private static String event(String job, String kind, String text) {
    ObjectNode e = JSON.createObjectNode().put("type", "event");
    if (job != null) {
      e.put("job", job);
    }
    return e.put("kind", kind).put("time", System.currentTimeMillis()).put("text", text).toString();
  }

  private void onFrame(Connection c, String frame) {
    JsonNode m;
    try {
      m = JSON.readTree(frame);
    } catch (java.io.IOException e) {
      problems.add(name + ": a frame that is not JSON: " + frame);
      return;
    }
    switch (m.path("type").asText()) {
      case "welcome" -> {
        if (!name.equals(m.path("name").asText())) {
          problems.add(name + " was welcomed as " + m.path("name").asText());
        }
        welcomes.incrementAndGet();
      }
      case "job" -> {
        String id = m.path("id").asText();
        Matcher tag = CODE.matcher(m.path("code").asText());
        if (!tag.matches()) {
          problems.add(name + ": a job whose code is not crash(\"TAG\"): " + frame);
          return;
        }
        runs.computeIfAbsent(tag.group(1), t -> new AtomicInteger()).incrementAndGet();
        beforeAnswer.accept(tag.group(1));
        int lines = 1 + ThreadLocalRandom.current().nextInt(2);
        for (int i = 1; i <= lines; i++) {
          c.send(event(id, "log", tag.group(1) + " log " + i));
        }
        c.send(JSON.createObjectNode().put("type", "result").put("id", id).put("ok", true)
            .put("value", "done " + tag.group(1)).toString());
      }
      default -> {
        // cancel, error: nothing to do for this realm
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    synchronized (this) {
      c = current;
    }
    if (c != null && c.ws != null) {
      c.ws.abort();
    }
  }

  /** One socket: its sends chained (the JDK WebSocket takes one at a time), its frames assembled. */
  private final class Connection implements WebSocket.Listener {
    private final StringBuilder frame = new StringBuilder();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private WebSocket ws;
    private boolean gone;

    @Override
    public void onOpen(WebSocket webSocket) {
      synchronized (this) {
        ws = webSocket;
      }
      webSocket.request(1);
    }

    synchronized void send(String text) {
      if (gone || ws == null) {
        return;
      }
      WebSocket socket = ws;
      sending = sending.thenCompose(x -> socket.sendText(text, true)).exceptionally(e -> null);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      frame.append(data);
      if (last) {
        String text = frame.toString();
        frame.setLength(0);
        onFrame(this, text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      lost();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      lost();
    }

    private void lost() {
      synchronized (this) {
        if (gone) {
          return;
        }
        gone = true;
      }
      synchronized (CrashRealm.this) {
        if (current == this) {
          current = null;
        }
      }
      reconnectLater();
    }
  }
}

package io.daebug.client.internal;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.ClientOptions;
import io.daebug.client.ConnectionEvent;
import io.daebug.client.ConnectionListener;
import io.daebug.client.RealmEvent;
import io.daebug.client.RealmInfo;
import io.daebug.client.RealmListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The client's state machine, confined to the client's thread ({@code loop}): the connection (attempt,
 * hello, welcome, loss, backoff, reconnect), the realm table, watches and the dispatch of every broker
 * message. Job bookkeeping is in {@link JobBook}. Transport callbacks are posted to the loop tagged with
 * the attempt's generation, so a late callback of an old connection changes nothing.
 *
 * <pre>
 *   CONNECTING --welcome--> CONNECTED --lost--> WAITING --delay--> CONNECTING
 *   CONNECTING --failed--> WAITING (or DOWN: reconnect off, or refused before the first welcome)
 *   CONNECTED --lost, reconnect off--> DOWN;   any --close()--> CLOSED
 * </pre>
 */
final class ClientCore {
  private static final System.Logger LOG = System.getLogger("io.daebug.client");

  enum State { CONNECTING, CONNECTED, WAITING, DOWN, CLOSED }

  private final ClientOptions options;
  private final Transport transport;
  private final ScheduledExecutorService loop;
  private final ControlCodec codec = new ControlCodec();
  private final Backoff backoff;
  private final Map<String, String> headers;
  final ListenerSet<ConnectionListener> connectionListeners = new ListenerSet<>();
  final ListenerSet<RealmListener> realmListeners = new ListenerSet<>();
  final RealmTable realms = new RealmTable(realmListeners);
  final Watches watches = new Watches();
  final JobBook jobs;
  /** Completes at the first welcome; fails when the first connection cannot be made. */
  final CompletableFuture<Void> firstWelcome = new CompletableFuture<>();
  private final Deque<CompletableFuture<List<RealmInfo>>> listRequests = new ArrayDeque<>();

  private State state = State.CONNECTING;
  private int generation;
  private Transport.Socket socket;
  private ScheduledFuture<?> attemptTimer;
  private boolean everConnected;
  private volatile Throwable lastFailure;
  private volatile boolean connected;
  private volatile String name;
  private volatile String brokerVersion = "";

  ClientCore(ClientOptions options, Transport transport, ScheduledExecutorService loop, RandomGenerator random) {
    this.options = options;
    this.transport = transport;
    this.loop = loop;
    this.backoff = new Backoff(options.reconnectInitial(), options.reconnectMax(), random);
    this.headers = options.token() == null ? Map.of() : Map.of("Authorization", "Bearer " + options.token());
    this.name = options.clientName();
    this.jobs = new JobBook(options, this);
  }

  // ---- read from any thread ----

  boolean connected() {
    return connected;
  }

  String name() {
    return name;
  }

  String brokerVersion() {
    return brokerVersion;
  }

  Throwable lastFailure() {
    return lastFailure;
  }

  // ---- client thread ----

  State state() {
    return state;
  }

  /** Sends a message on the current connection; false when there is none (nothing is sent). */
  boolean send(ToBroker message) {
    if (state != State.CONNECTED || socket == null) {
      return false;
    }
    int gen = generation;
    Transport.Socket s = socket;
    s.send(codec.encode(message)).whenComplete((v, e) -> {
      if (e != null) {
        post(() -> ended(gen, new BrokerUnavailableException("sending to the broker failed: " + e, e)));
      }
    });
    return true;
  }

  /** First attempt. */
  void start() {
    attempt();
  }

  /** The caller's request for a fresh realm list. */
  void requestList(CompletableFuture<List<RealmInfo>> answer) {
    if (send(new ToBroker.ListRealms())) {
      listRequests.add(answer);
    } else {
      answer.completeExceptionally(notConnected());
    }
  }

  /** Sends a watch or unwatch for {@code key} when the set of watched keys changed. */
  void syncWatch(String key) {
    if (state == State.CONNECTED) {
      watches.sync(key, on -> send(on ? new ToBroker.Watch(key) : new ToBroker.Unwatch(key)));
    }
  }

  /** Closes for good: pending work fails, listeners hear CLOSED last. */
  void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasConnected = state == State.CONNECTED;
    state = State.CLOSED;
    connected = false;
    cancelAttemptTimer();
    generation++;
    if (socket != null) {
      socket.close(1000, "client closed");
      socket = null;
    }
    BrokerUnavailableException closed = new BrokerUnavailableException("the Daebug client was closed");
    jobs.failAll(closed);
    failListRequests(closed);
    realms.failWaiters(closed);
    firstWelcome.completeExceptionally(closed);
    if (everConnected || wasConnected) {
      fire(ConnectionEvent.CLOSED);
    }
  }

  BrokerUnavailableException notConnected() {
    return new BrokerUnavailableException("not connected to the broker at " + options.controlUri()
        + (lastFailure == null ? "" : " (" + lastFailure.getMessage() + ")"));
  }

  private void attempt() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CONNECTING;
    int gen = ++generation;
    cancelAttemptTimer();
    attemptTimer = schedule(() -> attemptTimedOut(gen), options.connectTimeout());
    Transport.Listener listener = new Transport.Listener() {
      @Override
      public void onText(String text) {
        post(() -> frame(gen, text));
      }

      @Override
      public void onClosed(int status, String reason) {
        post(() -> ended(gen, new BrokerUnavailableException("the broker closed the connection (" + status
            + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")")));
      }

      @Override
      public void onError(Throwable error) {
        post(() -> ended(gen, new BrokerUnavailableException("connection to the broker failed: " + error, error)));
      }
    };
    CompletableFuture<Transport.Socket> opening;
    try {
      opening = transport.open(options.controlUri(), headers, options.connectTimeout(), listener);
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    opening.whenComplete((s, e) -> post(() -> opened(gen, s, e)));
  }

  private void opened(int gen, Transport.Socket s, Throwable error) {
    if (gen != generation || state != State.CONNECTING) {
      if (s != null) {
        s.abort();
      }
      return;
    }
    if (error != null) {
      Throwable cause = error.getCause() != null && !(error instanceof Transport.HandshakeRefusedException)
          && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
      attemptFailed(cause);
      return;
    }
    socket = s;
    s.send(codec.encode(new ToBroker.Hello(options.clientName(), ToBroker.PROTOCOL)));
  }

  private void attemptTimedOut(int gen) {
    if (gen == generation && state == State.CONNECTING) {
      attemptFailed(new BrokerUnavailableException("no welcome from the broker at " + options.controlUri()
          + " within " + options.connectTimeout()));
    }
  }

  private void attemptFailed(Throwable cause) {
    lastFailure = cause;
    cancelAttemptTimer();
    generation++;
    if (socket != null) {
      socket.abort();
      socket = null;
    }
    LOG.log(System.Logger.Level.DEBUG, "Daebug client: connection attempt failed: {0}", cause.toString());
    boolean nothingListens = !everConnected && connectionRefused(cause);
    boolean refusedAtStart = !everConnected && cause instanceof Transport.HandshakeRefusedException;
    if (!options.reconnect() || refusedAtStart || nothingListens) {
      state = State.DOWN;
      BrokerUnavailableException down = new BrokerUnavailableException(nothingListens
          ? "no broker at " + options.controlUri() + ": the connection was refused (nothing listens on "
              + options.controlUri().getHost() + " port " + options.controlUri().getPort() + "; is the broker running?"
              + " It prints its URL when it starts, and writes it to daebug/.broker in the folder it serves)"
          : "cannot connect to the broker at " + options.controlUri() + ": " + cause.getMessage(), cause);
      firstWelcome.completeExceptionally(down);
      jobs.failUnsent(down);
      return;
    }
    retryLater();
  }

  /**
   * Whether a connection attempt failed because nothing listens at the address: a first connection fails at once
   * then, instead of retrying until the connect timeout (a broker that went away after a first connection is
   * waited for: it may be restarting).
   */
  static boolean connectionRefused(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  private void retryLater() {
    state = State.WAITING;
    Duration delay = backoff.next();
    schedule(this::attempt, delay);
  }

  private void ended(int gen, BrokerUnavailableException cause) {
    if (gen != generation) {
      return;
    }
    if (state == State.CONNECTING) {
      attemptFailed(cause);
      return;
    }
    if (state != State.CONNECTED) {
      return;
    }
    lastFailure = cause;
    generation++;
    socket = null;
    connected = false;
    watches.forgetTold();
    LOG.log(System.Logger.Level.INFO, "Daebug client: connection to {0} lost: {1}", options.controlUri(),
        cause.getMessage());
    BrokerUnavailableException lost = new BrokerUnavailableException("connection to the broker lost while the"
        + " job was in flight (the broker may still run it): " + cause.getMessage(), cause);
    jobs.failSent(lost);
    failListRequests(lost);
    if (options.reconnect()) {
      retryLater();
    } else {
      state = State.DOWN;
    }
    fire(ConnectionEvent.DISCONNECTED);
  }

  private void frame(int gen, String text) {
    if (gen != generation) {
      return;
    }
    Optional<FromBroker> decoded;
    try {
      decoded = codec.decode(text);
    } catch (ControlCodec.BadFrameException e) {
      LOG.log(System.Logger.Level.WARNING, "Daebug client: ignored a frame from the broker: {0}", e.getMessage());
      return;
    }
    if (decoded.isEmpty()) {
      LOG.log(System.Logger.Level.DEBUG, "Daebug client: ignored a message of unknown type: {0}", text);
      return;
    }
    FromBroker m = decoded.get();
    if (m instanceof FromBroker.Welcome w) {
      welcome(w);
    } else if (state != State.CONNECTED) {
      LOG.log(System.Logger.Level.DEBUG, "Daebug client: ignored a message before the welcome: {0}", text);
    } else if (m instanceof FromBroker.Realms r) {
      realms.replace(realmList(r.realms()));
      CompletableFuture<List<RealmInfo>> answer = listRequests.poll();
      if (answer != null) {
        answer.complete(realms.snapshot());
      }
    } else if (m instanceof FromBroker.RealmChanged c) {
      toInfo(c.realm()).ifPresent(realms::update);
    } else if (m instanceof FromBroker.Queued q) {
      jobs.queued(q);
    } else if (m instanceof FromBroker.Dispatched) {
      return; // the result carries queuedMs too
    } else if (m instanceof FromBroker.Event e) {
      RealmEvent event = new RealmEvent(e.realm() == null ? "" : e.realm(), e.job(), e.kind() == null ? "log" : e.kind(),
          e.time() == null ? Instant.now() : Instant.ofEpochMilli(e.time()), e.text());
      jobs.event(event);
      watches.dispatch(event);
    } else if (m instanceof FromBroker.Result r) {
      jobs.result(r);
    } else if (m instanceof FromBroker.Error e) {
      if (e.ref() == null || !jobs.refused(e)) {
        LOG.log(System.Logger.Level.INFO, "Daebug client: the broker answered {0}: {1}", e.code(), e.message());
      }
    }
  }

  private void welcome(FromBroker.Welcome w) {
    if (state != State.CONNECTING) {
      LOG.log(System.Logger.Level.DEBUG, "Daebug client: ignored a second welcome");
      return;
    }
    cancelAttemptTimer();
    state = State.CONNECTED;
    connected = true;
    boolean again = everConnected;
    everConnected = true;
    backoff.reset();
    lastFailure = null;
    if (w.name() != null) {
      name = w.name();
    }
    brokerVersion = w.broker() == null ? "" : w.broker();
    LOG.log(System.Logger.Level.DEBUG, "Daebug client: connected to {0} as {1}", options.controlUri(), name);
    for (String key : watches.wantedKeys()) {
      send(new ToBroker.Watch(key));
      watches.told(key);
    }
    jobs.sendUnsent();
    realms.replace(realmList(w.realms()));
    fire(again ? ConnectionEvent.RECONNECTED : ConnectionEvent.CONNECTED);
    firstWelcome.complete(null); // after CONNECTED: connect() returns once its listener has heard it
  }

  private void fire(ConnectionEvent event) {
    connectionListeners.forEach("connection listener", l -> l.onConnectionEvent(event));
  }

  private void failListRequests(RuntimeException why) {
    for (CompletableFuture<List<RealmInfo>> r : listRequests) {
      r.completeExceptionally(why);
    }
    listRequests.clear();
  }

  private void cancelAttemptTimer() {
    if (attemptTimer != null) {
      attemptTimer.cancel(false);
      attemptTimer = null;
    }
  }

  private static List<RealmInfo> realmList(List<FromBroker.Realm> list) {
    List<RealmInfo> out = new ArrayList<>();
    if (list != null) {
      for (FromBroker.Realm r : list) {
        toInfo(r).ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<RealmInfo> toInfo(FromBroker.Realm r) {
    if (r == null || r.name() == null) {
      return Optional.empty();
    }
    return Optional.of(new RealmInfo(r.name(), r.kind(), r.url(), r.language(), r.state(), r.log(), r.title(),
        r.lastSeen(), r.job()));
  }

  /** Runs a task on the client thread, guarded; false (and dropped) once the loop is shut down. */
  boolean post(Runnable task) {
    try {
      loop.execute(() -> guard(task));
      return true;
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "Daebug client: callback after close ignored");
      return false;
    }
  }

  /** Runs a guarded task on the client thread later; null when the loop is shut down (the client closed). */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    try {
      return loop.schedule(() -> guard(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Runs a task, logging what it throws: the scheduled executor would otherwise swallow it. */
  static void guard(Runnable task) {
    ListenerSet.safely("client task", task);
  }
}

package io.daebug.client.realm.internal;

import io.daebug.client.BrokerUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link Link} over {@code java.net.http.WebSocket}: connects, says hello, and reconnects with
 * exponential backoff and jitter (the delay doubles from the first delay up to the cap, each spread by
 * ±30%, and starts over once a connection is welcomed).
 *
 * <p>Frames go out one at a time (the JDK's WebSocket allows one pending text send) on the
 * {@code daebug-realm-send} thread, only once the broker welcomed the connection. A result of a job
 * that arrived on an earlier connection is journalled as a late reply by a broker that still knows the
 * job; but a broker that restarted numbers its jobs from {@code j-1} again, and such a result must never
 * answer the new broker's job of the same id. So a result whose job arrived before the reconnect is
 * dropped (and logged) once a job with its id arrived on the current connection, and results waiting
 * from before the reconnect are held back after the welcome until the first job arrives or
 * {@value #SETTLE_MS} ms pass (a restarted broker sends the jobs waiting in the log right after its
 * welcome). One residual case remains: a stale result sent after that window while the broker
 * dispatches a new job of the same id at the same moment; only a broker run id in {@code welcome}, or job
 * ids unique across broker runs, would close it.
 */
final class WsLink implements Link {
  static final long SETTLE_MS = 250;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final System.Logger LOG = System.getLogger(WsLink.class.getName());

  private final URI endpoint;
  private final Duration firstDelay;
  private final Duration maxDelay;
  private final Handler handler;
  private final ScheduledExecutorService timer;
  private final ExecutorService sender;
  private final HttpClient http;
  private final Outbox outbox = new Outbox();
  /** Ids of the jobs that arrived on the current connection (the latest {@value #MAX_IDS}). */
  private final java.util.Set<String> jobsThisEpoch = new java.util.LinkedHashSet<>();
  private static final int MAX_IDS = 10_000;
  private final Object lock = new Object();
  private WebSocket socket;
  private long epoch;
  private boolean open;
  private boolean sending;
  private int attempts;
  private boolean closed;
  private volatile Throwable lastFailure;

  WsLink(URI endpoint, Duration firstDelay, Duration maxDelay, Handler handler, ScheduledExecutorService timer) {
    this.endpoint = endpoint;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
    this.handler = handler;
    this.timer = timer;
    this.sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "daebug-realm-send");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  @Override
  public void start() {
    connect();
  }

  @Override
  public void send(String json, String resultId, long jobEpoch) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (resultId != null && jobEpoch < epoch && jobsThisEpoch.contains(resultId)) {
        dropped(resultId);
        return;
      }
      outbox.add(new Outbox.Frame(json, resultId, resultId == null ? epoch : jobEpoch));
    }
    pump();
  }

  private static void dropped(String id) {
    LOG.log(System.Logger.Level.WARNING, "daebug realm: dropped the result of job {0}, which arrived before the"
        + " reconnect: the broker has since sent another job with that id (it restarted)", id);
  }

  @Override
  public void welcomed() {
    long welcomedEpoch;
    boolean settle;
    synchronized (lock) {
      attempts = 0;
      welcomedEpoch = epoch;
      settle = outbox.hasResultsBefore(epoch);
      if (!settle) {
        open = true;
      }
    }
    if (settle) {
      schedule(() -> openAfterSettle(welcomedEpoch, null), SETTLE_MS);
    } else {
      pump();
    }
  }

  @Override
  public long jobArrived(String id) {
    long current;
    synchronized (lock) {
      current = epoch;
      jobsThisEpoch.add(id);
      if (jobsThisEpoch.size() > MAX_IDS) {
        jobsThisEpoch.remove(jobsThisEpoch.iterator().next());
      }
    }
    openAfterSettle(current, id);
    return current;
  }

  private void openAfterSettle(long forEpoch, String newJob) {
    synchronized (lock) {
      if (closed || forEpoch != epoch) {
        return;
      }
      if (newJob != null) {
        for (Outbox.Frame f : outbox.dropResultsBefore(epoch, newJob)) {
          dropped(f.resultId());
        }
      }
      if (open) {
        return;
      }
      open = true;
    }
    pump();
  }

  @Override
  public Throwable lastFailure() {
    return lastFailure;
  }

  @Override
  public void drop() {
    WebSocket ws;
    synchronized (lock) {
      ws = socket;
    }
    if (ws != null) {
      ws.abort();
      lost(ws, new BrokerUnavailableException("connection dropped on purpose"));
    }
  }

  @Override
  public void close() {
    WebSocket ws;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      open = false;
      ws = socket;
      socket = null;
    }
    if (ws != null) {
      try {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "realm closed").whenComplete((w, e) -> ws.abort());
      } catch (RuntimeException e) {
        ws.abort();
      }
      schedule(ws::abort, 1000);
    }
    sender.shutdown();
  }

  private void connect() {
    long attemptEpoch;
    synchronized (lock) {
      if (closed) {
        return;
      }
      attemptEpoch = ++epoch;
      open = false;
      jobsThisEpoch.clear();
    }
    http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT).buildAsync(endpoint, new Listener())
        .whenComplete((ws, error) -> {
          if (error != null) {
            failed(attemptEpoch, error);
            return;
          }
          synchronized (lock) {
            if (closed || attemptEpoch != epoch) {
              ws.abort();
              return;
            }
            socket = ws;
          }
          ws.sendText(handler.hello(), true).whenComplete((w, e) -> {
            if (e != null) {
              lost(ws, e);
            }
          });
        });
  }

  /** An attempt failed before a socket existed. */
  private void failed(long attemptEpoch, Throwable error) {
    synchronized (lock) {
      if (closed || attemptEpoch != epoch) {
        return;
      }
    }
    lastFailure = error;
    LOG.log(System.Logger.Level.DEBUG, "daebug realm: cannot connect to {0}: {1}", endpoint, error.toString());
    handler.onDisconnected(String.valueOf(error.getMessage()));
    reconnectLater();
  }

  /** The connection {@code ws} ended; nothing happens when it is no longer the current one. */
  private void lost(WebSocket ws, Throwable why) {
    synchronized (lock) {
      if (closed || socket != ws) {
        return;
      }
      socket = null;
      open = false;
    }
    lastFailure = why;
    ws.abort();
    LOG.log(System.Logger.Level.INFO, "daebug realm: connection to {0} lost: {1}", endpoint, why.getMessage());
    handler.onDisconnected(String.valueOf(why.getMessage()));
    reconnectLater();
  }

  private void reconnectLater() {
    long delay;
    synchronized (lock) {
      if (closed) {
        return;
      }
      delay = backoff(firstDelay, maxDelay, attempts++);
    }
    schedule(this::connect, delay);
  }

  /** Schedules on the realm's timer; nothing happens once the realm closed it. */
  private void schedule(Runnable task, long delayMs) {
    try {
      timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the realm is closing
    }
  }

  /** {@code first * 2^attempt}, capped at {@code max}, spread by ±30%. */
  static long backoff(Duration first, Duration max, int attempt) {
    double base = Math.min(max.toMillis(), first.toMillis() * Math.pow(2, Math.min(attempt, 30)));
    double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 0.6 - 0.3);
    return Math.max(1, Math.round(base * jitter));
  }

  /** Sends the oldest queued frame when the connection is welcomed and no send is pending. */
  private void pump() {
    Outbox.Frame frame;
    WebSocket ws;
    synchronized (lock) {
      if (!open || sending || socket == null) {
        return;
      }
      int dropped = outbox.takeDropped();
      if (dropped > 0) {
        outbox.add(new Outbox.Frame(Protocol.event(null, "warn", System.currentTimeMillis(), "daebug: "
            + dropped + " console events were dropped: more than " + Outbox.MAX_FRAMES + " were waiting to be sent"),
            null, epoch));
      }
      frame = outbox.peek();
      if (frame == null) {
        return;
      }
      sending = true;
      ws = socket;
    }
    CompletionStage<WebSocket> sent;
    try {
      sent = ws.sendText(frame.json(), true);
    } catch (RuntimeException e) {
      synchronized (lock) {
        sending = false;
      }
      lost(ws, e);
      return;
    }
    sent.whenCompleteAsync((w, error) -> {
      synchronized (lock) {
        sending = false;
        if (error == null) {
          outbox.sent(frame);
        }
      }
      if (error != null) {
        lost(ws, error);
      }
      pump();
    }, sender);
  }

  /** Reads frames (possibly in parts) and hands whole ones to the handler; notices the end. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          handler.onFrame(text);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "daebug realm: failed to handle a frame: " + e, e);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      lost(ws, new BrokerUnavailableException("the broker closed the connection (" + statusCode
          + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      lost(ws, error);
    }
  }

  /** For tests: frames waiting to be sent. */
  int queued() {
    return outbox.size();
  }
}

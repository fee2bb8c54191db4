package io.daebug.client.internal;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.ClientOptions;
import io.daebug.client.ConnectionListener;
import io.daebug.client.DaebugClient;
import io.daebug.client.DaebugException;
import io.daebug.client.EventListener;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.JobTimeoutException;
import io.daebug.client.RealmInfo;
import io.daebug.client.RealmListener;
import io.daebug.client.RealmNotFoundException;
import io.daebug.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * The {@link DaebugClient}: public methods validate, then post work to the client's thread, where
 * {@link ClientCore} owns all state. The blocking methods wait here, on the caller's thread, and refuse
 * to run on the client's own thread (they would wait for themselves).
 */
public final class DefaultDaebugClient implements DaebugClient {
  /** How long {@link #close()} waits for the client thread to finish closing. */
  private static final long CLOSE_WAIT_MS = 5000;

  private final ClientOptions options;
  private final ScheduledThreadPoolExecutor loop;
  private final ClientCore core;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread loopThread;

  private DefaultDaebugClient(ClientOptions options, Transport transport, RandomGenerator random) {
    this.options = options;
    this.loop = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "daebug-client-" + options.clientName());
      t.setDaemon(true);
      loopThread = t;
      return t;
    });
    loop.setRemoveOnCancelPolicy(true);
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.core = new ClientCore(options, transport, loop, random);
  }

  /**
   * Creates a client and waits for its first connection.
   *
   * @param options where and how to connect
   * @param transport the WebSocket implementation
   * @param listener hears CONNECTED and later events; nullable
   * @return the connected client
   * @throws BrokerUnavailableException when no connection is made within the connect timeout
   */
  public static DaebugClient connect(ClientOptions options, Transport transport, ConnectionListener listener) {
    return connect(options, transport, listener, RandomGenerator.getDefault());
  }

  static DefaultDaebugClient connect(ClientOptions options, Transport transport, ConnectionListener listener,
      RandomGenerator random) {
    Objects.requireNonNull(options, "options");
    DefaultDaebugClient client = new DefaultDaebugClient(options, transport, random);
    if (listener != null) {
      client.core.connectionListeners.add(listener);
    }
    client.core.post(client.core::start);
    try {
      client.core.firstWelcome.get(options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
      return client;
    } catch (TimeoutException e) {
      client.close();
      Throwable last = client.core.lastFailure();
      throw new BrokerUnavailableException("no connection to the broker at " + options.controlUri() + " within "
          + options.connectTimeout() + (last == null ? "" : ": " + last.getMessage()), last);
    } catch (ExecutionException e) {
      client.close();
      throw e.getCause() instanceof BrokerUnavailableException b ? b
          : new BrokerUnavailableException("cannot connect to " + options.controlUri(), e.getCause());
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new BrokerUnavailableException("interrupted while connecting to " + options.controlUri(), e);
    }
  }

  @Override
  public CompletableFuture<JobResult> submit(JobRequest request) {
    Objects.requireNonNull(request, "request");
    requireOpen();
    JobFuture future = core.jobs.newFuture();
    if (!core.post(() -> core.jobs.submit(request, future))) {
      future.completeExceptionally(new BrokerUnavailableException("the Daebug client was closed"));
    }
    return future;
  }

  @Override
  public JobResult run(JobRequest request, Duration wait) {
    Objects.requireNonNull(wait, "wait");
    requireNotLoopThread("run");
    CompletableFuture<JobResult> future = submit(request);
    try {
      return future.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      ((JobFuture) future).abandon(new JobTimeoutException(request.realm(), wait));
      return join(future);
    } catch (InterruptedException e) {
      ((JobFuture) future).abandon(new DaebugException("interrupted while waiting for the job"));
      Thread.currentThread().interrupt();
      return join(future);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  @Override
  public JobResult run(String realm, String code) {
    requireNotLoopThread("run");
    CompletableFuture<JobResult> future = submit(JobRequest.of(realm, code));
    try {
      return future.get();
    } catch (InterruptedException e) {
      ((JobFuture) future).abandon(new DaebugException("interrupted while waiting for the job"));
      Thread.currentThread().interrupt();
      return join(future);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  @Override
  public boolean cancel(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    requireOpen();
    if (!core.connected()) {
      return false;
    }
    core.post(() -> core.send(ToBroker.Cancel.byJob(jobId)));
    return true;
  }

  @Override
  public List<RealmInfo> realms() {
    return core.realms.snapshot();
  }

  @Override
  public Optional<RealmInfo> realm(String name) {
    Objects.requireNonNull(name, "name");
    return realms().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  @Override
  public CompletableFuture<List<RealmInfo>> refreshRealms() {
    requireOpen();
    CompletableFuture<List<RealmInfo>> answer = new CompletableFuture<>();
    if (!core.post(() -> core.requestList(answer))) {
      answer.completeExceptionally(new BrokerUnavailableException("the Daebug client was closed"));
    }
    return answer;
  }

  @Override
  public RealmInfo awaitRealm(String name, Duration wait) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(wait, "wait");
    requireNotLoopThread("awaitRealm");
    requireOpen();
    CompletableFuture<RealmInfo> found = new CompletableFuture<>();
    if (!core.post(() -> core.realms.await(name, found))) {
      throw new BrokerUnavailableException("the Daebug client was closed");
    }
    try {
      return found.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      CompletableFuture<String> listed = new CompletableFuture<>();
      core.post(() -> {
        core.realms.forget(name, found);
        listed.complete(core.realms.describe());
      });
      String realms = listed.completeOnTimeout("unknown", CLOSE_WAIT_MS, TimeUnit.MILLISECONDS).join();
      throw new RealmNotFoundException("no connected realm named '" + name + "' within " + wait + "; realms: "
          + realms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaebugException("interrupted while waiting for realm " + name, e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  @Override
  public Subscription watch(String realm, EventListener listener) {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(listener, "listener");
    requireOpen();
    if (realm.isBlank()) {
      throw new IllegalArgumentException("realm must be a realm name or *");
    }
    Subscription s = core.watches.add(realm, listener, () -> core.post(() -> core.syncWatch(realm)));
    core.post(() -> core.syncWatch(realm));
    return s;
  }

  @Override
  public Subscription addRealmListener(RealmListener listener) {
    return core.realmListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Subscription addConnectionListener(ConnectionListener listener) {
    return core.connectionListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public boolean isConnected() {
    return core.connected();
  }

  @Override
  public String name() {
    return core.name();
  }

  @Override
  public String brokerVersion() {
    return core.brokerVersion();
  }

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() == loopThread) {
      ClientCore.guard(core::close);
      loop.shutdown();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        ClientCore.guard(core::close);
        done.complete(null);
      });
      loop.shutdown();
      done.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
      loop.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      loop.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "DaebugClient[" + options.controlUri() + ", " + core.name() + (closed.get() ? ", closed"
        : core.connected() ? ", connected" : ", disconnected") + "]";
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the Daebug client is closed");
    }
  }

  private void requireNotLoopThread(String method) {
    if (Thread.currentThread() == loopThread) {
      throw new IllegalStateException(method + "() called on the Daebug client's own thread (from a callback or a"
          + " dependent stage): it would wait for itself; use submit() and a *Async stage instead");
    }
  }

  /** The outcome of a future that is already done, as {@link #run} returns or throws it. */
  private static JobResult join(CompletableFuture<JobResult> done) {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaebugException("interrupted", e);
    }
  }

  private static RuntimeException unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new DaebugException("job failed: " + cause, cause);
  }
}

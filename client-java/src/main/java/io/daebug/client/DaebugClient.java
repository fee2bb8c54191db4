package io.daebug.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a Daebug broker's controller endpoint: runs code in realms, lists realms and relays
 * their events. Create with {@link Daebug#connect(ClientOptions)}; close when done (try-with-resources).
 *
 * <h2>Jobs</h2>
 * {@link #submit} returns a future that completes normally with an {@link JobOutcome#OK OK}
 * {@link JobResult}, or exceptionally with:
 * <ul>
 *   <li>{@link JobFailedException}: the code threw, the realm went away, or the broker could not run it;
 *   <li>{@link JobTimeoutException}: the broker timed the job out;
 *   <li>{@link JobCancelledException}: the job was cancelled by {@link #cancel(String)}, another
 *       controller or a {@code %%CANCEL%%} line;
 *   <li>{@link RealmNotFoundException} / {@link RequestRejectedException}: the broker refused it;
 *   <li>{@link BrokerUnavailableException}: the connection was lost while the job was in flight, no
 *       connection came back within {@link ClientOptions#connectTimeout()}, or the client was closed.
 * </ul>
 * Cancelling the future ({@code future.cancel(true)}) tells the broker to cancel the job and completes the
 * future with {@link java.util.concurrent.CancellationException} at once. A job that was in flight when
 * the connection dropped is not resubmitted: the broker may still run it, and journals it either way.
 *
 * <h2>Threading</h2>
 * The client is thread-safe. It owns one thread on which every listener callback runs and every future
 * from {@link #submit} is completed (so dependent stages without {@code Async} run there too): one at a
 * time, never concurrently, in the order the broker sent the messages. A job's events reach watch
 * listeners before its future completes. Callbacks must return quickly and must not block: {@link #run}
 * and {@link #awaitRealm} throw {@link IllegalStateException} when called on the client thread, because
 * the answer they wait for would be delivered by that thread ({@link #close} may be called there).
 * Hand blocking work to another executor ({@code thenApplyAsync}). An exception thrown by a listener is
 * logged ({@code System.Logger} {@code io.daebug.client}) and does not stop the client.
 *
 * <h2>Connection</h2>
 * When the connection drops (broker restart, network), jobs in flight fail, {@link ConnectionEvent#DISCONNECTED}
 * fires and, when {@link ClientOptions#reconnect()} is on, the client reconnects with exponential backoff
 * and jitter, sends its hello and watches again, refreshes {@link #realms()} and fires
 * {@link ConnectionEvent#RECONNECTED}. Jobs submitted meanwhile wait for the reconnect up to
 * {@link ClientOptions#connectTimeout()}.
 */
public interface DaebugClient extends AutoCloseable {
  /**
   * Sends a job to the broker. Never blocks and never throws for a broker-side reason: every failure
   * arrives through the future (see the class comment).
   *
   * @param request what to run where
   * @return a future of the OK result; cancelling it cancels the job
   * @throws IllegalStateException when the client is closed
   */
  CompletableFuture<JobResult> submit(JobRequest request);

  /**
   * Runs a job and waits for its result. When {@code wait} elapses first, the job is cancelled and a
   * {@link JobTimeoutException} (with an empty result) is thrown.
   *
   * @param request what to run where
   * @param wait how long to wait for the result, including the time to (re)connect and the time the job
   *     waits in the realm's queue
   * @return the OK result
   * @throws JobFailedException when the job threw (the exception carries the result)
   * @throws JobTimeoutException when the broker timed it out or {@code wait} elapsed
   * @throws DaebugException any other failure listed in the class comment; also when interrupted (the
   *     job is cancelled and the interrupt flag is set again)
   */
  JobResult run(JobRequest request, Duration wait);

  /**
   * Runs code in a realm with the default timeout and waits for its result. The client does not add a
   * limit of its own: the broker ends every job (at its timeout once dispatched; a realm that goes away
   * ends its queue after its grace period), and a lost connection fails the job at once.
   *
   * @param realm the realm's name
   * @param code the source
   * @return the OK result
   * @throws DaebugException as for {@link #run(JobRequest, Duration)}
   */
  JobResult run(String realm, String code);

  /**
   * Asks the broker to cancel a queued or running job by its id (this client's or anybody's). The job's
   * submitter sees it end with outcome {@link JobOutcome#CANCELLED}. A job that is unknown or already
   * finished is ignored (the broker's {@code unknown-job} answer is logged).
   *
   * @param jobId the broker's job id, such as {@code j-12}
   * @return true when the request was sent; false when the client is not connected
   */
  boolean cancel(String jobId);

  /**
   * The realms the broker lists, kept current from its messages. While disconnected this is the last
   * list the broker sent; it is replaced by the broker's list when the client reconnects.
   *
   * @return an immutable snapshot, in the broker's order
   */
  List<RealmInfo> realms();

  /**
   * One realm of {@link #realms()}.
   *
   * @param name the realm's name
   * @return the realm, or empty when it is not listed
   */
  Optional<RealmInfo> realm(String name);

  /**
   * Asks the broker for a fresh list (the client's list is already kept current; this is for callers that
   * want to be sure it reflects everything up to now).
   *
   * @return a future of the new list; fails with {@link BrokerUnavailableException} when disconnected
   */
  CompletableFuture<List<RealmInfo>> refreshRealms();

  /**
   * Waits until a realm of this name is listed and connected (for tests and scripts that start a page or
   * process and then drive it).
   *
   * @param name the realm's name
   * @param wait the longest wait
   * @return the realm
   * @throws RealmNotFoundException when {@code wait} elapses first (the message lists the realms)
   * @throws BrokerUnavailableException when the client is closed meanwhile
   */
  RealmInfo awaitRealm(String name, Duration wait);

  /**
   * Subscribes to a realm's events: its console lines and uncaught errors, during anybody's jobs and in
   * the background. The subscription is kept across reconnects (events during the outage are lost).
   * Events of this client's own jobs are also collected in {@link JobResult#events()} whether or not
   * the realm is watched.
   *
   * @param realm a realm name, or {@code *} for every realm
   * @param listener called for each event
   * @return the subscription; closing it unsubscribes
   */
  Subscription watch(String realm, EventListener listener);

  /**
   * Registers a listener of realm changes. It hears changes from now on; {@link #realms()} has the rest.
   *
   * @param listener the listener
   * @return the registration; closing it removes the listener
   */
  Subscription addRealmListener(RealmListener listener);

  /**
   * Registers a listener of connection changes. The client is already connected when this can be
   * called, so the listener hears {@link ConnectionEvent#CONNECTED} only if passed to
   * {@link Daebug#connect(ClientOptions, ConnectionListener)} instead.
   *
   * @param listener the listener
   * @return the registration; closing it removes the listener
   */
  Subscription addConnectionListener(ConnectionListener listener);

  /**
   * Whether the client is connected and welcomed now.
   *
   * @return false while reconnecting and once closed
   */
  boolean isConnected();

  /**
   * The client's name as the broker journals it (sanitised by the broker; from the last welcome).
   *
   * @return the name
   */
  String name();

  /**
   * The broker's version from its last welcome.
   *
   * @return the version; empty when the broker did not say
   */
  String brokerVersion();

  /**
   * The options this client was created with.
   *
   * @return the options
   */
  ClientOptions options();

  /**
   * Closes the connection and stops the client's thread. Jobs still pending fail with
   * {@link BrokerUnavailableException} (the broker finishes and journals them anyway); watchers stop;
   * {@link ConnectionEvent#CLOSED} fires last. Idempotent; may be called from any thread, including a
   * callback.
   */
  @Override
  void close();
}

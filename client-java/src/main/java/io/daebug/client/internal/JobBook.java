package io.daebug.client.internal;

import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.ClientOptions;
import io.daebug.client.JobCancelledException;
import io.daebug.client.JobError;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobOutcome;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.JobTimeoutException;
import io.daebug.client.RealmEvent;
import io.daebug.client.RealmNotFoundException;
import io.daebug.client.RequestRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This client's jobs from submission to outcome, on the client's thread: sends submissions (or holds
 * them until a connection is up, for at most the connect timeout), collects each job's events and
 * completes its future from the broker's result or refusal.
 */
final class JobBook {
  private static final System.Logger LOG = System.getLogger("io.daebug.client");

  private final ClientOptions options;
  private final ClientCore core;
  private final PendingJobs pending = new PendingJobs();
  private final AtomicLong refs = new AtomicLong();

  JobBook(ClientOptions options, ClientCore core) {
    this.options = options;
    this.core = core;
  }

  /** A new future for a request (any thread); its ref is unique for the client's life. */
  JobFuture newFuture() {
    String ref = "c-" + refs.incrementAndGet();
    return new JobFuture(ref, r -> core.post(() -> cancelled(r)));
  }

  /** Sends a submission now, or holds it until the connection is back (client thread). */
  void submit(JobRequest request, JobFuture future) {
    if (future.isDone()) {
      return;
    }
    PendingJobs.Pending p = new PendingJobs.Pending(future.ref(), request, future);
    switch (core.state()) {
      case CONNECTED -> send(p);
      case CONNECTING, WAITING -> {
        pending.holdUntilConnected(p);
        p.connectDeadline = core.schedule(() -> connectWaitOver(p.ref), options.connectTimeout());
      }
      case DOWN, CLOSED -> future.completeExceptionally(core.notConnected());
    }
  }

  /** The connection is up: sends what was held, in order. */
  void sendUnsent() {
    for (PendingJobs.Pending p : pending.takeUnsent()) {
      if (!p.future.isDone()) {
        send(p);
      }
    }
  }

  void queued(FromBroker.Queued q) {
    pending.queued(q.ref(), q.job());
  }

  /** Keeps an event of one of this client's jobs for its result. */
  void event(RealmEvent event) {
    PendingJobs.Pending p = pending.byJob(event.job());
    if (p != null) {
      p.events.add(event);
    }
  }

  void result(FromBroker.Result r) {
    if (Boolean.TRUE.equals(r.late())) {
      LOG.log(System.Logger.Level.DEBUG, "Daebug client: late result of job {0} ignored", r.job());
      return;
    }
    PendingJobs.Pending p = pending.end(r.ref(), r.job());
    if (p == null) {
      return;
    }
    JobOutcome outcome = JobOutcome.fromWire(r.outcome());
    FromBroker.ErrorInfo e = r.error();
    String realm = r.realm() == null ? p.request.realm() : r.realm();
    JobResult result = new JobResult(r.job() == null ? p.jobId == null ? "" : p.jobId : r.job(),
        realm, outcome, outcome == JobOutcome.OK ? r.value() : null,
        e == null ? null : new JobError(e.name(), e.message(), e.stack()), millis(r.durationMs()),
        millis(r.queuedMs()), p.events, language(realm, p.request));
    switch (outcome) {
      case OK -> p.future.complete(result);
      case TIMEOUT -> p.future.completeExceptionally(new JobTimeoutException(result));
      case CANCELLED -> p.future.completeExceptionally(new JobCancelledException(result));
      default -> p.future.completeExceptionally(new JobFailedException(result));
    }
  }

  /** An {@code error} with a ref: fails that submission. False when the ref is not one pending here. */
  boolean refused(FromBroker.Error e) {
    if ("unknown-job".equals(e.code())) {
      return false; // about a cancel of a job that already ended, never about a submission
    }
    PendingJobs.Pending p = pending.end(e.ref(), null);
    if (p == null) {
      return false;
    }
    String message = e.message() == null ? e.code() : e.message();
    p.future.completeExceptionally(RealmNotFoundException.CODE.equals(e.code())
        ? new RealmNotFoundException(message) : new RequestRejectedException(String.valueOf(e.code()), message));
    return true;
  }

  /** The connection was lost: jobs the broker had fail (the held ones keep waiting). */
  void failSent(BrokerUnavailableException why) {
    for (PendingJobs.Pending p : pending.takeSent()) {
      p.future.completeExceptionally(why);
    }
  }

  /** No connection will come: held jobs fail. */
  void failUnsent(BrokerUnavailableException why) {
    for (PendingJobs.Pending p : pending.takeUnsent()) {
      p.future.completeExceptionally(why);
    }
  }

  /** The client closed. */
  void failAll(BrokerUnavailableException why) {
    failUnsent(why);
    failSent(why);
  }

  private void send(PendingJobs.Pending p) {
    JobRequest r = p.request;
    Duration timeout = r.timeout() != null ? r.timeout() : options.jobTimeout();
    pending.sent(p);
    core.send(new ToBroker.Submit(p.ref, r.realm(), r.code(), r.language(),
        timeout == null ? null : timeout.toMillis()));
  }

  private void connectWaitOver(String ref) {
    PendingJobs.Pending p = pending.takeUnsent(ref);
    if (p != null) {
      p.future.completeExceptionally(new BrokerUnavailableException("no connection to the broker at "
          + options.controlUri() + " within " + options.connectTimeout()
          + (core.lastFailure() == null ? "" : " (" + core.lastFailure().getMessage() + ")")));
    }
  }

  /** The caller gave up on a job (cancelled or abandoned its future): tell the broker, if it has it. */
  private void cancelled(String ref) {
    PendingJobs.Pending p = pending.remove(ref);
    if (p != null && p.sent) {
      core.send(ToBroker.Cancel.byRef(ref));
    }
  }

  /** The language of the realm that ran a job, which decides how its value is shown; null when unknown. */
  private String language(String realm, JobRequest request) {
    return core.realms.snapshot().stream().filter(i -> i.name().equals(realm)).map(io.daebug.client.RealmInfo::language)
        .filter(l -> l != null && !l.isEmpty()).findFirst().orElse(request.language());
  }

  private static Duration millis(Double ms) {
    return ms == null || ms.isNaN() || ms < 0 ? Duration.ZERO : Duration.ofNanos(Math.round(ms * 1_000_000));
  }
}

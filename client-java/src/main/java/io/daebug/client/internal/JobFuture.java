package io.daebug.client.internal;

import io.daebug.client.JobResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The future of one submission. Cancelling it (or abandoning it when a caller's wait elapses) also asks
 * the broker to cancel the job. Dependent stages are plain {@link CompletableFuture}s (the inherited
 * {@code newIncompleteFuture}), so cancelling one of them does not reach the broker.
 */
final class JobFuture extends CompletableFuture<JobResult> {
  private final String ref;
  private final Consumer<String> cancelAtBroker;

  JobFuture(String ref, Consumer<String> cancelAtBroker) {
    this.ref = ref;
    this.cancelAtBroker = cancelAtBroker;
  }

  String ref() {
    return ref;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      cancelAtBroker.accept(ref);
    }
    return cancelled;
  }

  /** Completes with {@code failure} (unless already done) and cancels the job at the broker. */
  boolean abandon(RuntimeException failure) {
    boolean abandoned = completeExceptionally(failure);
    if (abandoned) {
      cancelAtBroker.accept(ref);
    }
    return abandoned;
  }
}

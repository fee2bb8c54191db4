package io.daebug.broker.metrics;

import java.time.Duration;

/**
 * What the broker's core reports for {@code /-daebug/metrics}: called on the core thread at a few points of a
 * job's life and of a log write, so the core knows nothing of the metrics library behind it. Every method is a
 * no-op by default ({@link #NONE}, for tests that build the core alone). Implementations must be cheap and must
 * not block: they run on the thread every realm waits for.
 */
public interface BrokerMetrics {
  /** Reports nothing. */
  BrokerMetrics NONE = new BrokerMetrics() {};

  /** A job was pushed to its realm after waiting {@code queued} since it was accepted. */
  default void jobStarted(Duration queued) {}

  /**
   * A job ended, once.
   *
   * @param outcome {@code ok}, {@code error}, {@code timeout}, {@code cancelled}, {@code disconnected} or
   *     {@code failed}, as controllers are told (docs/protocol.md)
   * @param ran from dispatch to its end; null when it never reached its realm (cancelled or failed in the queue)
   */
  default void jobEnded(String outcome, Duration ran) {}

  /** A realm's result came for a job that had already ended (timeout, cancel, disconnect): a late reply. */
  default void lateResult() {}

  /** One write of a realm's log (everything a batch changed), from its start until it returned. */
  default void journalWrite(Duration took) {}

  /**
   * A realm event (console line, uncaught error) was received for its log.
   *
   * @param omittedOne true when keeping it pushed an earlier event out of the 2/.../8 display rule
   *     (FORMAT.md §2.4): that one goes to the block's side file of omitted events, counted in the omission line
   */
  default void event(boolean omittedOne) {}

  /**
   * One task of the broker's core ran for {@code nanos}; every realm's work waited meanwhile. Called on the thread
   * that ran it, after every task, so it must cost no more than a few atomic updates.
   */
  default void coreTask(long nanos) {}
}

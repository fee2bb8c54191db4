package io.daebug.broker.jobs;

import java.time.Duration;

/**
 * What the job state machine tells an observer (metrics, a dashboard): jobs by outcome with their durations, and
 * events written and omitted. Called on the broker's core (docs/concurrency.md), after the write that journals what
 * it reports: keep it quick and never block (count, then return). Every method defaults to doing nothing, so new
 * ones can be added without breaking observers.
 */
public interface JobObserver {
  /** Observes nothing. */
  JobObserver NONE = new JobObserver() {};

  /**
   * A job ended and its reply is in the log.
   *
   * @param took how long it ran in its realm (zero for one that never started; its timeout for a timed-out one)
   * @param late a result that came after the broker had ended the job (its reply went under the 🚫 one)
   */
  default void jobFinished(String realm, Outcome outcome, Duration took, boolean late) {}

  /**
   * A reply or background block was written with {@code kept} events in the log and {@code omitted} more in its side
   * file (FORMAT.md §2.4).
   */
  default void eventsWritten(String realm, long kept, long omitted) {}
}

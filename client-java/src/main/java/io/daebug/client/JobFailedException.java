package io.daebug.client;

/**
 * A job ended without a value: the code threw ({@link JobOutcome#ERROR}), the realm went away
 * ({@link JobOutcome#DISCONNECTED}) or the broker could not run it ({@link JobOutcome#FAILED}). The
 * result carries the error's name, message and stack and the job's console events.
 */
public class JobFailedException extends DaebugException {
  private static final long serialVersionUID = 1L;

  /**
   * The job's result.
   *
   * @return the result (not serialisable: lost when the exception is serialised). */
  private final transient JobResult result;

  /**
   * Creates the exception.
   *
   * @param result the failed job's result
   */
  public JobFailedException(JobResult result) {
    super("job " + result.jobId() + " in " + result.realm() + " ended with " + result.outcome().wire() + ": "
        + result.error().display());
    this.result = result;
  }

  /**
   * The job's result.
   *
   * @return the result: outcome, {@link JobResult#error() error}, timings and events
   */
  public JobResult result() {
    return result;
  }

  /**
   * The error as the realm or broker reported it; shorthand for {@code result().error()}.
   *
   * @return the error
   */
  public JobError error() {
    return result.error();
  }
}

package io.daebug.client;

/**
 * The broker ended a job with outcome {@link JobOutcome#CANCELLED}: it was cancelled through
 * {@link DaebugClient#cancel(String)}, by another controller or by a {@code %%CANCEL%%} line in the log.
 *
 * <p>Cancelling the future itself ({@code future.cancel(true)}) does not produce this exception: the
 * future completes at once with the JDK's {@link java.util.concurrent.CancellationException}, as every
 * cancelled {@code CompletableFuture} does, and the broker is told to cancel the job.
 */
public class JobCancelledException extends DaebugException {
  private static final long serialVersionUID = 1L;

  private final transient JobResult result;

  /**
   * Creates the exception.
   *
   * @param result the job's result, with outcome {@link JobOutcome#CANCELLED}
   */
  public JobCancelledException(JobResult result) {
    super("job " + result.jobId() + " in " + result.realm() + " was cancelled: " + result.error().message());
    this.result = result;
  }

  /**
   * The job's result.
   *
   * @return the result: who cancelled it (in the error message), timings and events
   */
  public JobResult result() {
    return result;
  }
}

package io.daebug.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A job took too long: either the broker ended it with outcome {@link JobOutcome#TIMEOUT} (then
 * {@link #result()} is present), or the {@code Duration} given to
 * {@link DaebugClient#run(JobRequest, Duration)} elapsed first (then the client has asked the broker to
 * cancel the job and {@link #result()} is empty).
 */
public class JobTimeoutException extends DaebugException {
  private static final long serialVersionUID = 1L;

  private final transient JobResult result;

  /**
   * The broker reported a timeout.
   *
   * @param result the job's result, with outcome {@link JobOutcome#TIMEOUT}
   */
  public JobTimeoutException(JobResult result) {
    super("job " + result.jobId() + " in " + result.realm() + " timed out: " + result.error().message());
    this.result = result;
  }

  /**
   * The caller's wait elapsed first.
   *
   * @param realm the realm the job was sent to
   * @param waited how long the caller waited
   */
  public JobTimeoutException(String realm, Duration waited) {
    super("no result from " + realm + " within " + waited + "; the job was cancelled");
    this.result = null;
  }

  /**
   * The broker's result, when the broker timed the job out.
   *
   * @return the result; empty when the caller's wait elapsed first
   */
  public Optional<JobResult> result() {
    return Optional.ofNullable(result);
  }
}

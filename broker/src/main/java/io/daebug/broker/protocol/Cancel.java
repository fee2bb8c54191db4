package io.daebug.broker.protocol;

/**
 * Cancels a queued or running job, named by its job id or by the submitting connection's ref.
 *
 * @param job the job id; nullable when {@code ref} is given
 * @param ref the ref of a submission of this connection; nullable when {@code job} is given
 */
public record Cancel(String job, String ref) implements FromController {
  public Cancel {
    if (job == null && ref == null) {
      throw new IllegalArgumentException("cancel needs a job or a ref");
    }
  }
}

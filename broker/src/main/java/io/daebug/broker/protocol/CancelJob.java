package io.daebug.broker.protocol;

/**
 * Tells a realm the broker no longer waits for a job; a realm that can stop it does (docs/protocol.md).
 *
 * @param id the job id
 * @param reason why, for the realm's own logs
 * @param realm null when the job is the receiving realm's own; the name of the realm running it when
 *     this is the copy sent to that realm's owner (its {@code hello.parent})
 */
public record CancelJob(String id, String reason, String realm) implements ToRealm {
  /** A cancel of the receiving realm's own job. */
  public CancelJob(String id, String reason) {
    this(id, reason, null);
  }
}

package io.daebug.broker.protocol;

/**
 * A submission was accepted.
 *
 * @param ref the controller's ref
 * @param job the job id the broker gave it
 * @param realm the realm
 * @param ahead jobs before it in the realm's queue
 */
public record JobQueued(String ref, String job, String realm, int ahead) implements ToController {}

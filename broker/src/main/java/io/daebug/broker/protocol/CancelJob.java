package io.daebug.broker.protocol;

/**
 * Tells a realm the broker no longer waits for a job; a realm that can stop it does (docs/protocol.md).
 *
 * @param id the job id
 * @param reason why, for the realm's own logs
 */
public record CancelJob(String id, String reason) implements ToRealm {}

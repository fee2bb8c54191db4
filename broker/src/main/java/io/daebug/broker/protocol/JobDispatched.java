package io.daebug.broker.protocol;

/**
 * A submitted job was pushed to its realm.
 *
 * @param ref the controller's ref
 * @param job the job id
 * @param realm the realm
 * @param queuedMs how long it waited from submit to dispatch
 */
public record JobDispatched(String ref, String job, String realm, double queuedMs) implements ToController {}

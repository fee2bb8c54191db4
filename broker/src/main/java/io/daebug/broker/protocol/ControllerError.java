package io.daebug.broker.protocol;

/**
 * Something a controller sent was refused.
 *
 * @param ref the submission's ref when the error is about one; nullable
 * @param code a stable code such as {@code unknown-realm}
 * @param message a human-readable explanation
 */
public record ControllerError(String ref, String code, String message) implements ToController {}

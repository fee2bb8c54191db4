package io.daebug.broker.protocol;

/**
 * Tells a peer that something it sent was refused.
 *
 * @param code a stable machine-readable code such as {@code bad-frame} or {@code unknown-type}
 * @param message a human-readable explanation
 */
public record ErrorMessage(String code, String message) implements ToRealm {}

package io.daebug.broker.protocol;

/**
 * The broker's answer to {@link Hello}.
 *
 * @param name the realm's name from now on (sanitised, maybe suffixed)
 * @param log the realm's log file relative to the broker's root, e.g. {@code daebug/7-zen-1201-03.md}
 */
public record Welcome(String name, String log) implements ToRealm {}

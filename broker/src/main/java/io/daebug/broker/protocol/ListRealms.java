package io.daebug.broker.protocol;

/** Asks for a {@link RealmList} snapshot. */
public record ListRealms() implements FromController {}

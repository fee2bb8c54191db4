package io.daebug.broker.protocol;

/** A realm appeared, changed state or went away ({@code state} {@code gone}). @param realm the realm now */
public record RealmUpdate(RealmInfo realm) implements ToController {}

package io.daebug.broker.protocol;

/** Ends a {@link Watch}. @param realm the realm's name, or {@code *} (required) */
public record Unwatch(String realm) implements FromController {
  public Unwatch {
    if (realm == null || realm.isEmpty()) {
      throw new IllegalArgumentException("unwatch needs a realm (or *)");
    }
  }
}

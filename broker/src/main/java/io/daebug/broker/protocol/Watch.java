package io.daebug.broker.protocol;

/** Subscribes to a realm's events; {@code *} means every realm. @param realm the realm's name (required) */
public record Watch(String realm) implements FromController {
  public Watch {
    if (realm == null || realm.isEmpty()) {
      throw new IllegalArgumentException("watch needs a realm (or *)");
    }
  }
}

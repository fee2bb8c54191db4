package io.daebug.broker.protocol;

/**
 * Subscribes to a realm's events, and with {@code jobs} to its jobs as well; {@code *} means every realm.
 *
 * @param realm the realm's name (required)
 * @param jobs true to be told of every job of the realm as it is requested, dispatched and answered, whoever
 *     asked for it ({@code request}, {@code dispatched} and {@code result} messages); null means false
 */
public record Watch(String realm, Boolean jobs) implements FromController {
  public Watch {
    if (realm == null || realm.isEmpty()) {
      throw new IllegalArgumentException("watch needs a realm (or *)");
    }
  }

  /** Events only. */
  public Watch(String realm) {
    this(realm, null);
  }
}

package io.daebug.client;

/**
 * Hears about realms appearing, changing state and going away. Both methods are no-ops by default;
 * override the ones you need. Called on the client's thread (see {@link DaebugClient}); must not block.
 *
 * <p>After a reconnect the client compares the broker's fresh list with the one it had: realms that
 * changed get {@link #realmChanged}, realms no longer listed get {@link #realmGone}.
 */
public interface RealmListener {
  /**
   * A realm appeared or changed (state, URL, ...).
   *
   * @param realm the realm as listed now
   */
  default void realmChanged(RealmInfo realm) {}

  /**
   * A realm left the registry (after its disconnect grace period) and can no longer run jobs.
   *
   * @param name the realm's name
   */
  default void realmGone(String name) {}
}

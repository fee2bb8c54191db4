package io.daebug.client;

/**
 * Receives realm events (console lines, uncaught errors) subscribed to with
 * {@link DaebugClient#watch(String, EventListener)}. Called on the client's thread (see
 * {@link DaebugClient}), in arrival order; must not block.
 */
@FunctionalInterface
public interface EventListener {
  /**
   * An event happened in a watched realm.
   *
   * @param event the event; {@link RealmEvent#job()} is null for background events
   */
  void onEvent(RealmEvent event);
}

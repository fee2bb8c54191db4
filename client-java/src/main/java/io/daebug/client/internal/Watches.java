package io.daebug.client.internal;

import io.daebug.client.EventListener;
import io.daebug.client.RealmEvent;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Event subscriptions. Several listeners may watch the same realm: the broker is sent one {@code watch}
 * for the first and one {@code unwatch} after the last. The set of keys the broker knows is kept on the
 * client's thread and re-sent after a reconnect.
 */
final class Watches {
  /** A realm name or {@code *}, and who listens. */
  record Watch(String key, EventListener listener) {}

  static final String ALL = "*";

  private final ListenerSet<Watch> watches = new ListenerSet<>();
  /** Keys the broker was told to watch on the current connection (client thread only). */
  private final Set<String> told = new HashSet<>();

  /** Registers a watch; {@code afterClose} runs when it is closed (the caller then calls {@link #sync}). */
  ListenerSet.Registration<Watch> add(String key, EventListener listener, Runnable afterClose) {
    return watches.add(new Watch(key, listener), afterClose);
  }

  /**
   * Tells the broker about {@code key} if that changed: a watch when some listener wants it and the
   * broker was not told, an unwatch when none does any more.
   */
  void sync(String key, Consumer<Boolean> tell) {
    boolean wanted = false;
    for (ListenerSet.Registration<Watch> r : watches.registrations()) {
      wanted |= r.active() && r.listener.key().equals(key);
    }
    if (wanted && told.add(key)) {
      tell.accept(true);
    } else if (!wanted && told.remove(key)) {
      tell.accept(false);
    }
  }

  /** Every key some listener wants, for re-sending after a (re)connect. */
  Set<String> wantedKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (ListenerSet.Registration<Watch> r : watches.registrations()) {
      if (r.active()) {
        keys.add(r.listener.key());
      }
    }
    return keys;
  }

  /** The connection changed: the new one knows of no watches yet. */
  void forgetTold() {
    told.clear();
  }

  /** Records that the broker was told about {@code key} on this connection. */
  void told(String key) {
    told.add(key);
  }

  /** Hands an event to every listener watching its realm or {@code *}. */
  void dispatch(RealmEvent event) {
    watches.forEach("event listener", w -> {
      if (w.key().equals(ALL) || w.key().equals(event.realm())) {
        w.listener().onEvent(event);
      }
    });
  }
}

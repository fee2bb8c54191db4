package io.daebug.client.internal;

import io.daebug.client.RealmInfo;
import io.daebug.client.RealmListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The realms the broker lists, as last told. Changed on the client's thread only; {@link #snapshot()}
 * may be read from any thread.
 */
final class RealmTable {
  private final Map<String, RealmInfo> byName = new LinkedHashMap<>();
  private final Map<String, List<CompletableFuture<RealmInfo>>> waiters = new HashMap<>();
  private final ListenerSet<RealmListener> listeners;
  private volatile List<RealmInfo> snapshot = List.of();

  RealmTable(ListenerSet<RealmListener> listeners) {
    this.listeners = listeners;
  }

  /** The realms listed now, in the broker's order. */
  List<RealmInfo> snapshot() {
    return snapshot;
  }

  /** A complete list from the broker (welcome or realms): realms not in it are gone. */
  void replace(List<RealmInfo> fresh) {
    Map<String, RealmInfo> next = new LinkedHashMap<>();
    for (RealmInfo r : fresh) {
      if (!r.state().equals(RealmInfo.GONE)) {
        next.put(r.name(), r);
      }
    }
    List<String> gone = new ArrayList<>();
    for (String name : byName.keySet()) {
      if (!next.containsKey(name)) {
        gone.add(name);
      }
    }
    List<RealmInfo> changed = new ArrayList<>();
    for (RealmInfo r : next.values()) {
      if (!Objects.equals(byName.get(r.name()), r)) {
        changed.add(r);
      }
    }
    byName.clear();
    byName.putAll(next);
    publish();
    for (String name : gone) {
      listeners.forEach("realmGone", l -> l.realmGone(name));
    }
    for (RealmInfo r : changed) {
      listeners.forEach("realmChanged", l -> l.realmChanged(r));
      wake(r);
    }
  }

  /** One realm appeared, changed or went away. */
  void update(RealmInfo realm) {
    if (realm.state().equals(RealmInfo.GONE)) {
      if (byName.remove(realm.name()) != null) {
        publish();
      }
      listeners.forEach("realmGone", l -> l.realmGone(realm.name()));
      return;
    }
    if (realm.equals(byName.put(realm.name(), realm))) {
      return;
    }
    publish();
    listeners.forEach("realmChanged", l -> l.realmChanged(realm));
    wake(realm);
  }

  /** Completes {@code waiter} when a realm of this name is listed and connected (now or later). */
  void await(String name, CompletableFuture<RealmInfo> waiter) {
    RealmInfo now = byName.get(name);
    if (now != null && now.isConnected()) {
      waiter.complete(now);
    } else {
      waiters.computeIfAbsent(name, n -> new ArrayList<>()).add(waiter);
    }
  }

  /** Drops a waiter that gave up. */
  void forget(String name, CompletableFuture<RealmInfo> waiter) {
    List<CompletableFuture<RealmInfo>> list = waiters.get(name);
    if (list != null) {
      list.remove(waiter);
      if (list.isEmpty()) {
        waiters.remove(name);
      }
    }
  }

  /** Fails every waiter (the client closed). */
  void failWaiters(RuntimeException why) {
    for (List<CompletableFuture<RealmInfo>> list : waiters.values()) {
      list.forEach(w -> w.completeExceptionally(why));
    }
    waiters.clear();
  }

  /** "a (live), b (disconnected)" or "none", for messages. */
  String describe() {
    if (byName.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    for (RealmInfo r : byName.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(r.name()).append(" (").append(r.state()).append(')');
    }
    return sb.toString();
  }

  private void wake(RealmInfo realm) {
    if (!realm.isConnected()) {
      return;
    }
    List<CompletableFuture<RealmInfo>> list = waiters.remove(realm.name());
    if (list != null) {
      list.forEach(w -> w.complete(realm));
    }
  }

  private void publish() {
    snapshot = List.copyOf(byName.values());
  }
}

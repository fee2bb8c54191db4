package io.daebug.client.realm;

import java.util.Map;
import java.util.TreeMap;

/** An application object the tests bind into a realm. */
public final class OrderBook {
  private final Map<String, Integer> pending = new TreeMap<>();

  public OrderBook add(String item, int quantity) {
    pending.merge(item, quantity, Integer::sum);
    return this;
  }

  public int pending(String item) {
    return pending.getOrDefault(item, 0);
  }

  public int totalPending() {
    return pending.values().stream().mapToInt(Integer::intValue).sum();
  }
}

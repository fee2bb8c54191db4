package io.daebug.client.realm.examples;

import io.daebug.client.realm.JvmRealm;
import io.daebug.client.realm.RealmOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The smallest useful JVM realm: an application holding an inventory registers itself with a broker,
 * so an agent can inspect and change the live inventory from {@code daebug/inventory-demo.md}:
 *
 * <pre>
 * ```java
 * inventory.count("apple")
 * ```
 * </pre>
 *
 * <p>Run it next to a broker: {@code java -cp <class path> io.daebug.client.realm.examples.JvmRealmExample
 * http://127.0.0.1:8100/}. Compiled and run by {@code JvmRealmExampleTest}, so it cannot rot.
 */
public final class JvmRealmExample {
  private JvmRealmExample() {}

  public static void main(String[] args) throws InterruptedException {
    URI broker = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8100/");
    Inventory inventory = new Inventory();
    inventory.receive("apple", 3);
    inventory.receive("pear", 5);

    JvmRealm realm = JvmRealm.start(RealmOptions.of(broker).withName("inventory-demo"));
    realm.bind("inventory", inventory);
    Runtime.getRuntime().addShutdownHook(new Thread(realm::close, "inventory-demo-shutdown"));
    realm.awaitConnected(Duration.ofSeconds(60));
    System.out.println("inventory-demo is a realm: append a ```java fence to " + realm.logFile());

    new CountDownLatch(1).await(); // serve until the process is stopped
  }

  /** The application's state, which snippets reach through the bound variable {@code inventory}. */
  public static final class Inventory {
    private final Map<String, Integer> stock = new ConcurrentHashMap<>();

    public void receive(String item, int quantity) {
      stock.merge(item, quantity, Integer::sum);
    }

    public int count(String item) {
      return stock.getOrDefault(item, 0);
    }

    public Map<String, Integer> snapshot() {
      return new TreeMap<>(stock);
    }
  }
}

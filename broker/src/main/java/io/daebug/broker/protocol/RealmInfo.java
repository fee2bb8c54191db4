package io.daebug.broker.protocol;

/**
 * A realm as controllers see it.
 *
 * @param name its name
 * @param kind {@code page}, {@code worker}, {@code iframe}, {@code node}, {@code jvm}
 * @param url where it lives
 * @param language the language of its jobs
 * @param state a registry state ({@code live}, {@code executing}, {@code queued N}, {@code unresponsive},
 *     {@code disconnected}) or {@code gone}
 * @param log its log file relative to the broker's root
 * @param title what the realm calls itself (a page's title at its last connection); nullable
 * @param lastSeen broker time {@code HH:MM:SS} of its last connection, disconnection or recovery, as in
 *     {@code daebug.md}; nullable
 * @param job the id of the job it is running now; null when idle
 */
public record RealmInfo(String name, String kind, String url, String language, String state, String log,
    String title, String lastSeen, String job) {
  /** The same realm, gone from the registry. */
  public RealmInfo gone() {
    return new RealmInfo(name, kind, url, language, "gone", log, title, lastSeen, null);
  }
}

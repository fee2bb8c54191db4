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
 */
public record RealmInfo(String name, String kind, String url, String language, String state, String log) {}

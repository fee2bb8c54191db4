package io.daebug.broker.protocol;

/**
 * A console call, uncaught error or unhandled rejection in a realm.
 *
 * @param job id of the job running when it happened; null for background events
 * @param kind {@code log}, {@code info}, {@code warn}, {@code error}, {@code debug}, {@code window.onerror},
 *     {@code self.onerror} or {@code unhandledrejection} (required)
 * @param time epoch milliseconds in the realm; null means "when the broker received it"
 * @param text the message as the console shows it; null means empty
 */
public record RealmEvent(String job, String kind, Long time, String text) implements FromRealm {
  public RealmEvent {
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("event needs a kind");
    }
    text = text == null ? "" : text;
  }
}

package io.daebug.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A console line, uncaught error or unhandled rejection in a realm, as the broker relays it.
 *
 * @param realm the realm's name
 * @param job the id of the job running when it happened; nullable (null for background events)
 * @param kind {@code log}, {@code info}, {@code warn}, {@code error}, {@code debug},
 *     {@code window.onerror}, {@code self.onerror} or {@code unhandledrejection} (others may appear)
 * @param time when it happened in the realm (when the client received it, if the realm did not say)
 * @param text the message as the console shows it; never null, maybe empty
 */
public record RealmEvent(String realm, String job, String kind, Instant time, String text) {
  /**
   * Checks that {@code realm}, {@code kind} and {@code time} are present; a null text becomes empty.
   *
   * @param realm the realm's name
   * @param job the job's id; nullable
   * @param kind the kind
   * @param time when it happened
   * @param text the message; nullable
   */
  public RealmEvent {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(time, "time");
    text = text == null ? "" : text;
  }

  /**
   * Whether this is an uncaught error or unhandled rejection rather than a console call.
   *
   * @return true for {@code *.onerror} and {@code unhandledrejection}
   */
  public boolean isUncaught() {
    return kind.endsWith("onerror") || kind.equals("unhandledrejection");
  }
}

package io.daebug.broker.protocol;

/**
 * A realm's heartbeat, sent from its main thread every {@code intervalMs} (docs/protocol.md). The
 * WebSocket's own pings are answered by the browser's network process even while the page's thread
 * is stuck in a loop; beats are not, so a realm that stops beating while its socket lives is busy.
 *
 * @param intervalMs how often the realm beats; null means 1000. The broker reports the realm
 *     unresponsive after three intervals without a beat
 * @param hidden true while the page is hidden (browsers throttle its timers then): no beats are
 *     expected until one says false; null means false
 */
public record Beat(Long intervalMs, Boolean hidden) implements FromRealm {
  public Beat {
    if (intervalMs != null && (intervalMs < 50 || intervalMs > 600_000)) {
      throw new IllegalArgumentException("beat intervalMs must be 50..600000");
    }
  }
}

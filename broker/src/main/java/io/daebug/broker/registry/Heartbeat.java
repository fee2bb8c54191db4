package io.daebug.broker.registry;

/**
 * A realm's application-level heartbeat (protocol message {@code beat}). Browsers answer WebSocket
 * pings from their network process even while a page's main thread is stuck in a loop, so pongs
 * cannot tell a busy page from an idle one; beats are sent by the realm's own thread and stop when
 * it is busy. A realm that never beat (Node, JVM, older shims) is never judged by beats. Confined to
 * the core thread, like {@link Realm}.
 */
public final class Heartbeat {
  /** Beats missed before the realm counts as silent. */
  static final int MISSED = 3;
  /** Never silent sooner than this after the last beat, however short the realm's interval. */
  static final long MIN_SILENCE_NANOS = 1_500_000_000L;

  private long intervalNanos;
  private long lastBeatNanos;
  private boolean hidden;
  private boolean silent;

  /** Forgets everything (a new connection). */
  void reset() {
    intervalNanos = 0;
    hidden = false;
    silent = false;
  }

  /** Records a beat; true when it ends a silence. */
  public boolean beat(long nowNanos, long intervalMs, boolean nowHidden) {
    intervalNanos = intervalMs * 1_000_000L;
    lastBeatNanos = nowNanos;
    hidden = nowHidden;
    boolean ended = silent;
    silent = false;
    return ended;
  }

  /** Marks the realm silent when it beat before, is not hidden, and missed {@value #MISSED} beats; true on change. */
  public boolean check(long nowNanos) {
    if (silent || intervalNanos == 0 || hidden) {
      return false;
    }
    if (nowNanos - lastBeatNanos > Math.max(MIN_SILENCE_NANOS, MISSED * intervalNanos)) {
      silent = true;
      return true;
    }
    return false;
  }

  /** Whether the realm stopped beating while its connection is alive. */
  public boolean silent() {
    return silent;
  }

  /** Nanoseconds since the last beat. */
  public long sinceLastBeat(long nowNanos) {
    return nowNanos - lastBeatNanos;
  }
}

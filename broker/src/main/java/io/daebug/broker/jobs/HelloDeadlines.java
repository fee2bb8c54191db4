package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connections that have not said {@code hello} yet, each closed once it has been open {@link #TIMEOUT} without
 * one: a socket that never greets holds no realm, but would otherwise hold a connection until the transport's
 * idle timeout (a minute). Time comes from the injected ticker. Confined to the core thread.
 */
public final class HelloDeadlines {
  /** How long a connection may stay open without its {@code hello}. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private record Pending(long openedNanos, Runnable close) {}

  private final Ticker ticker;
  private final long timeoutNanos;
  /** In the order the connections opened, so the oldest come first. */
  private final Map<Object, Pending> pending = new LinkedHashMap<>();

  public HelloDeadlines(Ticker ticker, Duration timeout) {
    this.ticker = ticker;
    this.timeoutNanos = timeout.toNanos();
  }

  /** A connection opened; {@code close} closes it (with a reason) if it has not greeted in time. */
  void opened(Object link, Runnable close) {
    pending.put(link, new Pending(ticker.read(), close));
  }

  /** The connection said hello, or closed: it has no deadline any more. */
  void settled(Object link) {
    pending.remove(link);
  }

  /** How many connections wait for their hello. */
  int size() {
    return pending.size();
  }

  /** Closes every connection whose time is up; returns how many. */
  int closeExpired() {
    long now = ticker.read();
    int closed = 0;
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now - p.openedNanos() < timeoutNanos) {
        break;
      }
      it.remove();
      p.close().run();
      closed++;
    }
    return closed;
  }
}

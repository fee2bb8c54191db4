package io.daebug.broker.transport.ws;

import org.eclipse.jetty.websocket.api.Session;

/**
 * How many of one connection's frames the broker's core may hold at a time: at most {@value #MAX_IN_FLIGHT}. The
 * endpoint reads the next frame ({@link Session#demand()}) only while fewer of its frames wait for the core, so a
 * client that sends 10,000 submits at once waits in its own TCP buffers, not in front of every other realm's
 * results in the core's queue: each connection's work gets its turn (issue 12, item 8). Thread-safe: Jetty calls
 * the endpoint, the core completes frames.
 */
final class Intake {
  /** A connection's frames the core may hold at once. */
  static final int MAX_IN_FLIGHT = 4;

  private final Session session;
  private int inFlight;
  private boolean demanding;

  Intake(Session session) {
    this.session = session;
  }

  /** Asks for the first frame. */
  synchronized void start() {
    demand();
  }

  /** A frame arrived and goes to the core; the returned callback must run once the core is done with it. */
  synchronized Runnable handedOn() {
    demanding = false;
    inFlight++;
    demand();
    return this::done;
  }

  /**
   * The {@code hello} arrived and goes to the core: no later frame is read before the core is done with it, so none
   * can overtake it (the core may take its time, reading a big log first).
   */
  synchronized Runnable handedOnAlone() {
    demanding = false;
    inFlight = MAX_IN_FLIGHT;
    return this::helloDone;
  }

  private synchronized void helloDone() {
    inFlight = 0;
    demand();
  }

  /** A frame arrived and was dealt with at once (a pong, a refused frame): asks for the next one. */
  synchronized void handled() {
    demanding = false;
    demand();
  }

  private synchronized void done() {
    inFlight--;
    demand();
  }

  /** Demands once, when none is pending and the core has room for this connection's next frame. */
  private void demand() {
    if (!demanding && inFlight < MAX_IN_FLIGHT && session.isOpen()) {
      demanding = true;
      session.demand();
    }
  }
}

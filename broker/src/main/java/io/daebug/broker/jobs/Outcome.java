package io.daebug.broker.jobs;

/**
 * How a job ended. A result from the realm is {@link #OK} or {@link #ERROR}; the others are the broker ending a job
 * that got no result. Controllers are told {@link #wire()} (docs/protocol.md); the journal writes the 🚫 reply.
 */
enum Outcome {
  OK("ok", null),
  ERROR("error", null),
  TIMEOUT("timeout", "TimeoutError"),
  CANCELLED("cancelled", "CancelledError"),
  DISCONNECTED("disconnected", "DisconnectedError"),
  /** Refused (queue full) or ended by the broker shutting down. */
  FAILED("failed", "BrokerError");

  private final String wire;
  private final String errorName;

  Outcome(String wire, String errorName) {
    this.wire = wire;
    this.errorName = errorName;
  }

  /** The {@code outcome} a controller's {@code result} carries. */
  String wire() {
    return wire;
  }

  /** The error's name a controller gets for a job the broker ended; null for a realm's own result. */
  String errorName() {
    return errorName;
  }

  static Outcome of(boolean ok) {
    return ok ? OK : ERROR;
  }
}

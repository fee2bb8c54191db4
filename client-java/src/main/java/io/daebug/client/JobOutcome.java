package io.daebug.client;

import java.util.Locale;

/** How a job ended, as the broker reports it in the {@code outcome} of its result. */
public enum JobOutcome {
  /** The code completed; the result has a value. */
  OK,
  /** The code threw; the result has the error. */
  ERROR,
  /** The job ran longer than its timeout. */
  TIMEOUT,
  /** A controller (or a {@code %%CANCEL%%} line in the log) cancelled the job. */
  CANCELLED,
  /** The realm went away while the job ran, or before it could run. */
  DISCONNECTED,
  /** The broker could not send the job, or shut down. */
  FAILED,
  /** An outcome this client version does not know; treated as a failure. */
  UNKNOWN;

  /**
   * The outcome named by a wire string.
   *
   * @param outcome the wire string such as {@code ok}; nullable
   * @return the outcome; {@link #UNKNOWN} for anything else
   */
  public static JobOutcome fromWire(String outcome) {
    if (outcome == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(outcome.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /**
   * The wire string.
   *
   * @return the string, such as {@code ok}
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}

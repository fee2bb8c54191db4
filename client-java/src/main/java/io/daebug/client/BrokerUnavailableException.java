package io.daebug.client;

/**
 * The broker could not be reached, refused the connection (for example a missing or wrong token), or
 * went away: the connection was lost while a job was in flight, the client could not reconnect within
 * its connect timeout, or the client was closed.
 */
public class BrokerUnavailableException extends DaebugException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public BrokerUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what happened
   * @param cause the underlying failure
   */
  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

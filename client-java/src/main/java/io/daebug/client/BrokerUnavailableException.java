package io.daebug.client;

/** The broker could not be reached, refused the connection (for example a missing token), or went away. */
public class BrokerUnavailableException extends DaebugException {
  private static final long serialVersionUID = 1L;

  public BrokerUnavailableException(String message) {
    super(message);
  }

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

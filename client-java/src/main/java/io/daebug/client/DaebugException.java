package io.daebug.client;

/** The root of every exception the Daebug client throws. Unchecked, like the rest of the hierarchy. */
public class DaebugException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DaebugException(String message) {
    super(message);
  }

  public DaebugException(String message, Throwable cause) {
    super(message, cause);
  }
}

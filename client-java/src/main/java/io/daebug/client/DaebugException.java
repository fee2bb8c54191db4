package io.daebug.client;

/** The root of every exception the Daebug client throws. Unchecked, like the rest of the hierarchy. */
public class DaebugException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   */
  public DaebugException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public DaebugException(String message, Throwable cause) {
    super(message, cause);
  }
}

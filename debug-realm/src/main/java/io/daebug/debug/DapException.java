package io.daebug.debug;

/** A request the debug adapter refused (its own error text), did not answer, or could not get: the adapter is gone. */
final class DapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DapException(String message) {
    super(message);
  }

  DapException(String message, Throwable cause) {
    super(message, cause);
  }
}

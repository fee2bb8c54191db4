package io.daebug.debug;

/**
 * A request the debug adapter refused (its own error text), did not answer, or could not get (the adapter is
 * gone); or a job that had to stop waiting. {@link #name} is the error's name in the {@code 🚫} reply.
 */
final class DapException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String name;

  DapException(String message) {
    this("DebugError", message, null);
  }

  DapException(String message, Throwable cause) {
    this("DebugError", message, cause);
  }

  DapException(String name, String message, Throwable cause) {
    super(message, cause);
    this.name = name;
  }

  String name() {
    return name;
  }
}

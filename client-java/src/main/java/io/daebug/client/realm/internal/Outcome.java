package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * How a job ended: a value encoded per docs/protocol.md "Values", or an error.
 *
 * @param value the encoded value when {@code error} is null
 * @param error what went wrong, or null
 */
record Outcome(JsonNode value, Failure error) {
  Outcome {
    if ((value == null) == (error == null)) {
      throw new IllegalArgumentException("an outcome has either a value or an error");
    }
  }

  static Outcome value(JsonNode value) {
    return new Outcome(Objects.requireNonNull(value, "value"), null);
  }

  static Outcome failure(String name, String message, String stack) {
    return new Outcome(null, new Failure(name, message, stack));
  }

  boolean ok() {
    return error == null;
  }

  /**
   * A failure as the protocol's {@code error} object carries it.
   *
   * @param name e.g. {@code java.lang.IllegalStateException} or {@code CompilationError}
   * @param message the message, never null
   * @param stack the stack as Java prints it (starting with {@code name: message}), or null
   */
  record Failure(String name, String message, String stack) {
    Failure {
      Objects.requireNonNull(name, "name");
      message = message == null ? "" : message;
    }
  }
}

package io.daebug.broker.protocol;

/**
 * A thrown error as a realm reports it.
 *
 * @param name the error's class name such as {@code TypeError}; nullable
 * @param message the message; nullable
 * @param stack the stack as the runtime prints it, usually starting with {@code name: message}; nullable
 */
public record ErrorInfo(String name, String message, String stack) {
  /**
   * The text of an {@code Error} fence: the stack when it names the error (JavaScript stacks start with {@code
   * name: message}, Python tracebacks end with it), else name and message then the stack.
   */
  public String display() {
    String head = (name == null || name.isEmpty() ? "Error" : name)
        + (message == null || message.isEmpty() ? "" : ": " + message);
    if (stack == null || stack.isBlank()) {
      return head;
    }
    return stack.startsWith(head) || (name != null && stack.startsWith(name)) || stack.endsWith("\n" + head)
        ? stack : head + "\n" + stack;
  }
}

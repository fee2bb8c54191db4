package io.daebug.client;

/**
 * An error as the realm or the broker reported it: what the code threw, or why the job did not run.
 *
 * @param name the error's name such as {@code TypeError} or {@code Timeout}; never null, maybe empty
 * @param message its message; never null, maybe empty
 * @param stack its stack as the runtime prints it; never null, maybe empty
 */
public record JobError(String name, String message, String stack) {
  /**
   * Turns null components into empty strings.
   *
   * @param name the error's name; nullable
   * @param message its message; nullable
   * @param stack its stack; nullable
   */
  public JobError {
    name = name == null ? "" : name;
    message = message == null ? "" : message;
    stack = stack == null ? "" : stack;
  }

  /**
   * The text the journal shows in the reply's {@code Error} fence: the stack when it starts with the
   * error's name (JavaScript) or ends with {@code name: message} (a Python traceback), else
   * {@code name: message} followed by the stack.
   *
   * @return the text
   */
  public String display() {
    String head = (name.isEmpty() ? "Error" : name) + (message.isEmpty() ? "" : ": " + message);
    if (stack.isBlank()) {
      return head;
    }
    return stack.startsWith(head) || (!name.isEmpty() && stack.startsWith(name)) || stack.endsWith("\n" + head)
        ? stack : head + "\n" + stack;
  }
}

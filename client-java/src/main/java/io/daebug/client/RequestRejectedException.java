package io.daebug.client;

/**
 * The broker refused a submission before running it, with an {@code error} message: for example
 * {@code wrong-language} (the request's language is not the realm's) or {@code bad-request}. A request
 * naming a realm that does not exist fails with the subclass {@link RealmNotFoundException}.
 */
public class RequestRejectedException extends DaebugException {
  private static final long serialVersionUID = 1L;

  /** The broker's error code. */
  private final String code;

  /**
   * Creates the exception.
   *
   * @param code the broker's error code, such as {@code wrong-language}
   * @param message the broker's explanation
   */
  public RequestRejectedException(String code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * The broker's error code.
   *
   * @return the code, such as {@code wrong-language} or {@code bad-request}
   */
  public String code() {
    return code;
  }
}

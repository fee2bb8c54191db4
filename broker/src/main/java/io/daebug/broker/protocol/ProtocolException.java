package io.daebug.broker.protocol;

/** A frame the codec could not turn into a message; the message says why, for the peer and the log. */
public final class ProtocolException extends Exception {
  private final String code;

  public ProtocolException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** A stable code such as {@code bad-json}, {@code unknown-type} or {@code invalid}. */
  public String code() {
    return code;
  }
}

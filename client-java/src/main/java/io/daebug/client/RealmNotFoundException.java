package io.daebug.client;

/**
 * No realm of the requested name is listed: the broker answered {@code unknown-realm} to a submission,
 * or {@link DaebugClient#awaitRealm} gave up. The message lists the realms that are live.
 */
public class RealmNotFoundException extends RequestRejectedException {
  private static final long serialVersionUID = 1L;

  /** The broker's error code for this case. */
  public static final String CODE = "unknown-realm";

  /**
   * Creates the exception.
   *
   * @param message what was looked for and what is listed
   */
  public RealmNotFoundException(String message) {
    super(CODE, message);
  }
}

package io.daebug.broker.protocol;

/**
 * The realm's title changed since its hello (a page's {@code document.title} after a navigation in a
 * single-page app, a tab counter): controllers see the new one in the realm objects (docs/protocol.md).
 *
 * @param title the new title, as {@link Hello#title()} keeps it; null (or blank) clears it
 */
public record Title(String title) implements FromRealm {
  /** The longest title kept. */
  public static final int MAX = 200;

  public Title {
    title = printable(title);
  }

  /** A title as the broker keeps it: stripped, control characters percent-encoded, at most {@value #MAX}; null if blank. */
  static String printable(String title) {
    return title == null || title.isBlank() ? null : RecordedUrl.printable(title.strip(), MAX);
  }
}

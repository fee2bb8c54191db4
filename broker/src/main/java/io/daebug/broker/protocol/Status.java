package io.daebug.broker.protocol;

/**
 * What a realm's runtime is doing, shown on its line in {@code daebug.md} after its state: a debug realm's
 * {@code stopped at main.go:42 (breakpoint)}, {@code running}, {@code exited 0} (docs/protocol.md).
 *
 * @param text one line, control characters and line breaks replaced by spaces, cut to {@value #MAX}
 *     characters; null (or blank) clears the status
 */
public record Status(String text) implements FromRealm {
  /** The longest status kept. */
  public static final int MAX = 160;

  public Status {
    if (text != null) {
      StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX));
      for (int i = 0; i < text.length() && sb.length() < MAX; i++) {
        char c = text.charAt(i);
        sb.append(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c);
      }
      text = sb.toString().strip();
      text = text.isEmpty() ? null : text;
    }
  }
}

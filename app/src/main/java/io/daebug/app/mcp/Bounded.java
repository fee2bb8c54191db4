package io.daebug.app.mcp;

/** Text cut to a budget, with a note that says how much was cut and where all of it is. */
final class Bounded {
  private Bounded() {}

  /** The start of {@code text}, at most about {@code max} characters, then a note. */
  static String cut(String text, int max, String whole) {
    if (text.length() <= max) {
      return text;
    }
    int keep = keep(text, Math.max(0, max - 120));
    return text.substring(0, keep) + "\n… (" + (text.length() - keep) + " more characters cut; all of it is in "
        + whole + ")";
  }

  /** The end of {@code text}, at most about {@code max} characters, after a note. */
  static String cutFront(String text, int max, String whole) {
    if (text.length() <= max) {
      return text;
    }
    int keep = Math.max(0, max - 100);
    int from = text.length() - keep;
    if (from > 0 && from < text.length() && Character.isLowSurrogate(text.charAt(from))) {
      from++;
    }
    return "… (" + from + " earlier characters cut; all of it is in " + whole + ")\n" + text.substring(from);
  }

  /** {@code max}, moved back off the middle of a surrogate pair. */
  private static int keep(String text, int max) {
    int keep = Math.min(max, text.length());
    return keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1)) ? keep - 1 : keep;
  }
}

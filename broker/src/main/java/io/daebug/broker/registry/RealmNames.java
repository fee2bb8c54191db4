package io.daebug.broker.registry;

import java.util.Locale;

/** Realm name sanitisation (FORMAT.md §1): the only way a name becomes a file name. */
public final class RealmNames {
  /** The longest name kept. */
  public static final int MAX = 64;

  private RealmNames() {}

  /**
   * Lowercases, turns every run of characters outside {@code [a-z0-9-]} into one {@code -}, trims
   * leading and trailing {@code -}, cuts to 64 characters. Returns "" for names that sanitise to nothing.
   */
  public static String sanitise(String proposed) {
    if (proposed == null) {
      return "";
    }
    String lower = proposed.toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(MAX + 1);
    boolean run = false;
    for (int i = 0; i < lower.length() && sb.length() <= MAX; i++) {
      char c = lower.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (sb.length() == 0 && !(ok && c != '-')) {
        continue; // leading '-' (and leading runs that would become '-') are dropped as they come
      }
      if (ok) {
        sb.append(c);
        run = false;
      } else if (!run) {
        sb.append('-');
        run = true;
      }
    }
    String s = sb.length() > MAX ? sb.substring(0, MAX) : sb.toString();
    return trimDashes(s);
  }

  /** {@code name-2}, {@code name-3}... kept within {@link #MAX} characters. */
  public static String withSuffix(String name, int n) {
    String suffix = "-" + n;
    String base = name.length() + suffix.length() > MAX ? trimDashes(name.substring(0, MAX - suffix.length())) : name;
    return base + suffix;
  }

  private static String trimDashes(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '-') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '-') {
      b--;
    }
    return s.substring(a, b);
  }
}

package io.daebug.broker.protocol;

/**
 * First frame of a realm connection.
 *
 * @param name proposed realm name, sanitised by the broker (required)
 * @param kind {@code page}, {@code worker}, {@code iframe}, {@code node}, {@code jvm} or {@code python}; null means page
 * @param url where the realm lives; nullable. Kept without the broker's token and printable ({@link RecordedUrl})
 * @param language language of its jobs; null means {@code javascript}
 * @param tab id the realm keeps across reconnects, used to take over its own stale connection; nullable
 * @param protocol protocol version; null means 1
 * @param parent the realm that owns this one (a worker's or an iframe's page); nullable. The broker sends
 *     the owner a copy of every {@code cancel} of this realm's jobs, so a page can terminate a worker
 *     stuck in a loop
 * @param title what the realm calls itself for people (a page's {@code document.title}); nullable; control
 *     characters percent-encoded, at most 200 characters
 */
public record Hello(String name, String kind, String url, String language, String tab, Integer protocol,
    String parent, String title) implements FromRealm {
  public Hello {
    if (name == null) {
      throw new IllegalArgumentException("hello needs a name");
    }
    kind = word(kind, 16, "page");
    language = word(language, 32, "javascript");
    url = url == null ? "" : RecordedUrl.of(url, 512);
    parent = parent == null || parent.isBlank() ? null : RecordedUrl.printable(parent, 128);
    title = Title.printable(title);
  }

  /** A hello without a title. */
  public Hello(String name, String kind, String url, String language, String tab, Integer protocol, String parent) {
    this(name, kind, url, language, tab, protocol, parent, null);
  }

  /**
   * Lowercase letters, digits and {@code +#._-} only, at most {@code max} long; anything else becomes
   * {@code fallback}. These values end up in journal lines, where a line break would forge structure.
   */
  private static String word(String s, int max, String fallback) {
    if (s == null) {
      return fallback;
    }
    String w = s.trim().toLowerCase(java.util.Locale.ROOT);
    return w.isEmpty() || w.length() > max || !w.matches("[a-z0-9+#._-]+") ? fallback : w;
  }
}

package io.daebug.broker.protocol;

/**
 * First frame of a realm connection.
 *
 * @param name proposed realm name, sanitised by the broker (required)
 * @param kind {@code page}, {@code worker}, {@code iframe}, {@code node} or {@code jvm}; null means page
 * @param url where the realm lives; nullable
 * @param language language of its jobs; null means {@code javascript}
 * @param tab id the realm keeps across reconnects, used to take over its own stale connection; nullable
 * @param protocol protocol version; null means 1
 */
public record Hello(String name, String kind, String url, String language, String tab, Integer protocol)
    implements FromRealm {
  public Hello {
    if (name == null) {
      throw new IllegalArgumentException("hello needs a name");
    }
    kind = kind == null || kind.isBlank() ? "page" : kind;
    language = language == null || language.isBlank() ? "javascript" : language;
    url = url == null ? "" : url;
  }
}

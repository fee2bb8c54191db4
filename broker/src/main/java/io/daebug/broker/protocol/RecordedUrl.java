package io.daebug.broker.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A realm's URL as the broker records it (registry, broker log, controllers): without the broker's token, and with
 * every character that could break a markdown line percent-encoded as UTF-8, so the text stays one line and reads
 * back as the same URL. Pure.
 */
final class RecordedUrl {
  /** The query parameter the broker's token travels in (the printed {@code ?token=} URL). */
  static final String TOKEN_PARAM = "token";

  private RecordedUrl() {}

  /** {@code url} without its token, made printable, cut to at most {@code max} characters. */
  static String of(String url, int max) {
    return printable(withoutToken(url), max);
  }

  /**
   * The URL with every {@code token} query parameter removed (its name compared after percent-decoding, as the
   * broker's own query parsing does); the rest of the query and the fragment are kept as they were.
   */
  static String withoutToken(String url) {
    int hash = url.indexOf('#');
    int q = url.indexOf('?');
    if (q < 0 || (hash >= 0 && hash < q)) {
      return url;
    }
    String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
    String fragment = hash < 0 ? "" : url.substring(hash);
    StringBuilder kept = new StringBuilder();
    boolean removed = false;
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(TOKEN_PARAM)) {
        removed = true;
        continue;
      }
      if (kept.length() > 0) {
        kept.append('&');
      }
      kept.append(pair);
    }
    if (!removed) {
      return url;
    }
    return url.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept) + fragment;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape: not the token's name
    }
  }

  /**
   * C0 and C1 controls, DEL, U+2028 and U+2029 percent-encoded as their UTF-8 bytes (U+2028 is {@code %E2%80%A8});
   * cut to at most {@code max} characters, never inside a surrogate pair or an escape.
   */
  static String printable(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String piece;
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        StringBuilder esc = new StringBuilder();
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          esc.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
        piece = esc.toString();
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        piece = s.substring(i, i + 2);
        i++;
      } else {
        piece = String.valueOf(c);
      }
      if (sb.length() + piece.length() > max) {
        break;
      }
      sb.append(piece);
    }
    return sb.toString();
  }
}

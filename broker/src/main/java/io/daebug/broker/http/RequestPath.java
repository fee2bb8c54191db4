package io.daebug.broker.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request path split into percent-decoded segments, decoded one segment at a time so that an
 * encoded {@code %2F} can never become a separator. Pure; no file system access.
 *
 * @param segments the decoded, non-empty segments ({@code //} collapses)
 * @param trailingSlash whether the raw path ends with {@code /}
 */
record RequestPath(List<String> segments, boolean trailingSlash) {

  /** Thrown for a path that is not valid percent-encoded UTF-8, or holds an encoded NUL. */
  static final class MalformedPathException extends Exception {
    MalformedPathException(String message) {
      super(message, null, false, false);
    }
  }

  RequestPath {
    segments = List.copyOf(segments);
  }

  /** Decodes a raw (still encoded) path such as {@code /a%20b/c.html}; no query string. */
  static RequestPath decode(String rawPath) throws MalformedPathException {
    if (rawPath == null || !rawPath.startsWith("/")) {
      throw new MalformedPathException("path must start with /");
    }
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/", -1)) {
      if (!raw.isEmpty()) {
        segments.add(decodeSegment(raw));
      }
    }
    return new RequestPath(segments, rawPath.endsWith("/"));
  }

  private static String decodeSegment(String raw) throws MalformedPathException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new MalformedPathException("truncated percent escape");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new MalformedPathException("invalid percent escape");
        }
        int b = (hi << 4) | lo;
        if (b == 0) {
          throw new MalformedPathException("encoded NUL");
        }
        bytes.write(b);
        i += 2;
      } else if (c < 0x20 || c == 0x7F) {
        throw new MalformedPathException("raw control character");
      } else if (c > 0x7F) {
        // Some clients send raw UTF-8; take the character as already decoded.
        int cp = raw.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedPathException("not UTF-8");
    }
  }

  /**
   * Whether this path must never be served from the project folder: a segment that is or starts
   * with a dot ({@code .}, {@code ..}, dotfiles, dot-folders), holds a separator or backslash
   * (from {@code %2F}/{@code %5C}) or a control character, or a first segment naming the
   * journal folder {@code daebug} in any case.
   */
  boolean hidden() {
    return isHidden(segments);
  }

  static boolean isHidden(List<String> segments) {
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if (s.startsWith(".") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
        return true;
      }
      for (int k = 0; k < s.length(); k++) {
        if (s.charAt(k) < 0x20 || s.charAt(k) == 0x7F) {
          return true;
        }
      }
      if (i == 0 && isJournalFolder(s)) {
        return true;
      }
    }
    return false;
  }

  static boolean isJournalFolder(String firstSegment) {
    return firstSegment.toLowerCase(Locale.ROOT).equals("daebug");
  }

  /** The canonical encoded form, e.g. for a redirect {@code Location}. */
  String encoded() {
    StringBuilder sb = new StringBuilder();
    for (String s : segments) {
      sb.append('/').append(encodeSegment(s));
    }
    if (segments.isEmpty() || trailingSlash) {
      sb.append('/');
    }
    return sb.toString();
  }

  /** Percent-encodes one segment (UTF-8), keeping RFC 3986 unreserved characters. */
  static String encodeSegment(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return sb.toString();
  }
}

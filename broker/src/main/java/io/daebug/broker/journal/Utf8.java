package io.daebug.broker.journal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lossless UTF-8: bytes that are not valid UTF-8 become lone surrogates U+DC80..U+DCFF on decoding and
 * the same bytes again on encoding (Python's "surrogateescape"), so a file with invalid UTF-8 written
 * by an agent is never altered where the broker does not edit it.
 */
final class Utf8 {
  private Utf8() {}

  static String decode(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 16);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        decoder.flush(out);
        break;
      }
      if (r.isOverflow()) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
        out.flip();
        bigger.put(out);
        out = bigger;
        continue;
      }
      for (int i = 0; i < r.length(); i++) {
        if (!out.hasRemaining()) {
          CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
          out.flip();
          bigger.put(out);
          out = bigger;
        }
        out.put((char) (0xDC00 | (in.get() & 0xFF)));
      }
    }
    out.flip();
    return out.toString();
  }

  static byte[] encode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 64);
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
        out.writeBytes(s.substring(start, i).getBytes(StandardCharsets.UTF_8));
        out.write(c & 0xFF);
        start = i + 1;
      }
    }
    if (start == 0) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    out.writeBytes(s.substring(start).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Where {@code needle} first occurs in {@code b} at or after {@code from}, or -1. */
  static int indexOf(byte[] b, byte[] needle, int from) {
    for (int i = Math.max(0, from); i + needle.length <= b.length; i++) {
      if (java.util.Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /** Where {@code needle} last occurs in {@code b}, or -1. */
  static int lastIndexOf(byte[] b, byte[] needle) {
    for (int i = b.length - needle.length; i >= 0; i--) {
      if (java.util.Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  /** How many bytes {@link #encode} makes of {@code s}, without encoding it. */
  static long length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++; // an escaped byte of invalid UTF-8, or a lone surrogate that String.getBytes writes as '?'
      } else {
        n += 3;
      }
    }
    return n;
  }
}

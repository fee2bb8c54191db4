package io.daebug.app.mcp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The stdio transport's input, one newline-delimited JSON-RPC message at a time through a tap
 * ({@link InFlightCalls#inbound}): each line is handed on as the tap returns it, or dropped when it returns
 * null. A line longer than {@code maxLine} bytes is handed on untouched (the SDK refuses it itself).
 */
final class TappedInput extends InputStream {
  private final InputStream in;
  private final UnaryOperator<String> tap;
  private final int maxLine;
  private byte[] out = new byte[0];
  private int pos;
  private boolean eof;
  private boolean raw;

  TappedInput(InputStream in, UnaryOperator<String> tap, int maxLine) {
    this.in = new BufferedInputStream(in);
    this.tap = tap;
    this.maxLine = maxLine;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return out[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, out.length - pos);
    System.arraycopy(out, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return out.length - pos;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** True when bytes are ready; reads the next line when none are. */
  private boolean fill() throws IOException {
    while (pos >= out.length) {
      if (eof) {
        return false;
      }
      out = raw ? rawChunk() : nextLine();
      pos = 0;
    }
    return true;
  }

  private byte[] nextLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      line.write(c);
      if (line.size() > maxLine) {
        raw = true; // too long to tap: hand it on as it comes
        return line.toByteArray();
      }
    }
    if (c < 0) {
      eof = true;
      if (line.size() == 0) {
        return new byte[0];
      }
    }
    String tapped = tap.apply(line.toString(StandardCharsets.UTF_8));
    if (tapped == null) {
      return new byte[0];
    }
    return (tapped + (c < 0 ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] rawChunk() throws IOException {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream(8192);
    int c;
    while (chunk.size() < 8192 && (c = in.read()) >= 0) {
      chunk.write(c);
      if (c == '\n') {
        raw = false;
        return chunk.toByteArray();
      }
    }
    if (chunk.size() == 0) {
      eof = true;
    }
    return chunk.toByteArray();
  }
}

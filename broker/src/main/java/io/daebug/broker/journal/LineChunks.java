package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The lines of a file read a chunk at a time into one reusable buffer, from a line start on: each line's bytes
 * without its terminator ({@code \n}, {@code \r\n} or a lone {@code \r}, as {@link LogDocument#parse} splits them)
 * and the file offset where it starts. The buffer grows only for a line longer than it, up to {@link #MAX_LINE}.
 * Not thread-safe.
 */
final class LineChunks {
  /** The buffer's first size: what one read asks for. */
  static final int CHUNK = 64 * 1024;
  /** A longer line stops the scan ({@link TooLong}): holding it would cost what reading the file whole costs. */
  static final int MAX_LINE = 16 << 20;

  /** Thrown by {@link #next} for a line longer than {@link #MAX_LINE}. */
  static final class TooLong extends IOException {
    TooLong(long offset) {
      super("a line longer than " + MAX_LINE + " bytes at byte " + offset);
    }
  }

  private final FileChannel ch;
  private final long limit;
  private byte[] buf = new byte[CHUNK];
  private ByteBuffer wrapped = ByteBuffer.wrap(buf);
  /** The bytes not yet handed out are {@code buf[lo, hi)}; {@code buf[0]} is at file offset {@code base}. */
  private int lo;
  private int hi;
  private long base;
  private boolean eof;
  private int start;
  private int end;

  /**
   * @param from a line start of the file
   * @param limit the file's size as the caller stated it: bytes past it (an append since) are not read
   */
  LineChunks(FileChannel ch, long from, long limit) {
    this.ch = ch;
    this.base = from;
    this.limit = limit;
  }

  /** Moves to the next line; false past the last one. */
  boolean next() throws IOException {
    int scan = lo;
    while (true) {
      int k = scan;
      while (k < hi && buf[k] != '\n' && buf[k] != '\r') {
        k++;
      }
      if (k < hi && (buf[k] == '\n' || k + 1 < hi || eof)) {
        start = lo;
        end = k;
        lo = k + (buf[k] == '\r' && k + 1 < hi && buf[k + 1] == '\n' ? 2 : 1);
        return true;
      }
      if (k >= hi && eof) {
        if (lo == hi) {
          return false;
        }
        start = lo;
        end = hi;
        lo = hi;
        return true; // the last line, with no terminator
      }
      scan = k - lo; // a lone \r at the buffer's end waits for the next byte, which may be its \n
      fill();
      scan += lo;
    }
  }

  /** The buffer holding the current line; valid until the next call of {@link #next}. */
  byte[] buf() {
    return buf;
  }

  /** The current line's first byte in {@link #buf()}. */
  int start() {
    return start;
  }

  /** Just past the current line's last byte (before its terminator) in {@link #buf()}. */
  int end() {
    return end;
  }

  /** The file offset of the current line's first byte. */
  long offset() {
    return base + start;
  }

  /** The file offset just past the last byte read (the file's end once {@link #next} returned false). */
  long position() {
    return base + hi;
  }

  /** Moves the unread bytes to the buffer's start (growing it for a long line) and reads more behind them. */
  private void fill() throws IOException {
    if (lo > 0) {
      System.arraycopy(buf, lo, buf, 0, hi - lo);
      base += lo;
      hi -= lo;
      lo = 0;
    }
    if (hi == buf.length) {
      if (buf.length >= MAX_LINE) {
        throw new TooLong(base);
      }
      byte[] bigger = new byte[Math.min(MAX_LINE, buf.length * 2)];
      System.arraycopy(buf, 0, bigger, 0, hi);
      buf = bigger;
      wrapped = ByteBuffer.wrap(buf);
    }
    long left = limit - (base + hi);
    if (left <= 0) {
      eof = true;
      return;
    }
    wrapped.limit((int) Math.min(buf.length, hi + left)).position(hi);
    int n = ch.read(wrapped, base + hi);
    if (n < 0) {
      eof = true;
    } else {
      hi += n;
    }
  }
}

package io.daebug.client.realm.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Replaces {@code System.out} and {@code System.err} with streams that route by thread: bytes written
 * by a thread of the running job ({@link JobScope}) become {@code log} (out) or {@code error} (err)
 * events of that job, one per line, partial lines flushed when the job ends; everything else goes to
 * the original stream unchanged (and, when asked, also becomes background events).
 *
 * <p>At most {@value #MAX_LINES_PER_JOB} lines per job are sent; the rest are counted and reported in
 * one {@code warn} event at the end of the job. A line longer than {@value #MAX_LINE_BYTES} bytes is sent
 * in pieces. Closing deactivates the streams (they pass everything through) and puts the originals
 * back when no one replaced them meanwhile.
 */
final class ConsoleCapture implements AutoCloseable {
  static final int MAX_LINES_PER_JOB = 1000;
  static final int MAX_LINE_BYTES = 256 * 1024;

  private final String realm;
  private final EventSink sink;
  private final boolean background;
  private final PrintStream originalOut;
  private final PrintStream originalErr;
  private final PrintStream out;
  private final PrintStream err;
  private final Router outRouter;
  private final Router errRouter;
  private final Object jobLock = new Object();
  private volatile String activeJob;
  private volatile boolean closed;
  private int linesSent;
  private int linesDropped;

  /**
   * @param realm the realm's private key
   * @param sink receives the events
   * @param background whether lines written outside jobs are sent as background events too
   */
  ConsoleCapture(String realm, EventSink sink, boolean background) {
    this.realm = realm;
    this.sink = sink;
    this.background = background;
    this.originalOut = System.out;
    this.originalErr = System.err;
    Charset outCharset = charset("stdout.encoding", "sun.stdout.encoding");
    Charset errCharset = charset("stderr.encoding", "sun.stderr.encoding");
    this.outRouter = new Router(originalOut, "log", outCharset);
    this.errRouter = new Router(originalErr, "error", errCharset);
    this.out = new PrintStream(outRouter, true, outCharset);
    this.err = new PrintStream(errRouter, true, errCharset);
    System.setOut(out);
    System.setErr(err);
  }

  /** The standard error stream as it was before the capture (for text that must not be captured). */
  PrintStream originalErr() {
    return originalErr;
  }

  /** From now on, output of threads in {@code job}'s scope belongs to it. */
  void begin(String job) {
    synchronized (jobLock) {
      linesSent = 0;
      linesDropped = 0;
      activeJob = job;
    }
  }

  /** Flushes the job's partial lines and reports dropped lines; its threads' output is background again. */
  void end(String job) {
    boolean wasActive;
    synchronized (jobLock) {
      wasActive = job.equals(activeJob);
      if (wasActive) {
        activeJob = null;
      }
    }
    outRouter.flushJob(job);
    errRouter.flushJob(job);
    int dropped = 0;
    synchronized (jobLock) {
      if (wasActive) {
        dropped = linesDropped;
        linesDropped = 0;
      }
    }
    if (dropped > 0) {
      sink.event(job, "warn", System.currentTimeMillis(), "daebug: " + dropped + " more console lines of this"
          + " job were not sent (a realm sends at most " + MAX_LINES_PER_JOB + " per job)");
    }
  }

  @Override
  public void close() {
    closed = true;
    if (System.out == out) {
      System.setOut(originalOut);
    }
    if (System.err == err) {
      System.setErr(originalErr);
    }
  }

  /** A line of {@code job}: sent unless over the per-job limit. Lock order: a router's lines, then jobLock. */
  private void jobLine(String job, String kind, long time, String text) {
    synchronized (jobLock) {
      if (linesSent >= MAX_LINES_PER_JOB) {
        linesDropped++;
        return;
      }
      linesSent++;
    }
    sink.event(job, kind, time, text);
  }

  private static Charset charset(String... properties) {
    for (String p : properties) {
      String name = System.getProperty(p);
      if (name != null) {
        try {
          return Charset.forName(name);
        } catch (IllegalArgumentException e) {
          // try the next
        }
      }
    }
    return Charset.defaultCharset();
  }

  /** One of the two streams: routes bytes by the writing thread's scope. */
  private final class Router extends OutputStream {
    private final PrintStream original;
    private final String kind;
    private final Charset charset;
    private final Lines jobLines;
    private final Lines backgroundLines;

    Router(PrintStream original, String kind, Charset charset) {
      this.original = original;
      this.kind = kind;
      this.charset = charset;
      this.jobLines = new Lines();
      this.backgroundLines = new Lines();
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      String job = activeJob;
      if (!closed && JobScope.isIn(realm, job)) {
        synchronized (jobLines) {
          jobLines.append(job, b, off, len);
        }
        return;
      }
      original.write(b, off, len);
      if (background && !closed && !Thread.currentThread().getName().startsWith("daebug-")) {
        synchronized (backgroundLines) {
          backgroundLines.append(null, b, off, len);
        }
      }
    }

    @Override
    public void flush() {
      original.flush();
    }

    void flushJob(String job) {
      synchronized (jobLines) {
        jobLines.flush(job);
      }
    }

    /**
     * Collects bytes into lines, each remembering the job it was written for (null: background); a
     * partial line of a job that already ended is sent as a background line. Callers lock it.
     */
    private final class Lines {
      private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      private String owner;
      private long started;

      void append(String job, byte[] b, int off, int len) {
        if (buffer.size() > 0 && !java.util.Objects.equals(owner, job)) {
          emit(null);
        }
        for (int i = off; i < off + len; i++) {
          if (buffer.size() == 0) {
            started = System.currentTimeMillis();
            owner = job;
          }
          if (b[i] == '\n') {
            emit(owner);
          } else {
            buffer.write(b[i]);
            if (buffer.size() >= MAX_LINE_BYTES) {
              emit(owner);
            }
          }
        }
      }

      /** Sends a partial line written for {@code job}. */
      void flush(String job) {
        if (buffer.size() > 0 && java.util.Objects.equals(owner, job)) {
          emit(job);
        }
      }

      private void emit(String job) {
        String text = buffer.toString(charset);
        buffer.reset();
        text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        if (job != null) {
          jobLine(job, kind, started, text);
        } else {
          sink.event(null, kind, started, text);
        }
      }
    }
  }
}

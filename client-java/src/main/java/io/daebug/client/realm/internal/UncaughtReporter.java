package io.daebug.client.realm.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/**
 * Reports exceptions that end a thread as {@code error} events (the protocol has no JVM-specific kind;
 * the text starts with {@code Exception in thread "name"} as Java prints it, so it reads as what it
 * is), under the running job when the thread works for it, else in the background. Then Java's usual
 * handling goes on: the handler installed before, or the stack printed to the real standard error.
 *
 * <p>Two routes lead here: the JVM-wide default handler (for every thread of the application), and
 * {@link #threadGroup} (for threads started by snippets, whose group descends from the evaluation
 * thread's), which keeps reporting while a snippet runs, when JShell's engine has swapped the default
 * handler for its own.
 */
final class UncaughtReporter implements Thread.UncaughtExceptionHandler, AutoCloseable {
  private final String realm;
  private final EventSink sink;
  private final Supplier<String> activeJob;
  private final PrintStream stderr;
  private final Thread.UncaughtExceptionHandler previous;
  private final ThreadGroup group;
  private volatile boolean closed;

  /**
   * Installs itself as the default handler.
   *
   * @param realm the realm's private key
   * @param sink receives the events
   * @param activeJob the id of the running job, or null
   * @param stderr where the stack is printed when no handler was installed before
   */
  UncaughtReporter(String realm, EventSink sink, Supplier<String> activeJob, PrintStream stderr) {
    this.realm = realm;
    this.sink = sink;
    this.activeJob = activeJob;
    this.stderr = stderr;
    this.previous = Thread.getDefaultUncaughtExceptionHandler();
    this.group = new ThreadGroup("daebug-realm") {
      @Override
      public void uncaughtException(Thread t, Throwable e) {
        report(t, e);
        printDefault(t, e);
      }
    };
    Thread.setDefaultUncaughtExceptionHandler(this);
  }

  /** The group of the evaluation threads; threads snippets start descend from it. */
  ThreadGroup threadGroup() {
    return group;
  }

  @Override
  public void uncaughtException(Thread t, Throwable e) {
    report(t, e);
    if (previous != null) {
      previous.uncaughtException(t, e);
    } else {
      printDefault(t, e);
    }
  }

  private void report(Thread t, Throwable e) {
    if (closed || e instanceof ThreadDeath) {
      return;
    }
    String job = activeJob.get();
    StringWriter text = new StringWriter();
    text.append("Exception in thread \"").append(t.getName()).append("\" ");
    try (PrintWriter w = new PrintWriter(text)) {
      e.printStackTrace(w);
    }
    String s = text.toString().stripTrailing();
    sink.event(JobScope.isIn(realm, job) ? job : null, "error", System.currentTimeMillis(), s);
  }

  /** What {@code ThreadGroup.uncaughtException} does without a handler, on the uncaptured stderr. */
  private void printDefault(Thread t, Throwable e) {
    if (!(e instanceof ThreadDeath)) {
      stderr.print("Exception in thread \"" + t.getName() + "\" ");
      e.printStackTrace(stderr);
    }
  }

  /** Stops reporting and puts the previous default handler back if this one is still installed. */
  @Override
  public void close() {
    closed = true;
    if (Thread.getDefaultUncaughtExceptionHandler() == this) {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }
}

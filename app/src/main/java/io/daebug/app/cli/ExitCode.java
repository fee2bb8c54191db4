package io.daebug.app.cli;

/** The exit codes of {@code run} and {@code realms} (docs/cli.md). */
public final class ExitCode {
  /** The code ran and returned a value. */
  public static final int OK = 0;
  /** The code threw, or the job ended otherwise without a value (cancelled, its realm disconnected). */
  public static final int JOB_FAILED = 1;
  /** Bad arguments (picocli's own code). */
  public static final int USAGE = 2;
  /** No broker answered at the address, or it refused the connection (token). */
  public static final int BROKER_UNAVAILABLE = 3;
  /** The job timed out. */
  public static final int TIMEOUT = 4;
  /** The broker refused the job: unknown realm, wrong language, full queue. */
  public static final int REFUSED = 5;

  private ExitCode() {}
}

package io.daebug.client.realm;

/**
 * What runs the jobs of a realm connected through {@link RealmConnection}: a debugger, an interpreter, a
 * remote runtime. Its methods are called on the connection's reader thread, in the order the broker sent the
 * frames, and must not block: hand the job to a thread of your own.
 */
public interface JobExecutor {
  /**
   * A job arrived. Answer it exactly once, with {@link RealmJob#succeed} or {@link RealmJob#fail}, from any
   * thread; jobs arrive one at a time per realm unless the broker's queue holds several.
   *
   * @param job the job
   */
  void execute(RealmJob job);

  /**
   * The broker no longer waits for this job (a {@code %%CANCEL%%} line or a controller's cancel). Stop it if
   * you can and answer it honestly; the broker journals a late answer as such.
   *
   * @param job the job, possibly already answered
   * @param reason why, never null
   */
  void cancel(RealmJob job, String reason);
}

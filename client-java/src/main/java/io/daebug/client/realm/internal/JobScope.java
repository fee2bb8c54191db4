package io.daebug.client.realm.internal;

/**
 * Which realm's job a thread works for. Set on the evaluation thread around a job and inherited by
 * every thread started from it (JShell's snippet thread, threads a snippet starts), so console output
 * and uncaught exceptions are attributed to the job by thread, not by time: other threads of the
 * application writing meanwhile are not part of the job.
 *
 * @param realm the realm's private key
 * @param job the job id
 */
record JobScope(String realm, String job) {
  private static final InheritableThreadLocal<JobScope> CURRENT = new InheritableThreadLocal<>();

  /** The current thread's scope, or null. */
  static JobScope current() {
    return CURRENT.get();
  }

  static void enter(JobScope scope) {
    CURRENT.set(scope);
  }

  static void leave() {
    CURRENT.remove();
  }

  /** Whether the current thread works for job {@code job} of realm {@code realm}. */
  static boolean isIn(String realm, String job) {
    JobScope s = CURRENT.get();
    return s != null && job != null && s.realm.equals(realm) && s.job.equals(job);
  }
}

package io.daebug.broker.jobs;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Job ids {@code j-<run>-N}: {@code j-k3x9-1}, {@code j-k3x9-2}, ... with {@code run} random per broker run. A realm
 * keeps the result of a job that ended while no broker ran and sends it to the next broker right after its hello;
 * with plain {@code j-1} ids that result was taken for the reply to the new run's own {@code j-1}. Side files
 * ({@code <realm>.results/<job>.json}) of earlier runs are not overwritten either.
 */
final class JobIds {
  private final String prefix = "j-" + runTag() + "-";
  private final AtomicLong last = new AtomicLong();

  String next() {
    return prefix + last.incrementAndGet();
  }

  /** Four random base-36 characters: 1.7 million values, so two runs meeting the same realm practically never clash. */
  private static String runTag() {
    StringBuilder tag = new StringBuilder();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 4; i++) {
      tag.append(Character.forDigit(random.nextInt(36), 36));
    }
    return tag.toString();
  }
}

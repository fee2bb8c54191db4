package io.daebug.broker.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The core thread's exception funnel: a failing task is logged once and never kills the thread. */
final class Guard {
  private static final Logger log = LoggerFactory.getLogger(Guard.class);

  /** A task body that may throw. */
  interface Body {
    void run() throws Exception;
  }

  private Guard() {}

  static void run(String what, Body body) {
    try {
      body.run();
    } catch (Exception | StackOverflowError e) {
      log.warn("{} failed: {}", what, e.toString(), e);
    }
  }
}

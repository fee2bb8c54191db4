package io.daebug.client.realm.internal;

/** Where console lines and uncaught errors go: the realm's outbox. Must not block; any thread. */
@FunctionalInterface
interface EventSink {
  /**
   * @param job the job id, or null for a background event
   * @param kind {@code log}, {@code warn} or {@code error}
   * @param time epoch milliseconds
   * @param text the line, without its line break
   */
  void event(String job, String kind, long time, String text);
}

package io.daebug.client.realm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * One job the broker pushed to a realm run by a {@link JobExecutor}: the code of one fence of the realm's log
 * (or of a controller's submission), to be answered exactly once. Thread-safe: any thread may answer it or
 * send its events.
 */
public interface RealmJob {
  /** @return the broker's job id, e.g. {@code j-k3x9-7} */
  String id();

  /** @return the code to run, as written in the fence */
  String code();

  /**
   * @return the fence's language as the broker sent it (the realm's language, or another tag the realm
   *     accepts, such as {@code dap}); null when the broker sent none
   */
  String language();

  /**
   * @return how long the job may take: its own timeout (from the request or the broker's default),
   *     capped by {@link RealmOptions#maxJobTime()}
   */
  Duration timeout();

  /**
   * Answers the job with a value, encoded as docs/protocol.md "Values" describes (plain JSON, or an object
   * with a {@code $daebug} key, such as {@code {"$daebug":"text","repr":"..."}} for preformatted text).
   *
   * @param value the value
   * @return false when the job was already answered (this answer is dropped)
   */
  boolean succeed(JsonNode value);

  /**
   * Answers the job with an error (a {@code 🚫} reply).
   *
   * @param name the error's name, e.g. {@code EvaluateError}
   * @param message the message
   * @return false when the job was already answered (this answer is dropped)
   */
  boolean fail(String name, String message);

  /**
   * Sends an event of this job (journalled below its reply), or a background event once it is answered.
   *
   * @param kind {@code log}, {@code info}, {@code warn}, {@code error} or {@code debug}
   * @param text the line
   */
  void event(String kind, String text);

  /** @return whether the job was answered */
  boolean isAnswered();
}

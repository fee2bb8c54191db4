package io.daebug.broker.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of one job.
 *
 * @param id the job id from {@link RunJob} (required)
 * @param ok whether the code completed normally
 * @param value the value encoded per docs/protocol.md "Values"; null when absent (means undefined)
 * @param error the thrown error when {@code ok} is false; nullable otherwise
 * @param durationMs the realm's own measure of the evaluation time; nullable
 */
public record Result(String id, boolean ok, JsonNode value, ErrorInfo error, Double durationMs)
    implements FromRealm {
  public Result {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("result needs the job id");
    }
  }

  /** The error to report for a failure: the realm's, or one that says it sent none; null when {@code ok}. */
  public ErrorInfo failure() {
    if (ok) {
      return null;
    }
    return error != null ? error : new ErrorInfo("Error", "the realm reported a failure without details", null);
  }
}

package io.daebug.broker.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a submitted job ended, sent after its reply was written to the log.
 *
 * @param ref the controller's ref
 * @param job the job id
 * @param realm the realm
 * @param outcome {@code ok}, {@code error}, {@code timeout}, {@code cancelled}, {@code disconnected} or
 *     {@code failed}
 * @param value the value for {@code ok}; null otherwise
 * @param error the error for every outcome but {@code ok}
 * @param durationMs the broker's measure from dispatch to result (0 for a job that never ran)
 * @param queuedMs from submit to dispatch (or to the end, for a job that never ran)
 * @param late true on a result that arrived after the job had already ended; null otherwise
 */
public record JobOutcome(String ref, String job, String realm, String outcome, JsonNode value, ErrorInfo error,
    double durationMs, double queuedMs, Boolean late) implements ToController {}

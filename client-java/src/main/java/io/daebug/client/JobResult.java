package io.daebug.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.daebug.client.internal.ValueText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one job ended: its outcome, the exact value (or the error), the broker's timings and the console
 * events the job produced.
 *
 * <p>A future from {@link DaebugClient#submit} completes normally only with an {@link JobOutcome#OK OK}
 * result; other outcomes arrive as exceptions that carry their result ({@link JobFailedException},
 * {@link JobTimeoutException}, {@link JobCancelledException}).
 *
 * <p>The value is the realm's encoding (docs/protocol.md "Values"): plain JSON, with {@code $daebug}
 * objects for what JSON cannot hold. Numbers keep the digits the realm sent (floats are
 * {@code DecimalNode}s). The typed accessors ({@link #asText()}, {@link #asInt()}, ...) read the common
 * cases; {@link #special()} views a tagged root; {@link #display()} renders it for people.
 *
 * @param jobId the broker's job id, such as {@code j-12} (as in the journal and {@link RealmEvent#job()})
 * @param realm the realm that ran it
 * @param outcome how it ended
 * @param value the value; {@link MissingNode} when the outcome is not {@code OK} (never null)
 * @param error the error for every outcome but {@code OK}; nullable (null exactly when {@code OK})
 * @param duration the broker's measure from dispatch to result, as the journal shows it
 * @param queued how long the job waited in the realm's queue before dispatch
 * @param events console lines and uncaught errors of this job that arrived before its result, in order
 * @param language the language of the realm that ran it, which decides the notation of {@link #display()}
 *     ({@code python}: Python's {@code repr()}, as the journal shows it); null when unknown (JavaScript's)
 */
public record JobResult(String jobId, String realm, JobOutcome outcome, JsonNode value, JobError error,
    Duration duration, Duration queued, List<RealmEvent> events, String language) {

  /**
   * Checks presence; a null value becomes {@link MissingNode}, events are copied, and a result that is
   * not OK without an error gets one named after its outcome.
   *
   * @param jobId the job id
   * @param realm the realm
   * @param outcome the outcome
   * @param value the value; nullable
   * @param error the error; nullable
   * @param duration dispatch to result
   * @param queued submit to dispatch
   * @param events the job's events
   * @param language the realm's language; nullable
   */
  public JobResult {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(queued, "queued");
    value = value == null ? MissingNode.getInstance() : value;
    events = List.copyOf(events);
    if (outcome != JobOutcome.OK && error == null) {
      error = new JobError(outcome.wire(), "", "");
    }
  }
  /**
   * A result of a realm whose language is not known (its value is shown in JavaScript's notation).
   *
   * @param jobId the job id
   * @param realm the realm
   * @param outcome the outcome
   * @param value the value; nullable
   * @param error the error; nullable
   * @param duration dispatch to result
   * @param queued submit to dispatch
   * @param events the job's events
   */
  public JobResult(String jobId, String realm, JobOutcome outcome, JsonNode value, JobError error,
      Duration duration, Duration queued, List<RealmEvent> events) {
    this(jobId, realm, outcome, value, error, duration, queued, events, null);
  }


  /**
   * Whether the code completed.
   *
   * @return true for {@link JobOutcome#OK}
   */
  public boolean isOk() {
    return outcome == JobOutcome.OK;
  }

  /**
   * Whether the value is JavaScript's {@code undefined} (also when an OK result carried no value).
   *
   * @return true for undefined
   */
  public boolean isUndefined() {
    return isOk() && (value.isMissingNode() || "undefined".equals(special().map(SpecialValue::kind).orElse(null)));
  }

  /**
   * Whether the value is JSON {@code null}.
   *
   * @return true for null
   */
  public boolean isNull() {
    return value.isNull();
  }

  /**
   * The root value as a special value when it is a {@code $daebug} object ({@code undefined},
   * {@code NaN}, a {@code Map}, a DOM node, ...); empty for plain JSON and for results that are not OK.
   * An OK result without a value counts as {@code undefined}.
   *
   * @return the special value, or empty
   */
  public Optional<SpecialValue> special() {
    if (isOk() && value.isMissingNode()) {
      JsonNode undefined = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
          .put(SpecialValue.TAG, "undefined");
      return Optional.of(new SpecialValue("undefined", "undefined", undefined));
    }
    if (!SpecialValue.isTagged(value)) {
      return Optional.empty();
    }
    return Optional.of(new SpecialValue(value.get(SpecialValue.TAG).textValue(), ValueText.display(value, language), value));
  }

  /**
   * The value when it is a JSON string; otherwise its {@link #display()} text.
   *
   * @return the text
   * @throws IllegalStateException when the outcome is not OK
   */
  public String asText() {
    requireOk();
    return value.isTextual() ? value.textValue() : display();
  }

  /**
   * The value as an {@code int}.
   *
   * @return the number
   * @throws IllegalStateException when the outcome is not OK or the value is not an integer that fits
   */
  public int asInt() {
    requireOk();
    if (!isWholeNumber(value) || !value.canConvertToInt()) {
      throw notA("an int");
    }
    return value.intValue();
  }

  /**
   * The value as a {@code long}.
   *
   * @return the number
   * @throws IllegalStateException when the outcome is not OK or the value is not an integer that fits
   */
  public long asLong() {
    requireOk();
    if (!isWholeNumber(value) || !value.canConvertToLong()) {
      throw notA("a long");
    }
    return value.longValue();
  }

  /**
   * The value as a {@code double}, including JavaScript's special numbers {@code NaN},
   * {@code Infinity}, {@code -Infinity} and {@code -0}.
   *
   * @return the number
   * @throws IllegalStateException when the outcome is not OK or the value is not a number
   */
  public double asDouble() {
    requireOk();
    if (value.isNumber()) {
      return value.doubleValue();
    }
    Optional<SpecialValue> special = special();
    if (special.isPresent() && special.get().kind().equals("number")) {
      switch (special.get().repr()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        case "-0":
          return -0.0;
        default:
          break;
      }
    }
    throw notA("a number");
  }

  /**
   * The value as a {@code boolean}.
   *
   * @return the boolean
   * @throws IllegalStateException when the outcome is not OK or the value is not a boolean
   */
  public boolean asBoolean() {
    requireOk();
    if (!value.isBoolean()) {
      throw notA("a boolean");
    }
    return value.booleanValue();
  }

  /**
   * The text the journal shows for this result: for OK, the value as pretty JSON (2-space indentation,
   * strings quoted) or, when it holds special values, in the notation of the realm's {@link #language()}:
   * JavaScript console notation ({@code undefined}, {@code NaN}, {@code Map(1) { 'a' => 1 }}), or for a
   * Python realm Python's {@code repr()} ({@code (1, 'a')}, {@code nan}, {@code None}, and floats such as
   * {@code 1.0} also in JSON); otherwise the error as {@link JobError#display()} shows it.
   *
   * @return the text
   */
  public String display() {
    return isOk() ? ValueText.display(value, language) : error.display();
  }

  private void requireOk() {
    if (!isOk()) {
      throw new IllegalStateException("job " + jobId + " ended with " + outcome.wire() + ", it has no value: "
          + error.display());
    }
  }

  private IllegalStateException notA(String what) {
    return new IllegalStateException("the value of job " + jobId + " is not " + what + ": " + display());
  }

  private static boolean isWholeNumber(JsonNode number) {
    if (number.isIntegralNumber()) {
      return true;
    }
    if (!number.isNumber()) {
      return false;
    }
    try {
      return number.decimalValue().stripTrailingZeros().scale() <= 0;
    } catch (ArithmeticException e) {
      return false;
    }
  }
}

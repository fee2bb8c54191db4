package io.daebug.client.internal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A message the broker sends to a controller (docs/protocol.md, "Broker -> controller"). Unknown
 * fields are ignored; a frame of an unknown type decodes to nothing (see {@link ControlCodec}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = FromBroker.Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = FromBroker.Realms.class, name = "realms"),
  @JsonSubTypes.Type(value = FromBroker.RealmChanged.class, name = "realm"),
  @JsonSubTypes.Type(value = FromBroker.Queued.class, name = "queued"),
  @JsonSubTypes.Type(value = FromBroker.Dispatched.class, name = "dispatched"),
  @JsonSubTypes.Type(value = FromBroker.Event.class, name = "event"),
  @JsonSubTypes.Type(value = FromBroker.Result.class, name = "result"),
  @JsonSubTypes.Type(value = FromBroker.Error.class, name = "error")
})
public sealed interface FromBroker {
  /**
   * A realm as the broker lists it.
   *
   * @param name the realm's name
   * @param kind page, worker, iframe, node, jvm; nullable
   * @param url where it lives; nullable
   * @param language its language; nullable
   * @param state live, executing, queued N, unresponsive, disconnected or gone; nullable
   * @param log its log relative to the broker's root; nullable
   * @param title what it calls itself (a page's title); nullable
   * @param lastSeen broker time HH:MM:SS of its last connection or disconnection; nullable
   * @param job the job it runs now; nullable
   */
  record Realm(String name, String kind, String url, String language, String state, String log, String title,
      String lastSeen, String job) {}

  /**
   * The answer to hello.
   *
   * @param name the controller's name as the broker will journal it
   * @param broker the broker's version; nullable
   * @param realms the realms listed now; nullable
   */
  record Welcome(String name, String broker, List<Realm> realms) implements FromBroker {}

  /**
   * The answer to {@code list}.
   *
   * @param realms the realms listed now; nullable
   */
  record Realms(List<Realm> realms) implements FromBroker {}

  /**
   * A realm appeared, changed state or went away ({@code state} {@code gone}).
   *
   * @param realm the realm
   */
  record RealmChanged(Realm realm) implements FromBroker {}

  /**
   * A submission was accepted and journalled.
   *
   * @param ref the submission's ref
   * @param job the job id
   * @param realm the realm
   * @param ahead jobs before it in the queue; nullable
   */
  record Queued(String ref, String job, String realm, Integer ahead) implements FromBroker {}

  /**
   * A job was pushed to its realm.
   *
   * @param ref the submission's ref
   * @param job the job id
   * @param realm the realm
   * @param queuedMs the time it waited in the queue; nullable
   */
  record Dispatched(String ref, String job, String realm, Double queuedMs) implements FromBroker {}

  /**
   * A realm's console line or uncaught error.
   *
   * @param realm the realm
   * @param job the job running when it happened; null for background events
   * @param kind log, info, warn, error, debug, window.onerror, self.onerror, unhandledrejection
   * @param time epoch milliseconds in the realm; nullable
   * @param text the message; nullable
   */
  record Event(String realm, String job, String kind, Long time, String text) implements FromBroker {}

  /**
   * How a job ended.
   *
   * @param ref the submission's ref; null for jobs this connection did not submit
   * @param job the job id
   * @param realm the realm
   * @param outcome ok, error, timeout, cancelled, disconnected or failed
   * @param value the value (only for ok); null when absent, a NullNode for JSON null
   * @param error the error for every outcome but ok; nullable
   * @param durationMs broker's dispatch-to-result time; nullable
   * @param queuedMs submit-to-dispatch time; nullable
   * @param late true on a second result for a job that had already ended; nullable
   */
  record Result(String ref, String job, String realm, String outcome, JsonNode value, ErrorInfo error,
      Double durationMs, Double queuedMs, Boolean late) implements FromBroker {}

  /**
   * An error thrown by a job, as the realm reported it.
   *
   * @param name the error's name; nullable
   * @param message its message; nullable
   * @param stack its stack; nullable
   */
  record ErrorInfo(String name, String message, String stack) {}

  /**
   * Something this controller sent was refused.
   *
   * @param ref the submission it is about; nullable
   * @param code unknown-realm, wrong-language, bad-request, unknown-job, bad-frame, ...
   * @param message a human-readable explanation
   */
  record Error(String ref, String code, String message) implements FromBroker {}
}

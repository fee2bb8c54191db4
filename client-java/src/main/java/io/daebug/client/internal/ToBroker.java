package io.daebug.client.internal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A message a controller sends to the broker (docs/protocol.md, "Controller -> broker"). Records are
 * immutable; null fields are left out of the frame.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ToBroker.Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = ToBroker.Submit.class, name = "submit"),
  @JsonSubTypes.Type(value = ToBroker.Cancel.class, name = "cancel"),
  @JsonSubTypes.Type(value = ToBroker.Watch.class, name = "watch"),
  @JsonSubTypes.Type(value = ToBroker.Unwatch.class, name = "unwatch"),
  @JsonSubTypes.Type(value = ToBroker.ListRealms.class, name = "list")
})
public sealed interface ToBroker {
  /** Protocol version this client speaks. */
  int PROTOCOL = 1;

  /**
   * First frame of a connection.
   *
   * @param name the agent name the broker writes in journal headers
   * @param protocol the protocol version
   */
  record Hello(String name, int protocol) implements ToBroker {}

  /**
   * Asks the broker to run code in a realm.
   *
   * @param ref this connection's id for the submission
   * @param realm the realm's name
   * @param code the source
   * @param language the language, or null for the realm's own
   * @param timeoutMs the job timeout, or null for the broker's default
   */
  record Submit(String ref, String realm, String code, String language, Long timeoutMs) implements ToBroker {}

  /**
   * Cancels a job named by its job id or by its {@code ref} (exactly one is set).
   *
   * @param job the broker's job id; nullable
   * @param ref the submission's ref; nullable
   */
  record Cancel(String job, String ref) implements ToBroker {
    static Cancel byJob(String job) {
      return new Cancel(job, null);
    }

    static Cancel byRef(String ref) {
      return new Cancel(null, ref);
    }
  }

  /**
   * Subscribes to a realm's events ({@code *} for all).
   *
   * @param realm the realm name or {@code *}
   * @param jobs {@code true} to follow every job of the realm, whoever asked for it (request, dispatched,
   *     result); {@code null} for its events only
   */
  record Watch(String realm, Boolean jobs) implements ToBroker {
    /** Events only. */
    Watch(String realm) {
      this(realm, null);
    }
  }

  /**
   * Ends a {@link Watch}.
   *
   * @param realm the realm name or {@code *}
   */
  record Unwatch(String realm) implements ToBroker {}

  /** Asks for a fresh {@code realms} snapshot. */
  record ListRealms() implements ToBroker {}
}

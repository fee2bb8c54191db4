package io.daebug.broker.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A message the broker sends to a controller; see "Controller protocol" in {@code docs/protocol.md}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ControllerWelcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = RealmList.class, name = "realms"),
  @JsonSubTypes.Type(value = RealmUpdate.class, name = "realm"),
  @JsonSubTypes.Type(value = JobQueued.class, name = "queued"),
  @JsonSubTypes.Type(value = JobRequested.class, name = "request"),
  @JsonSubTypes.Type(value = JobDispatched.class, name = "dispatched"),
  @JsonSubTypes.Type(value = ControllerEvent.class, name = "event"),
  @JsonSubTypes.Type(value = JobOutcome.class, name = "result"),
  @JsonSubTypes.Type(value = ControllerError.class, name = "error")
})
public sealed interface ToController permits ControllerWelcome, RealmList, RealmUpdate, JobQueued, JobRequested,
    JobDispatched, ControllerEvent, JobOutcome, ControllerError {}

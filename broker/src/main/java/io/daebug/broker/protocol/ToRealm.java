package io.daebug.broker.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A message the broker sends to a realm; see {@code docs/protocol.md}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = RunJob.class, name = "job"),
  @JsonSubTypes.Type(value = ErrorMessage.class, name = "error"),
  @JsonSubTypes.Type(value = CancelJob.class, name = "cancel")
})
public sealed interface ToRealm permits Welcome, RunJob, ErrorMessage, CancelJob {}

package io.daebug.broker.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A message a realm sends to the broker. Every frame is one JSON object tagged by {@code type};
 * see {@code docs/protocol.md}. Records are immutable; nullable fields are documented per record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = Result.class, name = "result"),
  @JsonSubTypes.Type(value = RealmEvent.class, name = "event"),
  @JsonSubTypes.Type(value = Beat.class, name = "beat"),
  @JsonSubTypes.Type(value = Status.class, name = "status"),
  @JsonSubTypes.Type(value = Title.class, name = "title")
})
public sealed interface FromRealm permits Hello, Result, RealmEvent, Beat, Status, Title {}

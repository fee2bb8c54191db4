package io.daebug.broker.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A message a controller sends to the broker; see "Controller protocol" in {@code docs/protocol.md}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ControllerHello.class, name = "hello"),
  @JsonSubTypes.Type(value = Submit.class, name = "submit"),
  @JsonSubTypes.Type(value = Cancel.class, name = "cancel"),
  @JsonSubTypes.Type(value = Watch.class, name = "watch"),
  @JsonSubTypes.Type(value = Unwatch.class, name = "unwatch"),
  @JsonSubTypes.Type(value = ListRealms.class, name = "list")
})
public sealed interface FromController permits ControllerHello, Submit, Cancel, Watch, Unwatch, ListRealms {}

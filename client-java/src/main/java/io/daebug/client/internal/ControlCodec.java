package io.daebug.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.Optional;

/**
 * JSON codec for the controller protocol. Thread-safe. Floats are read as exact decimals so a value is
 * handed to the caller with the digits the realm sent. Unknown fields are ignored and a frame of an
 * unknown {@code type} decodes to {@link Optional#empty()}, so a newer broker never breaks this client.
 */
public final class ControlCodec {
  private final ObjectMapper mapper = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  /** A frame that is not a JSON object with a string {@code type}, or whose fields have the wrong shape. */
  public static final class BadFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    BadFrameException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Serialises a message, {@code type} first. */
  public String encode(ToBroker message) {
    try {
      return mapper.writerFor(ToBroker.class).writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /** Parses a broker frame; empty for a well-formed frame of a type this client does not know. */
  public Optional<FromBroker> decode(String frame) throws BadFrameException {
    JsonNode tree;
    try {
      tree = mapper.readTree(frame);
    } catch (JsonProcessingException e) {
      throw new BadFrameException("frame is not JSON: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject() || !tree.path("type").isTextual()) {
      throw new BadFrameException("frame is not a JSON object with a \"type\" string", null);
    }
    try {
      return Optional.ofNullable(mapper.treeToValue(tree, FromBroker.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new BadFrameException("bad " + tree.get("type").textValue() + " frame: " + e.getMessage(), e);
    }
  }

  /** The mapper, configured as above. */
  ObjectMapper mapper() {
    return mapper;
  }
}

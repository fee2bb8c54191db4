package io.daebug.broker.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/**
 * The one JSON codec for every wire message. Thread-safe. Numbers keep the exact digits the peer sent
 * (floats as BigDecimal) so results are journalled losslessly.
 */
public final class MessageCodec {
  private final ObjectMapper mapper = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  /** Parses a frame from a realm; never returns null. */
  public FromRealm decodeFromRealm(String frame) throws ProtocolException {
    return decode(frame, FromRealm.class);
  }

  /** Parses a frame sent to a realm (used by tests and peers written in Java). */
  public ToRealm decodeToRealm(String frame) throws ProtocolException {
    return decode(frame, ToRealm.class);
  }

  /** Parses a frame from a controller; never returns null. */
  public FromController decodeFromController(String frame) throws ProtocolException {
    return decode(frame, FromController.class);
  }

  /** Parses a frame sent to a controller (used by tests and Java peers). */
  public ToController decodeToController(String frame) throws ProtocolException {
    return decode(frame, ToController.class);
  }

  /** Serialises any message record. */
  public String encode(Object message) {
    try {
      return mapper.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /** The mapper, configured as above, for JSON that is not a message (values, health). */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * Jackson refuses an escaped lone surrogate in a field name ({@code {"\\ud800":1}}), which
   * {@code JSON.stringify} produces for such a key and JSON allows. A frame refused for that reason is
   * parsed again with each lone surrogate escape replaced by U+FFFD, so the result is journalled rather
   * than lost; any other error stands.
   */
  private JsonNode retryWithoutLoneSurrogates(String frame, JsonProcessingException original)
      throws ProtocolException {
    String why = original.getOriginalMessage();
    if (why != null && why.contains("surrogate")) {
      try {
        return mapper.readTree(replaceLoneSurrogateEscapes(frame));
      } catch (JsonProcessingException again) {
        // report the first error
      }
    }
    throw new ProtocolException("bad-json", "frame is not valid JSON: " + why);
  }

  /** Replaces {@code \\uXXXX} escapes of unpaired surrogates with {@code \\ufffd}; leaves all else. */
  static String replaceLoneSurrogateEscapes(String json) {
    StringBuilder out = new StringBuilder(json.length());
    int i = 0;
    int n = json.length();
    while (i < n) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 >= n) {
        out.append(c);
        i++;
        continue;
      }
      if (json.charAt(i + 1) != 'u' || i + 6 > n) {
        out.append(c).append(json.charAt(i + 1));
        i += 2;
        continue;
      }
      int unit = hex(json, i + 2);
      if (Character.isHighSurrogate((char) unit) && i + 12 <= n && json.charAt(i + 6) == '\\'
          && json.charAt(i + 7) == 'u' && Character.isLowSurrogate((char) hex(json, i + 8))) {
        out.append(json, i, i + 12);
        i += 12;
      } else if (unit >= 0 && Character.isSurrogate((char) unit)) {
        out.append("\\ufffd");
        i += 6;
      } else {
        out.append(json, i, i + 6);
        i += 6;
      }
    }
    return out.toString();
  }

  private static int hex(String s, int at) {
    if (at + 4 > s.length()) {
      return -1;
    }
    try {
      return Integer.parseInt(s.substring(at, at + 4), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private <T> T decode(String frame, Class<T> type) throws ProtocolException {
    JsonNode tree;
    try {
      tree = mapper.readTree(frame);
    } catch (JsonProcessingException e) {
      tree = retryWithoutLoneSurrogates(frame, e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ProtocolException("bad-frame", "frame must be a JSON object with a \"type\"");
    }
    if (!tree.path("type").isTextual()) {
      throw new ProtocolException("bad-frame", "frame has no \"type\" string");
    }
    try {
      return mapper.treeToValue(tree, type);
    } catch (InvalidTypeIdException e) {
      throw new ProtocolException("unknown-type", "unknown message type \"" + tree.path("type").asText() + "\"");
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ProtocolException("invalid", "invalid " + tree.path("type").asText() + ": " + cause.getMessage());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new ProtocolException("invalid", "invalid " + tree.path("type").asText() + ": " + why);
    }
  }
}

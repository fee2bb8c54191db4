package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A {@link Link} without a socket: records what the realm sends; the test plays the broker. */
final class RecordingLink implements Link {
  private static final ObjectMapper JSON = new ObjectMapper();
  final List<JsonNode> sent = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public void start() {}

  @Override
  public void send(String json, String resultId, long jobEpoch) {
    try {
      sent.add(JSON.readTree(json));
    } catch (java.io.IOException e) {
      throw new AssertionError("the realm sent a frame that is not JSON: " + json, e);
    }
  }

  @Override
  public void welcomed() {}

  @Override
  public long jobArrived(String id) {
    return 1;
  }

  @Override
  public Throwable lastFailure() {
    return null;
  }

  @Override
  public void drop() {}

  @Override
  public void close() {
    closed = true;
  }

  /** The result frame for {@code job}, or null while there is none. */
  JsonNode result(String job) {
    return sent.stream().filter(f -> f.path("type").asText().equals("result") && f.path("id").asText().equals(job))
        .findFirst().orElse(null);
  }

  /** Every frame about {@code job} (its events, then its result), in the order sent. */
  List<JsonNode> about(String job) {
    return sent.stream().filter(f -> job.equals(f.path("id").asText(null)) || job.equals(f.path("job").asText(null)))
        .collect(Collectors.toList());
  }

  /** The events without a job. */
  List<JsonNode> background() {
    return sent.stream().filter(f -> f.path("type").asText().equals("event") && !f.has("job"))
        .collect(Collectors.toList());
  }
}

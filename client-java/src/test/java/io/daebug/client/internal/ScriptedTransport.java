package io.daebug.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory {@link Transport} for the client's protocol logic only: each connection attempt is
 * recorded and the test plays the broker (accepts or refuses it, reads what the client sent, pushes
 * frames, drops the connection). Recording peer with {@link Conn#assertExhausted()} in the manner of
 * OkHttp's {@code WebSocketRecorder}.
 */
final class ScriptedTransport implements Transport {
  static final Duration WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();

  /** One call of {@link #open}: the test decides its fate. */
  static final class Attempt {
    final URI uri;
    final Map<String, String> headers;
    final Listener listener;
    final CompletableFuture<Socket> opening = new CompletableFuture<>();

    Attempt(URI uri, Map<String, String> headers, Listener listener) {
      this.uri = uri;
      this.headers = headers;
      this.listener = listener;
    }

    /** Completes the upgrade; the client then sends its hello. */
    Conn accept() {
      Conn c = new Conn(listener);
      opening.complete(c);
      return c;
    }

    /** Refuses the upgrade with an HTTP status. */
    void refuse(int status) {
      opening.completeExceptionally(new HandshakeRefusedException(status, null));
    }

    /** Fails the attempt as an unreachable port would. */
    void fail() {
      opening.completeExceptionally(new IOException("connection refused"));
    }
  }

  /** An accepted connection, seen from the broker's side. */
  static final class Conn implements Socket {
    private final Listener listener;
    private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    volatile boolean closedByClient;
    volatile boolean aborted;

    Conn(Listener listener) {
      this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> send(String text) {
      if (closedByClient || aborted) {
        return CompletableFuture.failedFuture(new IOException("closed"));
      }
      sent.add(text);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(int status, String reason) {
      closedByClient = true;
    }

    @Override
    public void abort() {
      aborted = true;
    }

    /** The next frame the client sent, which must have this type. */
    JsonNode next(String type) {
      String text;
      try {
        text = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (text == null) {
        throw new AssertionError("the client sent no " + type + " within " + WAIT);
      }
      JsonNode node = parse(text);
      assertThat(node.path("type").asText()).as("type of %s", text).isEqualTo(type);
      return node;
    }

    /** Reads the hello and answers with a welcome listing these realms (JSON objects). */
    JsonNode welcome(String... realms) {
      JsonNode hello = next("hello");
      push("{\"type\":\"welcome\",\"name\":\"" + hello.path("name").asText() + "\",\"broker\":\"0.1.0\",\"realms\":["
          + String.join(",", realms) + "]}");
      return hello;
    }

    /** Delivers a frame to the client as if the broker sent it. */
    void push(String frame) {
      listener.onText(frame);
    }

    /** The connection breaks (broker killed, network lost). */
    void drop() {
      listener.onError(new IOException("connection reset"));
    }

    /** The broker closes the connection. */
    void closeFromBroker(int status, String reason) {
      listener.onClosed(status, reason);
    }

    /** Fails when the client sent a frame the test did not take. */
    void assertExhausted() {
      List<String> left = new ArrayList<>();
      sent.drainTo(left);
      if (!left.isEmpty()) {
        fail("unexpected frames from the client: " + left);
      }
    }
  }

  @Override
  public CompletableFuture<Socket> open(URI uri, Map<String, String> headers, Duration timeout, Listener listener) {
    Attempt a = new Attempt(uri, headers, listener);
    attempts.add(a);
    return a.opening;
  }

  /** The next connection attempt of the client. */
  Attempt nextAttempt() {
    try {
      Attempt a = attempts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (a == null) {
        throw new AssertionError("the client made no connection attempt within " + WAIT);
      }
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How many attempts were made and not taken by the test. */
  int pendingAttempts() {
    return attempts.size();
  }

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}

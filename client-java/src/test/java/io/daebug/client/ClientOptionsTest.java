package io.daebug.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {
  @Test
  void defaults() {
    ClientOptions o = ClientOptions.of("http://127.0.0.1:8680/");
    assertThat(o.token()).isNull();
    assertThat(o.clientName()).isEqualTo("java");
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.jobTimeout()).isNull();
    assertThat(o.reconnect()).isTrue();
    assertThat(o.reconnectInitial()).isEqualTo(Duration.ofMillis(100));
    assertThat(o.reconnectMax()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void controlUriIsDerivedFromAnyBrokerAddress() {
    assertThat(ClientOptions.of("http://127.0.0.1:8680/").controlUri())
        .isEqualTo(URI.create("ws://127.0.0.1:8680/-daebug/control"));
    assertThat(ClientOptions.of("http://localhost:8680/some/page.html?x=1#top").controlUri())
        .isEqualTo(URI.create("ws://localhost:8680/-daebug/control"));
    assertThat(ClientOptions.of("https://dev.example:9443").controlUri())
        .isEqualTo(URI.create("wss://dev.example:9443/-daebug/control"));
    assertThat(ClientOptions.of("ws://127.0.0.1:8680/-daebug/control").controlUri())
        .isEqualTo(URI.create("ws://127.0.0.1:8680/-daebug/control"));
    assertThat(ClientOptions.of("http://[::1]:8680/").controlUri()).isEqualTo(URI.create("ws://[::1]:8680/-daebug/control"));
  }

  @Test
  void tokenComesFromTheQueryOrTheOption() {
    ClientOptions fromUri = ClientOptions.of("http://127.0.0.1:8680/?token=abc%2Bdef123");
    assertThat(fromUri.token()).isEqualTo("abc+def123");
    assertThat(fromUri.controlUri().toString()).doesNotContain("token");
    assertThat(fromUri.toString()).doesNotContain("abc").contains("token=***");
    assertThat(ClientOptions.of("http://127.0.0.1:8680/").withToken("s3cret-token").token()).isEqualTo("s3cret-token");
    assertThat(fromUri.withToken("other-token").token()).isEqualTo("other-token");
    assertThat(fromUri.withToken(null).token()).isNull();
  }

  @Test
  void conflictsAndBadValuesAreNamed() {
    URI withToken = URI.create("http://127.0.0.1:8680/?token=one-token");
    assertThatThrownBy(() -> new ClientOptions(withToken, "two-token", "java", Duration.ofSeconds(1), null, true,
        Duration.ofMillis(1), Duration.ofMillis(2))).hasMessageContaining("token given twice");
    assertThatThrownBy(() -> ClientOptions.of("ftp://host/")).hasMessageContaining("http://");
    assertThatThrownBy(() -> ClientOptions.of("http:///path")).hasMessageContaining("no host");
    ClientOptions o = ClientOptions.of("http://127.0.0.1:8680/");
    assertThatThrownBy(() -> o.withClientName(" ")).hasMessageContaining("client name");
    assertThatThrownBy(() -> o.withConnectTimeout(Duration.ZERO)).hasMessageContaining("connect timeout must be positive");
    assertThatThrownBy(() -> o.withJobTimeout(Duration.ofNanos(5))).hasMessageContaining("at least 1ms");
    assertThatThrownBy(() -> o.withReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("cannot be shorter than the initial delay");
    assertThatThrownBy(() -> o.withToken("has space")).hasMessageContaining("printable ASCII");
  }

  @Test
  void requestsValidateToo() {
    assertThat(JobRequest.of("r", "1+1").withTimeout(Duration.ofSeconds(2)).timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(JobRequest.js("r", "1").language()).isEqualTo("javascript");
    assertThatThrownBy(() -> JobRequest.of(" ", "1")).hasMessageContaining("realm name must not be blank");
    assertThatThrownBy(() -> JobRequest.of("r", "1").withTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("timeout must be positive");
  }
}

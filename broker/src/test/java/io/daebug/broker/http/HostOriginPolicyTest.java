package io.daebug.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostOriginPolicyTest {

  private final HostOriginPolicy loopback = new HostOriginPolicy("127.0.0.1", List.of("devbox.lan"));

  @ParameterizedTest
  @ValueSource(strings = {
      "localhost", "localhost:8680", "LOCALHOST:1", "app.localhost:3000", "a.b.localhost",
      "localhost.", "127.0.0.1", "127.0.0.1:8680", "127.1.2.3:80", "[::1]", "[::1]:8680",
      "[0:0:0:0:0:0:0:1]:9", "devbox.lan", "DevBox.LAN:8080", " localhost:8680 "})
  void acceptsLoopbackNamesAndExtras(String host) {
    assertThat(loopback.hostAllowed(host)).as(host).isTrue();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {
      "", " ", "evil.example", "evil.example:8680", "localhost.evil.example", "notlocalhost",
      "127.0.0.1.evil.example", "128.0.0.1", "0.0.0.0", "[::2]", "::1", "[::1", "[::1]x",
      "localhost:", "localhost:http", "localhost:123456", "192.168.1.10", "10.0.0.1:8680",
      "devbox.lan.evil", "127.0.0.256"})
  void rejectsEverythingElse(String host) {
    assertThat(loopback.hostAllowed(host)).as(host).isFalse();
  }

  @Test
  void acceptsTheBindHostItself() {
    HostOriginPolicy lan = new HostOriginPolicy("192.168.1.10", List.of());
    assertThat(lan.hostAllowed("192.168.1.10:8680")).isTrue();
    assertThat(lan.hostAllowed("192.168.1.11:8680")).isFalse();
    assertThat(lan.hostAllowed("localhost:8680")).isTrue();

    HostOriginPolicy v6 = new HostOriginPolicy("fe80::1", List.of());
    assertThat(v6.hostAllowed("[FE80:0:0::1]:8680")).isTrue();
    assertThat(v6.hostAllowed("[fe80::2]:8680")).isFalse();
  }

  @Test
  void wildcardBindAcceptsThisMachinesNamesOnly() {
    HostOriginPolicy any =
        new HostOriginPolicy("0.0.0.0", List.of(), List.of("192.168.1.10", "MyBox", "fe80::1%eth0"));
    assertThat(any.hostAllowed("192.168.1.10:8680")).isTrue();
    assertThat(any.hostAllowed("mybox:8680")).isTrue();
    assertThat(any.hostAllowed("[fe80::1]:8680")).isTrue();
    assertThat(any.hostAllowed("0.0.0.0:8680")).isFalse();
    assertThat(any.hostAllowed("evil.example:8680")).isFalse();

    HostOriginPolicy anyV6 = new HostOriginPolicy("::", List.of(), List.of("10.0.0.5"));
    assertThat(anyV6.hostAllowed("10.0.0.5")).isTrue();
    assertThat(anyV6.hostAllowed("10.0.0.6")).isFalse();
  }

  @Test
  void realWildcardPolicyStillAcceptsLoopbackAndRejectsStrangers() {
    HostOriginPolicy any = new HostOriginPolicy("0.0.0.0", List.of());
    assertThat(any.hostAllowed("127.0.0.1:1")).isTrue();
    assertThat(any.hostAllowed("evil.example")).isFalse();
  }

  /** The broker in these tests listens on port 8680 and is reached as {@code 127.0.0.1:8680}. */
  private boolean origin(String origin) {
    return loopback.originAllowed(origin, "http", "127.0.0.1:8680", 8680);
  }

  @Test
  void absentOriginIsAllowedForNonBrowserClients() {
    assertThat(origin(null)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://localhost:8680", "http://127.0.0.1:8680", "http://app.localhost:8680",
      "http://[::1]:8680", "HTTP://LOCALHOST:8680", "http://devbox.lan:8680", "http://127.0.0.1:8680/"})
  void acceptsTheBrokersOwnOrigins(String origin) {
    assertThat(origin(origin)).as(origin).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "null", "NULL", "", "https://evil.example", "http://localhost.evil.example:8680",
      "file:///tmp/x.html", "ws://localhost:8680", "chrome-extension://abcdef", "localhost:8680",
      "http://", "http://evil.example/?localhost", "not a url",
      // Issue 12, item 2: another port of an allowed host is another origin (a dev server's page).
      "http://127.0.0.1:3000", "http://localhost:5173", "http://localhost", "http://[::1]:3000",
      "https://127.0.0.1:8680", "http://devbox.lan:9999"})
  void rejectsForeignOpaqueOrOtherPortOrigins(String origin) {
    assertThat(origin(origin)).as(origin).isFalse();
  }

  @Test
  void thePortOfTheHostHeaderIsOursTooAndAllowedOriginsAreExact() {
    assertThat(loopback.originAllowed("http://127.0.0.1:9000", "http", "127.0.0.1:9000", 8680))
        .as("a page reaching the broker through a forwarder on 9000").isTrue();
    assertThat(loopback.originAllowed("http://localhost", "http", "localhost", 8680)).as("port 80 both").isTrue();
    assertThat(loopback.originAllowed("https://localhost", "https", "localhost:443", 8680)).isTrue();
    HostOriginPolicy dev = HostOriginPolicy.withOrigins("127.0.0.1", List.of(), List.of("http://127.0.0.1:3000"));
    assertThat(dev.originAllowed("http://127.0.0.1:3000", "http", "127.0.0.1:8680", 8680)).isTrue();
    assertThat(dev.originAllowed("http://127.0.0.1:3001", "http", "127.0.0.1:8680", 8680)).isFalse();
  }
}

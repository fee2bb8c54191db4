package io.daebug.client.realm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RealmOptionsTest {
  private static RealmOptions of(String uri) {
    return RealmOptions.of(URI.create(uri));
  }

  @Test
  void theRealmEndpointIsDerivedFromTheBrokerUri() {
    assertThat(of("http://127.0.0.1:8100/").realmEndpoint()).hasToString("ws://127.0.0.1:8100/-daebug/realm");
    assertThat(of("http://127.0.0.1:8100").realmEndpoint()).hasToString("ws://127.0.0.1:8100/-daebug/realm");
    assertThat(of("https://debug.example.com/").realmEndpoint()).hasToString("wss://debug.example.com/-daebug/realm");
    assertThat(of("http://h:1/tools/daebug/").realmEndpoint()).hasToString("ws://h:1/tools/daebug/-daebug/realm");
    assertThat(of("ws://h:1/-daebug/realm").realmEndpoint()).hasToString("ws://h:1/-daebug/realm");
    assertThat(of("wss://h/-daebug/realm").realmEndpoint()).hasToString("wss://h/-daebug/realm");
  }

  @Test
  void aTokenComesFromTheQueryOrIsGiven() {
    RealmOptions fromQuery = of("http://10.0.0.5:8100/?token=s3cret%2Bx&other=1");
    assertThat(fromQuery.token()).isEqualTo("s3cret+x");
    assertThat(fromQuery.realmEndpoint()).hasToString("ws://10.0.0.5:8100/-daebug/realm?token=s3cret%2Bx");
    assertThat(of("http://10.0.0.5:8100/").withToken("abc def").realmEndpoint())
        .hasToString("ws://10.0.0.5:8100/-daebug/realm?token=abc+def");
    assertThat(of("http://10.0.0.5:8100/?token=same").withToken("same").token()).isEqualTo("same");
    assertThatThrownBy(() -> of("http://h/?token=one").withToken("two"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two different tokens: one in the broker URI's query and one given as the token; pass only one");
    assertThatThrownBy(() -> of("http://h/").withToken(" ")).hasMessage("token must not be blank; pass null for none");
  }

  @Test
  void theBrokerUriMustBeHttpOrWs() {
    assertThatThrownBy(() -> of("ftp://h/")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("broker URI must be http, https, ws or wss, got 'ftp://h/'");
    assertThatThrownBy(() -> of("127.0.0.1:8100")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RealmOptions.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void namesAreSanitisedAsTheBrokerDoes() {
    assertThat(of("http://h/").withName("My Orders Service!").name()).isEqualTo("my-orders-service");
    assertThat(of("http://h/").withName("--Odd Name!--").name()).isEqualTo("odd-name");
    assertThat(of("http://h/").withName("x".repeat(80)).name()).hasSize(64);
    assertThatThrownBy(() -> of("http://h/").withName("!!!"))
        .hasMessage("realm name '!!!' has no letters or digits");
  }

  @Test
  void theDefaultNameIsTheMainClassSimpleName() {
    String saved = System.getProperty("sun.java.command");
    try {
      System.setProperty("sun.java.command", "com.example.shop.OrderApp --port 9");
      assertThat(of("http://h/").name()).isEqualTo("orderapp");
      System.setProperty("sun.java.command", "/opt/shop/shop-server-1.2.jar serve");
      assertThat(of("http://h/").name()).isEqualTo("shop-server-1-2");
      System.setProperty("sun.java.command", "shop/com.example.Main");
      assertThat(of("http://h/").name()).isEqualTo("main");
      System.setProperty("sun.java.command", "");
      assertThat(of("http://h/").name()).isEqualTo("unknown");
      System.clearProperty("sun.java.command");
      assertThat(of("http://h/").name()).isEqualTo("unknown");
    } finally {
      if (saved != null) {
        System.setProperty("sun.java.command", saved);
      }
    }
  }

  @Test
  void delaysAreValidated() {
    RealmOptions o = of("http://h/");
    assertThat(o.reconnectDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.maxJobTime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(o.backgroundOutput()).isFalse();
    assertThatThrownBy(() -> o.withReconnectDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("max reconnect delay (PT1S) must not be shorter than the first reconnect delay (PT2S)");
    assertThatThrownBy(() -> o.withMaxJobTime(Duration.ZERO)).hasMessage("max job time must be positive, got PT0S");
    assertThat(o.withBackgroundOutput(true).backgroundOutput()).isTrue();
  }
}

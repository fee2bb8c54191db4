package io.daebug.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler's own path rules, independent of what Jetty already rejects in front of it. */
class RequestPathTest {

  @Test
  void decodesSegmentBySegment() throws Exception {
    RequestPath p = RequestPath.decode("/sub%20dir//caf%C3%A9%20%E2%98%95.txt");
    assertThat(p.segments()).containsExactly("sub dir", "café ☕.txt");
    assertThat(p.trailingSlash()).isFalse();
    assertThat(RequestPath.decode("/").segments()).isEmpty();
    assertThat(RequestPath.decode("/a/").trailingSlash()).isTrue();
    assertThat(RequestPath.decode("/caf\u00e9").segments()).containsExactly("café");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%ff", "/a%00b", "/%C3%28", "/a%2", "/a%", "/%zz", "relative", "/a\u0001"})
  void rejectsMalformedPaths(String raw) {
    assertThatThrownBy(() -> RequestPath.decode(raw))
        .isInstanceOf(RequestPath.MalformedPathException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/../x", "/%2e%2e/x", "/a/%2E%2E/x", "/./x", "/a%2f..%2fx", "/..%5cx", "/a\\b", "/.git/config",
      "/sub/.env", "/daebug/x.md", "/DAEBUG/x.md", "/%64aebug/x.md", "/daebug", "/a%0Ab"})
  void hidesEscapesDotsAndTheJournal(String raw) throws Exception {
    assertThat(RequestPath.decode(raw).hidden()).as(raw).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/daebug.md", "/sub/daebug/x.md", "/a..b.txt", "/x.", "/-daebug/page.js"})
  void allowsOrdinaryNames(String raw) throws Exception {
    assertThat(RequestPath.decode(raw).hidden()).as(raw).isFalse();
  }

  @Test
  void encodesBackCanonically() throws Exception {
    assertThat(RequestPath.decode("/my%20docs/caf%c3%a9").encoded()).isEqualTo("/my%20docs/caf%C3%A9");
    assertThat(new RequestPath(List.of(), false).encoded()).isEqualTo("/");
  }
}

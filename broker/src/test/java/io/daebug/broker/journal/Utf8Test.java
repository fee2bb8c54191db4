package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void findsAnAsciiRunAmongMultiByteCharactersFromEitherEnd() {
    byte[] log = b("# 👍 log\n---\nx\n---\n> Append your code\n");
    int last = Utf8.lastIndexOf(log, b("---"));
    assertThat(last).isEqualTo(b("# 👍 log\n---\nx\n").length);
    assertThat(Utf8.indexOf(log, b("---"), 0)).isEqualTo(b("# 👍 log\n").length);
    assertThat(Utf8.indexOf(log, b("> Append your "), last)).isEqualTo(last + 4);
    assertThat(Utf8.indexOf(log, b("---"), last + 1)).isEqualTo(-1);
  }

  @Test
  void aRunThatIsNotThereOrLongerThanTheBytesIsNotFound() {
    assertThat(Utf8.lastIndexOf(b("ab"), b("abc"))).isEqualTo(-1);
    assertThat(Utf8.indexOf(b("ab"), b("abc"), 0)).isEqualTo(-1);
    assertThat(Utf8.lastIndexOf(b("abcabc"), b("abc"))).isEqualTo(3);
    assertThat(Utf8.indexOf(b("abcabc"), b("abc"), -5)).isEqualTo(0);
    assertThat(Utf8.lastIndexOf(new byte[0], b("-"))).isEqualTo(-1);
  }
}

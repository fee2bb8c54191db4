package io.daebug.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12, items 3 and 9: what the broker records of a realm's URL. */
class RecordedUrlTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://127.0.0.1:8100/?token=s3cret-value | http://127.0.0.1:8100/",
      "http://h/p?a=1&token=s3cret&b=2#top | http://h/p?a=1&b=2#top",
      "http://h/p?tok%65n=s3cret | http://h/p",
      "http://h/p?token=a&token=b&x | http://h/p?x",
      "http://h/p?tokens=1&mytoken=2 | http://h/p?tokens=1&mytoken=2",
      "http://h/p#?token=in-the-fragment | http://h/p#?token=in-the-fragment",
      "worker://w | worker://w"})
  void theTokenIsNeverRecorded(String url, String recorded) {
    assertThat(RecordedUrl.of(url, 512)).isEqualTo(recorded);
    assertThat(new Hello("p", "page", url, null, null, 1, null).url()).isEqualTo(recorded);
  }

  @Test
  void lineBreaksArePercentEncodedAsUtf8() {
    assertThat(RecordedUrl.of("http://h/a\u2028b\u2029c\u0085d\ne\u007ff", 512))
        .isEqualTo("http://h/a%E2%80%A8b%E2%80%A9c%C2%85d%0Ae%7Ff");
    assertThat(RecordedUrl.of("http://h/\u00e9t\u00e9/\uD83D\uDE00", 512)).as("other non-ASCII is kept as is")
        .isEqualTo("http://h/\u00e9t\u00e9/\uD83D\uDE00");
  }

  @Test
  void cutsNeverSplitAnEscapeOrASurrogatePair() {
    assertThat(RecordedUrl.printable("ab\u2028", 5)).isEqualTo("ab");
    assertThat(RecordedUrl.printable("abcd\uD83D\uDE00", 5)).isEqualTo("abcd");
    assertThat(RecordedUrl.printable("abc\uD83D\uDE00", 5)).isEqualTo("abc\uD83D\uDE00");
  }
}

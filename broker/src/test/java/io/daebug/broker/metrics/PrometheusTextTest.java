package io.daebug.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser of the Prometheus text format accepts the format and refuses what breaks its rules. */
class PrometheusTextTest {
  private static final String GOOD = """
      # HELP jobs_total Jobs ended, "by" outcome \\\\ and \\n more
      # TYPE jobs_total counter
      jobs_total{outcome="ok"} 3.0
      jobs_total{outcome="a \\"quoted\\" \\\\ \\n value"} 0
      # TYPE took_seconds histogram
      took_seconds_bucket{le="0.001"} 1
      took_seconds_bucket{le="0.01"} 2
      took_seconds_bucket{le="+Inf"} 2
      took_seconds_count 2
      took_seconds_sum 0.004
      # a comment
      up 1 1700000000000
      temp NaN
      low -Inf
      small 1.5e-7
      """;

  @Test
  @DisplayName("a well-formed exposition parses, with its values, labels and types")
  void parses() {
    PrometheusText t = PrometheusText.parse(GOOD);
    assertThat(t.value("jobs_total", "outcome", "ok")).isEqualTo(3.0);
    assertThat(t.find("jobs_total", "outcome", "a \"quoted\" \\ \n value")).hasSize(1);
    assertThat(t.type("took_seconds")).isEqualTo("histogram");
    assertThat(t.value("took_seconds_count")).isEqualTo(2);
    assertThat(t.value("small")).isEqualTo(1.5e-7);
    assertThat(t.value("low")).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @ParameterizedTest
  @DisplayName("breaking a rule of the format is refused")
  @ValueSource(strings = {
      "up 1",                                                    // no line feed at the end
      "up 1\n# TYPE up gauge\n",                                 // TYPE after the samples
      "# TYPE up gauge\n# TYPE up gauge\nup 1\n",                // TYPE twice
      "# TYPE up meter\nup 1\n",                                 // unknown type
      "a 1\nb 1\na{x=\"1\"} 1\n",                                // a family's samples apart
      "up 1\nup 2\n",                                            // the same series twice
      "up{x=\"1\",x=\"2\"} 1\n",                                 // a label twice
      "up{x=\"a\\tb\"} 1\n",                                     // an escape the format lacks
      "up{x=\"open} 1\n",                                        // an unterminated value
      "up{1x=\"a\"} 1\n",                                        // a bad label name
      "up one\n",                                                // a value that is not a number
      "up  1\n",                                                 // two spaces
      "9up 1\n",                                                 // a bad metric name
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n",  // not cumulative
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 0\n",                          // no +Inf bucket
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 0\n",                       // count differs
  })
  void refuses(String text) {
    assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}

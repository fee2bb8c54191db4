package io.daebug.broker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The glob syntax of {@link FileGlob}, matched without backtracking (issue 12, item 7). */
class GlobMatcherTest {

  @ParameterizedTest
  @CsvSource({
      "**/*.test.js, a.test.js, true", "**/*.test.js, x/y/a.test.js, true", "**/*.test.js, x/a.js, false",
      "*.js, a.js, true", "*.js, x/a.js, false", "a/**/b, a/b, true", "a/**/b, a/x/y/b, true", "a/**/b, a/xb, false",
      "a/**, a/x/y, true", "a?c, abc, true", "a?c, a/c, false", "'{a,b}.js', b.js, true", "'{a,b}.js', c.js, false",
      "'x{a,{b,c}d}', xcd, true", "'x{a,{b,c}d}', xc, false", "'{a,', a, true", "'a,b', 'a,b', true",
      "'a}', 'a}', true", "'{}x', x, true", "**, any/thing, true", "'**/', a/, true", "a*b*c, aXbYc, true",
      "a*b*c, aXbY/c, false", "'*a*a*a*b', aaaaaaaaab, true", "'*a*a*a*b', aaaaaaaaaa, false"})
  void matchesLikeShells(String glob, String path, boolean expected) {
    assertThat(GlobMatcher.compile(glob).matches(path, new long[1])).as(glob + " ~ " + path).isEqualTo(expected);
  }

  @Test
  void hostilePatternsCostLinearWork() {
    String deep = "**/".repeat(26) + "nomatch.xyz";
    String path = "node_modules/a/node_modules/b/node_modules/c/node_modules/d/node_modules/e/lib/x/y/z/w/index.js";
    long[] work = {0};
    assertThat(GlobMatcher.compile(deep).matches(path, work)).isFalse();
    assertThat(work[0]).as("steps for %d tokens x %d characters", 27 + 11, path.length())
        .isLessThanOrEqualTo((long) (deep.length() + 1) * path.length());

    String stars = "*a".repeat(60) + "b";
    String name = "a".repeat(4000);
    work[0] = 0;
    assertThat(GlobMatcher.compile(stars).matches(name, work)).isFalse();
    assertThat(work[0]).isLessThanOrEqualTo((long) (stars.length() + 1) * name.length());
  }

  @Test
  void oversizedPatternsAreRefusedWithAReason() {
    assertThatThrownBy(() -> GlobMatcher.compile("a".repeat(GlobMatcher.MAX_PATTERN + 1)))
        .isInstanceOf(GlobMatcher.TooComplexException.class).hasMessageContaining("at most 512");
    assertThatThrownBy(() -> GlobMatcher.compile("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"))
        .isInstanceOf(GlobMatcher.TooComplexException.class).hasMessageContaining("more than 64 alternatives");
  }
}

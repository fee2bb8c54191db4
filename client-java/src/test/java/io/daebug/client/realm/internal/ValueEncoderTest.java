package io.daebug.client.realm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueEncoderTest {
  private static String encode(Object value, String text) {
    return ValueEncoder.encode(value, text).toString();
  }

  @Test
  void scalarsBecomeJson() {
    assertThat(encode(null, "null")).isEqualTo("null");
    assertThat(encode(true, "true")).isEqualTo("true");
    assertThat(encode((byte) 7, "7")).isEqualTo("7");
    assertThat(encode(Long.MAX_VALUE, "")).isEqualTo("9223372036854775807");
    assertThat(encode(new BigInteger("123456789012345678901234567890"), ""))
        .isEqualTo("123456789012345678901234567890");
    assertThat(encode(new BigDecimal("1.10"), "")).isEqualTo("1.10");
    assertThat(encode(0.1, "")).isEqualTo("0.1");
    assertThat(encode(0.0, "")).isEqualTo("0.0");
    assertThat(encode(1e21, "")).isEqualTo("1.0E21");
    assertThat(encode(0.1f, "")).isEqualTo("0.1");
    assertThat(encode('\n', "'\\n'")).isEqualTo("\"\\n\"");
    assertThat(encode("tab\tand \"quote\"", "")).isEqualTo("\"tab\\tand \\\"quote\\\"\"");
  }

  @Test
  void numbersJsonCannotHoldAreTagged() {
    assertThat(encode(Double.NaN, "NaN")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"NaN\"}");
    assertThat(encode(Float.POSITIVE_INFINITY, "Infinity")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"Infinity\"}");
    assertThat(encode(Double.NEGATIVE_INFINITY, "")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"-Infinity\"}");
    assertThat(encode(-0.0, "-0.0")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"-0\"}");
    assertThat(encode(-0.0f, "-0.0")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"-0\"}");
  }

  @Test
  void everythingElseIsOpaqueWithJShellsText() {
    assertThat(encode(List.of(1, 2), "[1, 2]"))
        .startsWith("{\"$daebug\":\"opaque\",\"repr\":\"[1, 2]\",\"class\":\"java.util.");
    assertThat(encode(new StringBuilder("sb"), "sb"))
        .isEqualTo("{\"$daebug\":\"opaque\",\"repr\":\"sb\",\"class\":\"java.lang.StringBuilder\"}");
    assertThat(encode(Thread.State.NEW, "NEW"))
        .isEqualTo("{\"$daebug\":\"opaque\",\"repr\":\"NEW\",\"class\":\"java.lang.Thread$State\"}");
    Object o = new Object();
    assertThat(encode(o, null)).as("no text: never calls toString()")
        .isEqualTo("{\"$daebug\":\"opaque\",\"repr\":\"java.lang.Object@"
            + Integer.toHexString(System.identityHashCode(o)) + "\",\"class\":\"java.lang.Object\"}");
    assertThat(ValueEncoder.undefined()).hasToString("{\"$daebug\":\"undefined\"}");
  }
}

package io.daebug.debug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void scalarsAreJsonWhereTheirTextIs() {
    assertThat(Values.scalar("42").toString()).isEqualTo("42");
    assertThat(Values.scalar("-1.5e3").toString()).isEqualTo("-1.5E+3");
    assertThat(Values.scalar("true").toString()).isEqualTo("true");
    assertThat(Values.scalar("\"a\\tb\"").textValue()).isEqualTo("a\tb");
    assertThat(Values.scalar("'py'").textValue()).isEqualTo("py");
    assertThat(Values.scalar("nil").isNull()).isTrue();
    assertThat(Values.scalar("0x00007ffe").textValue()).isEqualTo("0x00007ffe");
    assertThat(Values.scalar("main.Order {ID: 7}").textValue()).isEqualTo("main.Order {ID: 7}");
  }
}

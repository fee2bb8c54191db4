package io.daebug.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DaebugCommandTest {
  @Test
  void withoutACommandTheJarIsTheBrokerWithItsOptions() {
    StringWriter out = new StringWriter();
    int code = DaebugCommand.run(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    assertThat(out.toString()).contains("--root", "--port", "--require-token");
    for (DaebugCommand.Subcommand sub : DaebugCommand.COMMANDS) {
      assertThat(out.toString()).contains(sub.name());
    }
  }

  @Test
  void aBadOptionIsRefusedWithExitCode2() {
    StringWriter err = new StringWriter();
    int code = DaebugCommand.run(new String[] {"--port", "x"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--port");
  }
}

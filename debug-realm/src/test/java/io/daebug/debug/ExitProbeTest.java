package io.daebug.debug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitProbeTest {
  @Test
  void readsTheStatusFromDelvesErrorForAnExitedProcess() {
    // Delve 1.20.2's answer to an evaluate after a Go program called os.Exit(3) (seen over DAP on this machine)
    assertThat(ExitProbe.status("Unable to evaluate expression: Process 22499 has exited with status 3")).isEqualTo(3);
    assertThat(ExitProbe.status("Process 1 has exited with status 0")).isZero();
    assertThat(ExitProbe.status("Process 7 has exited with status -1")).isEqualTo(-1);
  }

  @Test
  void anyOtherAnswerHasNoStatus() {
    assertThat(ExitProbe.status(null)).isNull();
    assertThat(ExitProbe.status("Unable to evaluate expression: could not find symbol value for x")).isNull();
    assertThat(ExitProbe.status("Process 7 has exited with status 99999999999")).isNull();
    assertThat(ExitProbe.status("MyProcess 7 has exited with status 3")).isNull();
  }
}

package io.daebug.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces joined by a veth pair: to sockets, a second host on this machine. Namespace {@code A} has
 * {@value #ADDRESS_A}/24, {@code B} has {@value #ADDRESS_B}/24; neither has a route anywhere else. Names are unique
 * per instance ({@code daebug-<hex>-a}), so parallel runs do not meet. {@link #close()} deletes both namespaces,
 * which removes the veth pair with them; processes still running inside keep theirs alive, so stop those first.
 *
 * <p>Needs root and iproute2. Where they are missing or the kernel refuses ({@code EPERM} in a container without
 * {@code CAP_SYS_ADMIN}), {@link #create()} aborts the test through JUnit's assumptions, with the reason: it skips,
 * it never fails.
 */
final class NetnsPair implements AutoCloseable {
  static final String ADDRESS_A = "10.77.0.1";
  static final String ADDRESS_B = "10.77.0.2";

  private final String a;
  private final String b;
  private final List<String> created = new ArrayList<>();

  private NetnsPair(String id) {
    this.a = "daebug-" + id + "-a";
    this.b = "daebug-" + id + "-b";
  }

  /** Creates the pair, or aborts the calling test (skipped, with why) when this machine does not allow it. */
  static NetnsPair create() {
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    NetnsPair pair = new NetnsPair(id);
    try {
      pair.setUp("dbg" + id + "a", "dbg" + id + "b");
      return pair;
    } catch (RuntimeException e) {
      pair.close();
      throw e;
    }
  }

  private void setUp(String vethA, String vethB) {
    for (String ns : List.of(a, b)) {
      ip("netns", "add", ns);
      created.add(ns);
    }
    ip("link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b);
    ip("-n", a, "addr", "add", ADDRESS_A + "/24", "dev", vethA);
    ip("-n", b, "addr", "add", ADDRESS_B + "/24", "dev", vethB);
    for (String[] nsDev : new String[][] {{a, vethA}, {b, vethB}, {a, "lo"}, {b, "lo"}}) {
      ip("-n", nsDev[0], "link", "set", nsDev[1], "up");
    }
  }

  /** {@code ip netns exec <A>}: a command prefix that runs a program in namespace A (ip execs it: same pid). */
  List<String> inA() {
    return List.of("ip", "netns", "exec", a);
  }

  /** {@code ip netns exec <B>}. */
  List<String> inB() {
    return List.of("ip", "netns", "exec", b);
  }

  @Override
  public void close() {
    for (String ns : created) {
      run(List.of("ip", "netns", "delete", ns));
    }
    created.clear();
  }

  @Override
  public String toString() {
    return a + " <-> " + b;
  }

  /** Runs {@code ip args}; aborts the test when ip is missing or refuses. */
  private void ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    String failure = run(command);
    Assumptions.assumeTrue(failure == null, () -> "network namespaces are not available here, so this test is "
        + "skipped (it needs root and iproute2): " + failure);
  }

  /** Runs a command; returns null on success, else what went wrong. */
  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish within 20 s";
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.exitValue() == 0 ? null : String.join(" ", command) + " exited with " + p.exitValue() + ": " + out;
    } catch (IOException e) {
      return "cannot run " + command.get(0) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}

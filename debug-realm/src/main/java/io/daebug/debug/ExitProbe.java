package io.daebug.debug;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;

/**
 * The exit status of a program whose adapter sent {@code terminated} without {@code exited}: Delve 1.20 does so
 * for every Go program (its DAP server reports {@code exited} only in later versions). Delve keeps the status,
 * and the error it gives any evaluation on the exited process says it: {@code Unable to evaluate expression:
 * Process 4242 has exited with status 3}. So one {@code evaluate} of {@code 0} (context {@code repl}) asks; it
 * changes nothing, so {@code restart} still works. Another adapter's answer has no such text: no status.
 */
final class ExitProbe {
  /** How long the answer may take before the program's end is reported without a status. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Pattern STATUS = Pattern.compile("\\bProcess \\d+ has exited with status (-?\\d+)\\b");

  private ExitProbe() {}

  /**
   * Asks without waiting (the caller may be the thread that reads the answer).
   *
   * @param server the adapter
   * @return the status, or null when the adapter did not say one within {@link #TIMEOUT}; never fails
   */
  static CompletableFuture<Integer> ask(IDebugProtocolServer server) {
    EvaluateArguments probe = new EvaluateArguments();
    probe.setExpression("0");
    probe.setContext("repl");
    try {
      return server.evaluate(probe).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .handle((ok, e) -> e == null ? null
              : status(DapSession.errorText(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /** The exit status in Delve's words for an exited process, or null. */
  static Integer status(String adapterText) {
    Matcher m = adapterText == null ? null : STATUS.matcher(adapterText);
    if (m == null || !m.find()) {
      return null;
    }
    try {
      return Integer.valueOf(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

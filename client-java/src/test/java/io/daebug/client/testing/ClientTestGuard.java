package io.daebug.client.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when a thread died of an uncaught exception while it ran (OkHttp's
 * {@code InstallUncaughtExceptionHandlerListener}), or when a client thread ({@code daebug-client-*})
 * outlives it: every test must close its clients (Java-WebSocket's {@code ThreadCheck}). Registered for
 * every test by autodetection ({@code junit-platform.properties}).
 */
public final class ClientTestGuard implements BeforeEachCallback, AfterEachCallback {
  private static final List<String> CAUGHT = new ArrayList<>();
  private Thread.UncaughtExceptionHandler previous;

  @Override
  public void beforeEach(ExtensionContext context) {
    previous = Thread.getDefaultUncaughtExceptionHandler();
    synchronized (CAUGHT) {
      CAUGHT.clear();
    }
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      synchronized (CAUGHT) {
        CAUGHT.add(thread.getName() + ": " + error);
      }
      if (previous != null) {
        previous.uncaughtException(thread, error);
      }
    });
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Thread.setDefaultUncaughtExceptionHandler(previous);
    boolean expected = context.getTestMethod().map(m -> m.isAnnotationPresent(ExpectsUncaughtExceptions.class))
        .orElse(false);
    synchronized (CAUGHT) {
      if (!CAUGHT.isEmpty() && !expected) {
        List<String> copy = List.copyOf(CAUGHT);
        CAUGHT.clear();
        throw new AssertionError("uncaught exceptions during the test: " + copy);
      }
    }
    Awaitility.await("client threads to end").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> clientThreads().isEmpty());
  }

  private static List<String> clientThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("daebug-client-")) {
        names.add(t.getName());
      }
    }
    return names;
  }
}

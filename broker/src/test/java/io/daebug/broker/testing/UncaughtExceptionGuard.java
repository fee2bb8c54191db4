package io.daebug.broker.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when any thread died of an uncaught exception while it ran (after OkHttp's
 * {@code InstallUncaughtExceptionHandlerListener}): a broker thread that dies silently would otherwise
 * only show up as a test that times out. Registered for every test by autodetection
 * ({@code junit-platform.properties}).
 */
public final class UncaughtExceptionGuard implements BeforeEachCallback, AfterEachCallback {
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
    synchronized (CAUGHT) {
      if (!CAUGHT.isEmpty()) {
        List<String> copy = List.copyOf(CAUGHT);
        CAUGHT.clear();
        throw new AssertionError("uncaught exceptions during the test: " + copy);
      }
    }
  }
}

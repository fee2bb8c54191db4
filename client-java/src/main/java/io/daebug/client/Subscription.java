package io.daebug.client;

/**
 * A registration (a watch or a listener) that ends when closed. Closing is idempotent, never throws and
 * may be done from any thread, including from within a callback.
 */
public interface Subscription extends AutoCloseable {
  /** Ends the registration; no callback starts after this returns, except one already running. */
  @Override
  void close();
}

package io.daebug.client.internal;

import io.daebug.client.Subscription;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Listeners of one kind. Adding and removing work from any thread and take effect at once; calls are made
 * by the client's thread only, each inside {@link #safely} so a throwing listener cannot stop the client.
 */
final class ListenerSet<T> {
  private static final System.Logger LOG = System.getLogger("io.daebug.client");

  /** One registration; inactive once closed, so no call starts after {@link Subscription#close()}. */
  static final class Registration<T> implements Subscription {
    final T listener;
    private final Runnable onClose;
    private volatile boolean active = true;

    Registration(T listener, Runnable onClose) {
      this.listener = listener;
      this.onClose = onClose;
    }

    boolean active() {
      return active;
    }

    @Override
    public void close() {
      if (active) {
        active = false;
        onClose.run();
      }
    }
  }

  private final CopyOnWriteArrayList<Registration<T>> registrations = new CopyOnWriteArrayList<>();

  /** Registers a listener; {@code afterClose} runs (on the closing thread) when it is removed. */
  Registration<T> add(T listener, Runnable afterClose) {
    Registration<T>[] self = newArray();
    Registration<T> r = new Registration<>(listener, () -> {
      registrations.remove(self[0]);
      afterClose.run();
    });
    self[0] = r;
    registrations.add(r);
    return r;
  }

  Registration<T> add(T listener) {
    return add(listener, () -> {});
  }

  /** Calls every active listener in registration order. */
  void forEach(String what, Consumer<T> call) {
    for (Registration<T> r : registrations) {
      if (r.active()) {
        safely(what, () -> call.accept(r.listener));
      }
    }
  }

  /** The active registrations, in order. */
  Iterable<Registration<T>> registrations() {
    return registrations;
  }

  /** Runs a callback; anything it throws is logged and swallowed (errors of the JVM itself excepted). */
  static void safely(String what, Runnable callback) {
    try {
      callback.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.log(System.Logger.Level.WARNING, "Daebug client: " + what + " threw; ignored", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Registration<T>[] newArray() {
    return (Registration<T>[]) new Registration<?>[1];
  }
}

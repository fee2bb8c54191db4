package io.daebug.broker.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 8: a connection's frames reach the core at most {@value Intake#MAX_IN_FLIGHT} at a time; the next
 * frame is read only when the core finished one, and never while a hello is being dealt with.
 */
class IntakeTest {
  private final AtomicInteger demands = new AtomicInteger();
  private final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
      new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
        case "demand" -> {
          demands.incrementAndGet();
          yield null;
        }
        case "isOpen" -> true;
        default -> throw new UnsupportedOperationException(method.getName());
      });
  private final Intake intake = new Intake(session);

  @Test
  void aBurstWaitsInItsOwnConnection() {
    intake.start();
    assertThat(demands).hasValue(1);
    List<Runnable> atTheCore = new ArrayList<>();
    for (int i = 0; i < Intake.MAX_IN_FLIGHT; i++) {
      atTheCore.add(intake.handedOn()); // a frame arrives (it was demanded) and goes to the core
    }
    assertThat(demands).as("frames read: the first plus one after each but the last").hasValue(Intake.MAX_IN_FLIGHT);
    atTheCore.remove(0).run();
    assertThat(demands).as("the core finished one: one more is read").hasValue(Intake.MAX_IN_FLIGHT + 1);
    atTheCore.remove(0).run();
    assertThat(demands).as("a demand is still pending: never two at once").hasValue(Intake.MAX_IN_FLIGHT + 1);
  }

  @Test
  void framesDealtWithAtOnceReadOnAndAHelloIsAlone() {
    intake.start();
    Runnable hello = intake.handedOnAlone();
    assertThat(demands).as("nothing overtakes the hello").hasValue(1);
    hello.run();
    assertThat(demands).hasValue(2);
    intake.handled(); // a pong
    assertThat(demands).hasValue(3);
  }
}

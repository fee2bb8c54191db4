package io.daebug.broker.transport.ws;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What tests of one default broker and its {@link SpecAuditTest.Rig} realms share: started before each test, shut after. */
abstract class OneBrokerRig {
  @TempDir
  Path base;

  SpecAuditTest.Rig rig;
  TestBroker broker;
  Path root;

  @BeforeEach
  void start() throws Exception {
    rig = new SpecAuditTest.Rig(base);
    broker = rig.start(UnaryOperator.identity());
    root = broker.root();
  }

  @AfterEach
  void stop() throws Exception {
    rig.shutdown();
  }
}

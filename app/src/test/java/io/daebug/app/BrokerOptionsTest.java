package io.daebug.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerOptionsTest {
  @TempDir
  Path root;

  @Test
  void theLockFileOfALiveBrokerNamesItsUrl() throws Exception {
    Path lock = root.resolve(BrokerOptions.LOCK_FILE);
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "{\"url\":\"http://127.0.0.1:8123/\",\"pid\":" + ProcessHandle.current().pid() + "}\n");
    assertThat(BrokerOptions.fromLockFile(lock)).isEqualTo(URI.create("http://127.0.0.1:8123/"));
  }

  @Test
  void anEmptyGarbledOrStaleLockFileIsIgnored() throws Exception {
    Path lock = root.resolve(BrokerOptions.LOCK_FILE);
    assertThat(BrokerOptions.fromLockFile(lock)).as("missing").isNull();
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "");
    assertThat(BrokerOptions.fromLockFile(lock)).as("empty (a stopped broker empties it)").isNull();
    Files.writeString(lock, "{not json");
    assertThat(BrokerOptions.fromLockFile(lock)).isNull();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(lock, "{\"url\":\"http://127.0.0.1:8123/\",\"pid\":" + gone.pid() + "}");
    assertThat(BrokerOptions.fromLockFile(lock)).as("its process is gone").isNull();
  }

  @Test
  void withoutBrokerOrLockFileItIsTheFoldersDefaultPort() {
    BrokerOptions options = new BrokerOptions();
    options.root = root;
    assertThat(options.brokerUri()).isEqualTo(
        URI.create("http://127.0.0.1:" + io.daebug.broker.config.BrokerConfig.defaultPort(root) + "/"));
  }
}

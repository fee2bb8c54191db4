package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.bench.BigLogBench;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 8: a big adopted log is read and parsed whole off the core ({@link RealmLog#prime}); the core's
 * first look at it then reads only its live region, and still sees what an agent appended meanwhile.
 */
class PrimedAdoptionTest {
  @TempDir Path dir;

  @Test
  void theCoreReadsOnlyTheLiveRegionOfAPrimedLog() throws Exception {
    Path file = dir.resolve("big.md");
    BigLogBench.pad(file, "big", 6L << 20);
    RealmLog.Primed primed = RealmLog.prime(file, new WriteOptions(Long.MAX_VALUE, WriteFaults.NONE)); // the primer thread's work
    Files.writeString(file, "```js\nappended()\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, "big", "javascript", 1024, sync)) {
      log.adopt(primed);
      log.create();
      List<RealmLog.Request> requests = log.peek("10:11:12", 0, false, List.of());
      assertThat(requests).extracting(RealmLog.Request::code).containsExactly("appended()");
      assertThat(log.reads()).as("region reads, whole reads").containsExactly(1, 0);
    }
  }

  @Test
  void withoutPrimingTheFirstReadIsWhole() throws Exception {
    Path file = dir.resolve("big.md");
    BigLogBench.pad(file, "big", 6L << 20);
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, "big", "javascript", 1024, sync)) {
      log.create();
      log.peek("10:11:12", 0, false, List.of());
      assertThat(log.reads()).containsExactly(0, 1);
    }
  }
}

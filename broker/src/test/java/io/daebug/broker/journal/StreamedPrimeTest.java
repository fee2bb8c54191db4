package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.bench.BigLogBench;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 8: adopting a big log ({@link RealmLog#prime}) no longer reads it whole. Measured in bytes the
 * priming thread allocates ({@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), not in time: reading a
 * 200 MB log whole took about 2 GB of heap, whose collection stalled every realm. Here a 40 MB log takes about 1.5 MB
 * when its history moves (what stays in the log is parsed) and 0.1 MB when it stays (the live region alone).
 */
class StreamedPrimeTest {
  private static final long SIZE = 40L << 20;

  @TempDir Path dir;

  @Test
  void aBigLogIsPrimedWithoutReadingItWhole() throws Exception {
    warmUp();
    Path file = dir.resolve("big.md");
    BigLogBench.pad(file, "big", SIZE);
    long size = Files.size(file);

    long allocated = allocatedWhile(() -> RealmLog.prime(file, WriteOptions.defaults()));

    assertThat(allocated).as("bytes allocated priming a %d-byte log", size).isLessThan(size / 10);
    Path part = History.folderOf(file).resolve("0001.md");
    assertThat(part).exists();
    assertThat(Files.size(file)).as("the log, its history moved out").isLessThan(WriteOptions.DEFAULT_HISTORY_ABOVE);
    assertThat(Files.size(part) + Files.size(file)).isGreaterThan(size); // the intro and link lines added
  }

  @Test
  void aBigLogWhoseHistoryStaysIsReadFromItsLiveRegionOn() throws Exception {
    warmUp();
    Path file = dir.resolve("big.md");
    BigLogBench.pad(file, "big", SIZE);
    long size = Files.size(file);
    AtomicReference<RealmLog.Primed> primed = new AtomicReference<>();

    long allocated = allocatedWhile(() -> primed.set(RealmLog.prime(file, new WriteOptions(Long.MAX_VALUE,
        WriteFaults.NONE))));


    assertThat(allocated).as("bytes allocated priming a %d-byte log", size).isLessThan(size / 10);
    assertThat(Files.size(file)).isEqualTo(size);
    Files.writeString(file, "```js\nappended()\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(file, "big", "javascript", 1024, sync)) {
      log.adopt(primed.get());
      log.create();
      assertThat(log.peek("10:11:12", 0, false, List.of())).extracting(RealmLog.Request::code)
          .containsExactly("appended()");
      assertThat(log.reads()).as("region reads, whole reads").containsExactly(1, 0);
    }
  }

  @Test
  void aLogChangedDuringTheMoveKeepsItsHistoryAsTheWholeReadDoes() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a")).resolve("log.md");
    Path b = Files.createDirectories(dir.resolve("b")).resolve("log.md");
    BigLogBench.pad(a, "log", 2L << 20);
    Files.copy(a, b);
    RealmLog.Primed streamed = RealmLog.prime(a, new WriteOptions(64 * 1024, appendingAt(a)));
    RealmLog.Primed whole = RealmLog.primeWhole(b, new WriteOptions(64 * 1024, appendingAt(b)), true);
    try {
      assertThat(Files.readString(a)).endsWith("appended()\n```\n").isEqualTo(Files.readString(b));
      assertThat(History.folderOf(a).resolve("0001.md")).as("a part the log does not link yet")
          .hasSameBinaryContentAs(History.folderOf(b).resolve("0001.md"));
      assertThat(streamed.reader().state()).isEqualTo(whole.reader().state());
      assertThat(streamed.hadFooter()).isEqualTo(whole.hadFooter()).isTrue();
    } finally {
      for (RealmLog.Primed p : List.of(streamed, whole)) {
        try (DirSync sync = new DirSync(dir); RealmLog log = new RealmLog(p == streamed ? a : b, "log", "javascript",
            1024, sync)) {
          log.adopt(p);
        }
      }
    }
  }

  /** Faults that append a request to {@code log} once its history part is written, before the log is. */
  private static WriteFaults appendingAt(Path log) {
    return new WriteFaults() {
      @Override
      public void at(Point point) {
        if (point == Point.HISTORY_WRITTEN) {
          try {
            Files.writeString(log, "```js\nappended()\n```\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };
  }

  /**
   * Primes a small log both ways first, so that what is measured is the priming, not the loading of the classes it
   * uses (about 10 MB on the first run in a JVM).
   */
  private void warmUp() throws Exception {
    Path warm = Files.createDirectories(dir.resolve("warm")).resolve("warm.md");
    BigLogBench.pad(warm, "warm", 2L << 20);
    RealmLog.prime(warm, new WriteOptions(Long.MAX_VALUE, WriteFaults.NONE));
    RealmLog.prime(warm, WriteOptions.defaults());
  }

  private interface Priming {
    void run() throws Exception;
  }

  /** The bytes a thread of its own allocates running {@code work}. */
  private static long allocatedWhile(Priming work) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    AtomicLong allocated = new AtomicLong();
    AtomicReference<Exception> failed = new AtomicReference<>();
    Thread t = new Thread(() -> {
      long id = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(id);
      try {
        work.run();
      } catch (Exception e) {
        failed.set(e);
      }
      allocated.set(threads.getThreadAllocatedBytes(id) - before);
    }, "test-log-primer");
    t.start();
    t.join();
    if (failed.get() != null) {
      throw failed.get();
    }
    return allocated.get();
  }
}

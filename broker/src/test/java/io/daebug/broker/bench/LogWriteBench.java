package io.daebug.broker.bench;

import io.daebug.broker.journal.DirSync;
import io.daebug.broker.journal.Durability;
import io.daebug.broker.journal.Events;
import io.daebug.broker.journal.JournalEvent;
import io.daebug.broker.journal.RealmLog;
import io.daebug.broker.journal.WriteFaults;
import io.daebug.broker.journal.WriteOptions;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one log write costs against the size of the log it replaces (a copy of the log and, for a durable write,
 * two fsyncs), to choose the size above which history moves out of a log ({@link WriteOptions#historyAbove}); what
 * a bare fsync of a small file and of a folder cost here; and, as the floor to compare a write with, what a record
 * appended in place to an open file costs (with and without an fdatasync). A program, not a test:
 * {@code mvn -q -B -pl broker -am test-compile exec:exec@log-write-bench} (sizes in KiB, writes per size).
 */
public final class LogWriteBench {
  private LogWriteBench() {}

  public static void main(String[] args) throws Exception {
    int[] kib = Arrays.stream((args.length > 0 ? args[0] : "16,64,256,1024,4096").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int writes = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    Path root = Files.createTempDirectory("daebug-write-bench-");
    Path probe = root.resolve("probe");
    long[] file = new long[writes];
    long[] folder = new long[writes];
    try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
      for (int i = 0; i < writes; i++) {
        ch.write(java.nio.ByteBuffer.wrap(("line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        long t0 = System.nanoTime();
        ch.force(true);
        long t1 = System.nanoTime();
        dir.force(true);
        file[i] = t1 - t0;
        folder[i] = System.nanoTime() - t1;
      }
    }
    System.out.printf(Locale.ROOT, "fsync of a small file just written: median %.3f ms, p90 %.3f ms; of its folder"
        + " right after: median %.3f ms%n", ms(file, 50), ms(file, 90), ms(folder, 50));
    // The floor a write of a whole new version is measured against: a record appended in place to a file kept open,
    // as an append-only journal beside the logs would write it (readers of the log never see such a file).
    long[] append = new long[writes];
    long[] appendSynced = new long[writes];
    byte[] record = ("#### 👍app to agent at 10:00:00 (1ms)\n```json\n2\n```\n").repeat(6)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(root.resolve("journal"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < writes; i++) {
        long t0 = System.nanoTime();
        ch.write(java.nio.ByteBuffer.wrap(record));
        long t1 = System.nanoTime();
        ch.write(java.nio.ByteBuffer.wrap(record));
        ch.force(false);
        append[i] = t1 - t0;
        appendSynced[i] = System.nanoTime() - t1;
      }
    }
    System.out.printf(Locale.ROOT, "a %d-byte record appended in place to an open file: median %.3f ms, p90 %.3f ms;"
        + " with an fdatasync: median %.3f ms%n", record.length, ms(append, 50), ms(append, 90),
        ms(appendSynced, 50));
    System.out.println("log size  | visible write median / p90 | durable write median / p90");
    // Sizes take turns write by write, so that the machine's load falls on all of them alike.
    RealmLog[] logs = new RealmLog[kib.length];
    long[][] visible = new long[kib.length][writes];
    long[][] durable = new long[kib.length][writes];
    try (DirSync sync = new DirSync(root)) {
      for (int s = 0; s < kib.length; s++) {
        Path log = root.resolve("log" + s + ".md");
        BigLogBench.pad(log, "log" + s, kib[s] * 1024L);
        logs[s] = new RealmLog(log, "log" + s, "javascript", 64 * 1024, sync,
            new WriteOptions(Long.MAX_VALUE, WriteFaults.NONE));
        logs[s].create();
        logs[s].peek("10:00:00", 0, false, List.of());
      }
      for (int i = 0; i < writes; i++) {
        for (int s = 0; s < kib.length; s++) {
          // A status-line-sized change: a background line replaced by the next one keeps the log's size.
          Events events = Events.of(List.of(new JournalEvent("log", "10:00:00", "tick " + i)), 0);
          long t0 = System.nanoTime();
          logs[s].batch().background("10:00:00", events).commit(Durability.VISIBLE);
          long t1 = System.nanoTime();
          logs[s].batch().background("10:00:00", events).commit(Durability.DURABLE);
          visible[s][i] = t1 - t0;
          durable[s][i] = System.nanoTime() - t1;
        }
      }
      for (int s = 0; s < kib.length; s++) {
        System.out.printf(Locale.ROOT, "%6d KiB | %8.3f / %8.3f ms      | %8.3f / %8.3f ms%n", kib[s],
            ms(visible[s], 50), ms(visible[s], 90), ms(durable[s], 50), ms(durable[s], 90));
        logs[s].close();
      }
    }
  }

  private static double ms(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }
}

package io.daebug.broker.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 8: priming a big log a chunk at a time ({@link StreamedPrime}) gives what reading it whole
 * ({@link RealmLog#primeWhole}) gives. On generated hostile logs (fences of every kind, forged footers and
 * placeholders, pending requests, a link line and history parts already there, invalid UTF-8, a BOM, mixed line
 * endings) with a small threshold so that history moves: the same history parts, the same log, byte for byte, and
 * the same live region and footer state. The scan is unsure exactly where {@link HistoryScan} says it may be (here:
 * no footer, or all of the log live) and then gives way to the whole read, as {@link RealmLog#prime} does.
 */
class StreamedPrimePropertiesTest {
  private static final String R = HostileMarkdown.REALM;
  private static final WriteOptions OPTIONS = new WriteOptions(1024, WriteFaults.NONE);

  @TempDir Path dir;

  /** A log and the history parts already next to it (by number; some a leftover of a move cut short). */
  record Case(HostileMarkdown.Doc log, Map<Integer, String> parts) {
    List<Case> shrinks() {
      List<Case> out = new ArrayList<>();
      if (!parts.isEmpty()) {
        out.add(new Case(log, Map.of()));
      }
      for (HostileMarkdown.Doc d : log.shrinks()) {
        out.add(new Case(d, parts));
      }
      return out;
    }

    @Override
    public String toString() {
      return "parts " + parts.keySet() + "\n" + log;
    }
  }

  @Test
  void streamingGivesWhatTheWholeReadGives() {
    AtomicInteger tries = new AtomicInteger();
    AtomicInteger streamed = new AtomicInteger();
    AtomicInteger moved = new AtomicInteger();
    Props.forAll("streamed prime", 300, StreamedPrimePropertiesTest::bigLog, Case::shrinks, Case::toString, c -> {
      int n = tries.incrementAndGet();
      Path a = place(dir.resolve("s" + n), c);
      Path b = place(dir.resolve("w" + n), c);
      RealmLog.Primed whole = RealmLog.primeWhole(b, OPTIONS, true);
      int live = LiveRegion.start(LogDocument.parse(Utf8.decode(Files.readAllBytes(a)), true));
      // checkpoints every few hundred bytes, so that the cut's scan starts from one in the middle of the history
      RealmLog.Primed viaScan = StreamedPrime.prime(a, OPTIONS, true, 1 + new SplittableRandom(n).nextInt(2048));
      assertThat(viaScan == null).as("the scan is unsure (no footer, or all of the log is live)").isEqualTo(live <= 0);
      if (viaScan != null) {
        streamed.incrementAndGet();
      } else {
        viaScan = RealmLog.primeWhole(a, OPTIONS, true); // what RealmLog.prime does then
      }
      try {
        assertThat(files(a.getParent())).as("the log and its parts").isEqualTo(files(b.getParent()));
        assertThat(viaScan.hadFooter()).as("footer").isEqualTo(whole.hadFooter());
        assertThat(viaScan.reader().state()).as("region").isEqualTo(whole.reader().state());
      } finally {
        release(a, viaScan);
        release(b, whole);
      }
      if (Files.isDirectory(History.folderOf(b)) && files(History.folderOf(b)).size() > c.parts().size()) {
        moved.incrementAndGet();
      }
    });
    assertThat(streamed.get()).as("cases primed by the scan, of %d", tries.get()).isGreaterThan(tries.get() / 2);
    assertThat(moved.get()).as("cases that moved history, of %d", tries.get()).isGreaterThan(tries.get() / 3);
  }

  /**
   * A log with history past 1 KiB: a broker-made top (or an agent's, or a link line below it), many earlier
   * requests with replies mixed with hostile pieces, maybe a pending placeholder, a footer (mostly), and text below.
   */
  static Case bigLog(SplittableRandom r) {
    List<String> lines = new ArrayList<>();
    String[] top = HostileMarkdown.NEW.split("\n", -1);
    int start = r.nextInt(10);
    if (start < 7) {
      for (int i = 0; i < top.length - 3; i++) {
        lines.add(top[i]); // title, blank, guide, blank
      }
    } else if (start < 8) {
      lines.add(HostileMarkdown.text(r, 30));
    }
    Map<Integer, String> parts = new TreeMap<>();
    int linked = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
    if (linked > 0) {
      lines.add(new History(Path.of(R + ".md"), 1024, WriteFaults.NONE).link(linked));
      for (int i = 0; i < r.nextInt(3); i++) {
        lines.add(r.nextBoolean() ? "" : " ");
      }
      for (int p = 1; p <= linked; p++) {
        parts.put(p, "> part " + p + "\n\nold history " + p + "\n");
      }
    }
    int blocks = 10 + r.nextInt(60);
    for (int i = 0; i < blocks; i++) {
      int k = r.nextInt(10);
      lines.addAll(k < 8 ? HostileMarkdown.history(r, 1 + r.nextInt(3)) : HostileMarkdown.piece(r));
      if (r.nextInt(60) == 0) {
        lines.addAll(HostileMarkdown.fenced(r, "js"));
        lines.add(JournalFormat.pendingHeader(R, "claude", "10:00:00"));
        lines.add(HostileMarkdown.pick(r, "executing (3s)", "queued (2 ahead)"));
      }
    }
    if (r.nextInt(12) != 0) {
      for (int i = r.nextInt(3); i > 0; i--) {
        lines.add(r.nextBoolean() ? "" : "\u3000");
      }
      lines.add(JournalFormat.RULE);
      lines.add(HostileMarkdown.PROMPT);
      lines.add("");
    }
    for (int i = r.nextInt(4); i > 0; i--) {
      lines.addAll(HostileMarkdown.piece(r));
    }
    if (r.nextInt(4) == 0) {
      lines.addAll(HostileMarkdown.draft(r));
    }
    if (r.nextInt(5) == 0) {
      parts.put(linked + 1, r.nextBoolean() ? "> leftover\n\n" : "> someone else's\n\nother history\n");
    }
    return new Case(HostileMarkdown.withEnds(r, r.nextInt(8) == 0, lines), parts);
  }

  /** Writes the case's log (and its parts) into {@code folder}; the log's path. */
  private static Path place(Path folder, Case c) throws IOException {
    Files.createDirectories(folder);
    Path log = folder.resolve(R + ".md");
    byte[] bytes = Utf8.encode(c.log().text());
    Files.write(log, bytes);
    if (!c.parts().isEmpty()) {
      Path history = Files.createDirectories(History.folderOf(log));
      for (Map.Entry<Integer, String> p : c.parts().entrySet()) {
        String body = p.getValue();
        if (body.startsWith("> leftover")) {
          body += Utf8.decode(historyStart(bytes)); // a move cut short: the beginning of the history to move
        }
        Files.write(history.resolve(History.name(p.getKey())), Utf8.encode(body));
      }
    }
    return log;
  }

  /** Up to 700 bytes from where the history to move starts (below the top and the link line). */
  private static byte[] historyStart(byte[] bytes) {
    LogDocument doc = LogDocument.parse(Utf8.decode(bytes), true);
    int from = History.topEnd(doc);
    if (from < doc.size() && History.linkedParts(doc.line(from)) >= 0) {
      from++;
      while (from < doc.size() && doc.line(from).isBlank()) {
        from++;
      }
    }
    int at = (int) doc.lineStarts(from + 1)[from];
    return java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 700));
  }

  /** The files under {@code folder} (not dotfiles: kept links are named after inodes) and their bytes. */
  private static Map<String, String> files(Path folder) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().startsWith(".")) {
          out.put(folder.relativize(p).toString(), java.util.Arrays.toString(Files.readAllBytes(p)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Lets go of the replaced versions a move holds open. */
  private static void release(Path log, RealmLog.Primed primed) {
    try (DirSync sync = new DirSync(log.getParent()); RealmLog l = new RealmLog(log, R, "javascript", 1024, sync)) {
      l.adopt(primed);
    }
  }
}

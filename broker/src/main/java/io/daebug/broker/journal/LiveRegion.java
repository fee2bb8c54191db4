package io.daebug.broker.journal;

/**
 * Where a log's live region starts: the part at the end of the file that the broker's next edits can
 * touch (pending placeholders, the footer, the agent's new text below it). Everything above it is history
 * the broker never rewrites, so a write reads, parses and writes only the live region, and a job costs the
 * same on a 50 MB log as on an empty one (FORMAT.md §4; docs/big-logs.md).
 *
 * <p>The start is chosen so that editing the region alone gives exactly the bytes that editing the whole
 * document would: it is a line start outside any fence (the region parses the same on its own), above
 * every placeholder still pending (a reply's anchor counts identical placeholders from the top), and above
 * the blank lines over the footer with at least one non-blank line before them (blocks inserted above the
 * footer look back over those blanks). Edits that must look further up (a late reply below an old 🚫
 * reply, replacing placeholders an earlier broker left) read the whole file.
 */
final class LiveRegion {
  private LiveRegion() {}

  /** The first line of the live region of {@code doc}; -1 when it has no footer (then all of it is live). */
  static int start(LogDocument doc) {
    int footer = doc.footer();
    if (footer < 0) {
      return -1;
    }
    int start = footer;
    while (start > 0 && doc.line(start - 1).isBlank()) {
      start--;
    }
    start = Math.max(0, start - 1); // the non-blank line above the blanks over the footer
    for (LogDocument.Fence f : doc.fences()) {
      if (f.open() >= start) {
        break;
      }
      if (f.closed() && pending(doc, f)) {
        start = f.open();
        break;
      }
    }
    return outsideFences(doc, start);
  }

  /** Whether a fence is followed by a placeholder: any {@code #### 👍... at HH:MM:SS} with a status line. */
  private static boolean pending(LogDocument doc, LogDocument.Fence f) {
    int h = f.close() + 1;
    return h + 1 < doc.size() && doc.line(h).startsWith(JournalFormat.OK_MARK) && doc.isPendingStatus(h + 1);
  }

  /** Moves {@code line} up to a non-blank line start where no fence is open. */
  private static int outsideFences(LogDocument doc, int line) {
    while (line > 0) {
      LogDocument.Fence around = null;
      for (LogDocument.Fence f : doc.fences()) {
        if (f.open() >= line) {
          break;
        }
        int end = f.closed() ? f.close() : doc.size() - 1;
        if (end >= line) {
          around = f;
          break;
        }
      }
      if (around != null) {
        line = around.open();
      } else if (doc.line(line).isBlank()) {
        line--;
      } else {
        return line;
      }
    }
    return 0;
  }
}

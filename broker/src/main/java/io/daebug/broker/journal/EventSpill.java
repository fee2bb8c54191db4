package io.daebug.broker.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side file {@code daebug/<realm>.events/<name>.md} of one reply or background block: the events the log leaves
 * out under FORMAT.md §2.4's display rule (all but the first 2 and the last 8), written whole as they are dropped
 * from memory, so no event is ever lost however many a realm sends, and memory stays bounded (at most
 * {@link #BUFFER_CHARS} characters wait here before they are appended to the file). Created on the first omitted
 * event; {@link #finish} makes it durable before the log line that links it is written. Not thread-safe: one
 * owner, the broker's core.
 */
public final class EventSpill {
  private static final Logger log = LoggerFactory.getLogger(EventSpill.class);
  /** Rendered events buffered before an append to the file. */
  static final int BUFFER_CHARS = 64 * 1024;

  private final Path dir;
  private final String realm;
  private final String name;
  private final String title;
  private final StringBuilder buffer = new StringBuilder();
  private FileChannel channel;
  private String relative;
  private boolean failed;
  private long written;
  /** The folders whose new entries {@link #finish} makes durable (the file's, and its parent's when new). */
  private final java.util.List<Path> unsynced = new java.util.ArrayList<>(2);

  /**
   * @param log the realm's log, {@code daebug/<realm>.md}
   * @param name the file's name without {@code .md}: a job id, or {@code background-<time>} (made unique with a
   *     suffix when a file of that name exists)
   * @param title what the events were omitted from, for the file's first line
   */
  public EventSpill(Path log, String realm, String name, String title) {
    this.dir = log.resolveSibling(realm + ".events");
    this.realm = realm;
    this.name = name;
    this.title = title;
  }

  /** Keeps one omitted event (appended to the file once enough are buffered). */
  public void add(JournalEvent e) {
    for (String line : Replies.event(e)) {
      buffer.append(line).append('\n');
    }
    written++;
    if (buffer.length() >= BUFFER_CHARS) {
      flush();
    }
  }

  /** How many events were handed to {@link #add}. */
  public long count() {
    return written;
  }

  /**
   * Writes what is buffered, fsyncs and closes the file: the log's link to it may then be written.
   *
   * @return the file relative to the log's folder ({@code <realm>.events/<name>.md}), or null when nothing was
   *     added or the file could not be written (the log's omission line still counts the events)
   */
  public String finish() {
    if (written == 0) {
      return null;
    }
    flush();
    if (channel != null) {
      try (FileChannel c = channel) {
        c.force(true);
      } catch (IOException e) {
        fail(e);
      }
      channel = null;
    }
    unsynced.forEach(DirSync::now);
    unsynced.clear();
    return failed ? null : relative;
  }

  private void flush() {
    if (buffer.length() == 0 || failed) {
      buffer.setLength(0);
      return;
    }
    try {
      if (channel == null) {
        open();
      }
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(buffer.toString());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      fail(e);
    }
    buffer.setLength(0);
  }

  private void open() throws IOException {
    String unsafe = LogPaths.problem(dir.resolveSibling(realm + ".md")); // the folder is no link out of the root
    if (unsafe != null) {
      throw new LogPaths.UnsafeLogException(unsafe);
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      unsynced.add(dir.getParent());
    }
    for (int n = 0; ; n++) {
      String file = name + (n == 0 ? "" : "-" + n) + ".md";
      try {
        // CREATE_NEW (O_EXCL) never follows a link put there, nor overwrites anything
        channel = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
        relative = realm + ".events/" + file;
        break;
      } catch (FileAlreadyExistsException e) {
        if (n > 1000) {
          throw e;
        }
      }
    }
    unsynced.add(dir);
    channel.write(StandardCharsets.UTF_8.encode("# Events omitted from " + realm + ".md\n\n" + title
        + ": every event between the first 2 and the last 8, in order.\n\n"));
  }

  private void fail(IOException e) {
    if (!failed) {
      failed = true;
      log.warn("cannot write the omitted events of {} to {}: {}", realm, dir, e.toString());
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing
      }
      channel = null;
    }
  }
}

package io.daebug.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One broker per folder: an OS lock ({@link FileChannel#tryLock()}) on {@code daebug/.broker}, held for the
 * broker's life. Two brokers on one folder would each rewrite {@code daebug.md} and the logs as if alone.
 * The kernel releases the lock when the process ends however it ends, so a broker killed with SIGKILL
 * leaves a file with its old content but no lock, and the next broker takes it at once.
 *
 * <p>The file holds one JSON object naming the running broker (no token: the file is readable by anyone who
 * can read the folder, and it is never served over HTTP since {@code daebug/} is not):
 * {@code {"url":"http://127.0.0.1:8680/","pid":4242,"root":"/home/me/app","started":"2026-12-07T09:01:02Z"}}.
 * Tools that look for the folder's broker read it; it is emptied when the broker stops. The file is never
 * deleted: a second broker that opened it just before a delete would lock a file nobody else can find.
 */
final class BrokerLock implements AutoCloseable {
  static final String FILE = ".broker";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final FileChannel channel;
  private final FileLock lock;

  private BrokerLock(Path root, FileChannel channel, FileLock lock) {
    this.root = root;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the folder's lock.
   *
   * @throws IOException when another broker holds it (the message names its URL and process id) or the
   *     file cannot be created
   */
  static BrokerLock acquire(Path root) throws IOException {
    Path dir = root.resolve("daebug");
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
    }
    // Never through a symbolic link (a hostile folder's daebug/ may point anywhere): the lock then lives in the
    // root itself, as the dotfile .daebug-broker (never served).
    boolean realDir = Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    Path file = realDir ? dir.resolve(FILE) : root.resolve(".daebug-broker");
    FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // a broker in this JVM holds it
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = describe(read(file));
      channel.close();
      throw new IOException("another Daebug broker already serves " + root + holder
          + ". One folder has one broker: use that one, stop it first (Ctrl+C, or a line %%SHUTDOWN%% in "
          + root.resolve("daebug.md") + "), or serve another folder with --root");
    }
    return new BrokerLock(root, channel, lock);
  }

  /** Records the running broker's URL (without its token), process id and start time (read from {@code clock}). */
  void publish(String url, java.time.Clock clock) throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("url", url);
    info.put("pid", ProcessHandle.current().pid());
    info.put("root", root.toString());
    info.put("started", clock.instant().toString());
    rewrite(JSON.writeValueAsString(info) + "\n");
  }

  /** What {@code daebug/.broker} says, or null when it is empty or not JSON. */
  static JsonNode read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return bytes.length == 0 ? null : JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static String describe(JsonNode info) {
    if (info == null || !info.hasNonNull("url")) {
      return " (it is starting or stopping)";
    }
    return " at " + info.get("url").asText() + (info.hasNonNull("pid") ? " (pid " + info.get("pid").asText() + ")" : "");
  }

  private void rewrite(String text) throws IOException {
    channel.truncate(0);
    ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    long at = 0;
    while (buf.hasRemaining()) {
      at += channel.write(buf, at);
    }
    channel.force(false);
  }

  /** Empties the file and releases the lock. */
  @Override
  public void close() {
    try {
      if (channel.isOpen()) {
        channel.truncate(0);
        lock.release();
      }
    } catch (IOException e) {
      // the lock goes with the channel below
    } finally {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }
}

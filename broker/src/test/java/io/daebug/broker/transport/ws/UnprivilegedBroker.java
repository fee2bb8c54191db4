package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.TestAwait.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.Main;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real broker in a child JVM running as an unprivileged user (uid and gid {@value #NOBODY}) through
 * {@code setpriv}, for tests of file permissions when the tests run as root: root's {@code CAP_DAC_OVERRIDE}
 * reads and writes a mode-000 file, so an in-process broker could never see a permission problem. The child
 * gets a copy of this JVM's class path (which may live where that user cannot read, such as root's Maven
 * repository) and a project folder it owns; the test reads and appends to the project's files as root.
 */
final class UnprivilegedBroker implements AutoCloseable {
  /** The user and group the child runs as: {@code nobody} on Debian. */
  static final int NOBODY = 65534;
  /** How long a child JVM may take to serve: generous, for a machine busy with other builds. */
  static final java.time.Duration START = java.time.Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String unavailable;
  private static boolean checked;

  private final Process process;
  private final Path root;
  private final Path output;
  private final URI uri;

  private UnprivilegedBroker(Process process, Path root, Path output, URI uri) {
    this.process = process;
    this.root = root;
    this.output = output;
    this.uri = uri;
  }

  /** Whether this JVM runs as root, where only a child under another user sees file permissions. */
  static boolean asRoot() {
    return uid() == 0;
  }

  /**
   * Why a test of permissions cannot run here, or null when it can: as a user other than root in-process, as
   * root through {@link #start}, which needs {@code setpriv} and the right to change user.
   */
  static synchronized String unavailable() {
    if (!checked) {
      checked = true;
      if (asRoot()) {
        try {
          Process p = new ProcessBuilder(setpriv("true")).redirectErrorStream(true).start();
          String out = new String(p.getInputStream().readAllBytes());
          if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            unavailable = "runs as root, which ignores file permissions, and cannot run the broker as uid " + NOBODY
                + " with setpriv (" + out.strip() + ")";
          }
        } catch (IOException e) {
          unavailable = "runs as root, which ignores file permissions, and has no setpriv (util-linux) to run the"
              + " broker as uid " + NOBODY + ": " + e.getMessage();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          unavailable = "interrupted";
        }
      }
    }
    return unavailable;
  }

  /**
   * Starts the broker as uid {@value #NOBODY} on a new project folder under {@code work} and waits until it
   * serves (its {@code daebug/.broker} names its URL).
   *
   * @param work a folder for the class path copy, the project and the child's output
   */
  static UnprivilegedBroker start(Path work) throws IOException {
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Path p = work.getParent(); p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException(p + " is closed to other users, so uid " + NOBODY + " cannot reach " + work);
      }
    }
    String classPath = copyClassPath(Files.createDirectories(work.resolve("lib")));
    Path root = Files.createDirectories(work.resolve("project"));
    Files.setAttribute(root, "unix:uid", NOBODY);
    Files.setAttribute(root, "unix:gid", NOBODY);
    Path output = work.resolve("broker-output.txt");
    List<String> command = setpriv(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", classPath, Main.class.getName(),
        "--root", root.toString(), "--port", "0", "--grace", "30s");
    Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    Path lock = root.resolve("daebug").resolve(".broker");
    try {
      await(START).until(() -> !process.isAlive() || url(lock) != null);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new IOException("the broker did not start as uid " + NOBODY + ": " + Files.readString(output), e);
    }
    if (!process.isAlive()) {
      throw new IOException("the broker exited " + process.exitValue() + " as uid " + NOBODY + ": "
          + Files.readString(output));
    }
    return new UnprivilegedBroker(process, root, output, URI.create(url(lock)));
  }

  private static List<String> setpriv(String... command) {
    List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
    all.addAll(List.of(command));
    return all;
  }

  /** This JVM's class path copied into {@code lib} (readable by all), as a class path of the copies. */
  private static String copyClassPath(Path lib) throws IOException {
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(entry);
      if (entry.isEmpty() || !Files.exists(from)) {
        continue;
      }
      Path to = lib.resolve(i++ + "-" + from.getFileName());
      if (Files.isDirectory(from)) {
        try (Stream<Path> files = Files.walk(from)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Path target = to.resolve(from.relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(target);
            } else {
              Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } else {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
      entries.add(to.toString());
    }
    try (Stream<Path> all = Files.walk(lib)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String url(Path lock) {
    try {
      JsonNode info = JSON.readTree(Files.readString(lock));
      return info.hasNonNull("url") ? info.get("url").asText() : null;
    } catch (IOException e) {
      return null; // not there yet, or half written
    }
  }

  private static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tell this process's uid", e);
    }
  }

  /** The project folder the broker serves (owned by uid {@value #NOBODY}). */
  Path root() {
    return root;
  }

  URI realmUri() {
    return URI.create("ws://127.0.0.1:" + uri.getPort() + WsServer.REALM_PATH);
  }

  /** What the child printed (for failure messages). */
  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

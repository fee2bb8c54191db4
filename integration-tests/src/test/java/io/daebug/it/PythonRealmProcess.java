package io.daebug.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Python realm as users start it: {@code python3 -m daebug --broker URL --name NAME} (standalone), or a program of
 * theirs that calls {@code daebug.attach(...)}, run in the broker's root folder with Debian's Python
 * ({@value #PYTHON}, which has {@code python3-websockets}) and {@code PYTHONPATH} set to this checkout's
 * {@code client-python}.
 */
final class PythonRealmProcess extends RealmProcess {
  /** Debian's Python: the one {@code python3-websockets} installs into (a {@code python3} on the PATH may not have it). */
  static final String PYTHON = "/usr/bin/python3";

  private PythonRealmProcess(Process process) {
    super(process, "python-realm");
  }

  /** {@code client-python} of this checkout, found from the module folder like the broker jar. */
  static Path clientPython() {
    Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("../client-python").normalize();
    if (!Files.isRegularFile(dir.resolve("daebug/__init__.py"))) {
      throw new IllegalStateException(dir + " holds no daebug package");
    }
    return dir;
  }

  /** The standalone realm {@code name} connecting to {@code broker}, with extra arguments ({@code --token T}). */
  static PythonRealmProcess start(URI broker, String name, Path folder, String... args) throws IOException {
    return start(List.of(), broker, name, folder, args);
  }

  /** As {@link #start(URI, String, Path, String...)} behind a command {@code prefix} such as {@code ip netns exec NS}. */
  static PythonRealmProcess start(List<String> prefix, URI broker, String name, Path folder, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(PYTHON, "-m", "daebug", "--broker", broker.toString(), "--name", name));
    command.addAll(List.of(args));
    return run(command, folder);
  }

  /** {@code python3 SCRIPT ARGS...}: a program of the user's that attaches a realm to itself. */
  static PythonRealmProcess program(Path script, Path folder, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(args));
    return run(command, folder);
  }

  private static PythonRealmProcess run(List<String> command, Path folder) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
    builder.environment().put("PYTHONPATH", clientPython().toString());
    builder.environment().put("PYTHONUNBUFFERED", "1");
    return new PythonRealmProcess(builder.start());
  }
}

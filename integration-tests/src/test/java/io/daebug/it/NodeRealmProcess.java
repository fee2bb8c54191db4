package io.daebug.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Node process made a realm as users do it: {@code node client-js/bin/daebug-realm.mjs --broker URL --name NAME},
 * run in the broker's root folder. Needs {@code node} on the PATH and client-js's {@code node_modules}, which the
 * client-js build installs ({@code npm ci}) before the tests.
 */
final class NodeRealmProcess extends RealmProcess {
  private NodeRealmProcess(Process process) {
    super(process, "node-realm");
  }

  /** {@code client-js/bin/daebug-realm.mjs} of this checkout, found from the module folder like the broker jar. */
  static Path script() {
    Path clientJs = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("../client-js").normalize();
    Path script = clientJs.resolve("bin/daebug-realm.mjs");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException(script + " is missing");
    }
    if (!Files.isRegularFile(clientJs.resolve("node_modules/ws/package.json"))) {
      throw new IllegalStateException("the ws package is missing from " + clientJs.resolve("node_modules")
          + ": run the client-js build (mvn -pl client-js test) or npm ci in client-js");
    }
    return script;
  }

  /** Starts the realm {@code name} connecting to {@code broker}, with {@code folder} as its working folder. */
  static NodeRealmProcess start(URI broker, String name, Path folder) throws IOException {
    return start(List.of(), broker, name, folder, Map.of());
  }

  /**
   * Starts the realm behind a command {@code prefix} such as {@code ip netns exec NS} (which execs, so the
   * process is Node itself), with extra environment variables and command-line arguments ({@code --token T}).
   */
  static NodeRealmProcess start(List<String> prefix, URI broker, String name, Path folder, Map<String, String> env,
      String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("node", script().toString(), "--broker", broker.toString(), "--name", name));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new NodeRealmProcess(builder.start());
  }
}

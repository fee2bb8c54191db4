package io.daebug.debug;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to reach the adapter and what to ask of it: the adapter's command line (or the address of one already
 * listening), and the {@code launch} or {@code attach} request with its arguments, built from the command's
 * options or taken from a {@code launch.json} entry (options given on the command line win).
 *
 * @param adapter the adapter's command line; empty with {@code attachAdapter}
 * @param tcp whether the adapter listens on TCP and prints its address
 * @param attachAdapter {@code HOST:PORT} of an adapter already listening, or null
 * @param request {@code launch} or {@code attach}
 * @param arguments the request's arguments
 * @param language the program's language ({@code go}, {@code c}, {@code cpp}, {@code rust}, {@code python})
 * @param cwd the folder relative source paths are found in
 * @param url the realm's url in the registry
 */
record LaunchSpec(List<String> adapter, boolean tcp, String attachAdapter, String request,
    Map<String, Object> arguments, String language, Path cwd, String url) {

  private static final ObjectMapper JSONC = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();

  /** The options of {@code daebug.jar debug} that shape the request. */
  record Options(String language, String program, List<String> args, Path cwd, Long pid, String config,
      Boolean stopOnEntry, String attachAdapter, List<String> adapter, Boolean tcp) {}

  static LaunchSpec of(Options o) throws IOException {
    Map<String, Object> args = new LinkedHashMap<>();
    String request = o.pid() != null ? "attach" : "launch";
    Path cwd = o.cwd() != null ? o.cwd().toAbsolutePath().normalize() : Path.of("").toAbsolutePath();
    if (o.config() != null) {
      Map<String, Object> fromFile = configuration(o.config(), cwd);
      args.putAll(fromFile);
      if (fromFile.get("request") instanceof String r) {
        request = r;
      }
      if (o.cwd() == null && fromFile.get("cwd") instanceof String c) {
        cwd = Path.of(c).toAbsolutePath().normalize();
      }
    }
    List<String> adapter = o.adapter() == null ? List.of() : o.adapter();
    String flavour = flavour(adapter);
    String language = o.language() != null ? o.language().toLowerCase(Locale.ROOT)
        : guessLanguage(flavour, o.program() != null ? o.program() : (String) args.get("program"));
    args.putIfAbsent("name", "daebug");
    args.putIfAbsent("type", flavour.equals("dlv") ? "go" : flavour.equals("debugpy") ? "python" : "lldb");
    args.put("request", request);
    if (o.program() != null) {
      args.put("program", Path.of(o.program()).isAbsolute() ? o.program() : cwd.resolve(o.program()).toString());
    }
    if (o.args() != null && !o.args().isEmpty()) {
      args.put("args", o.args());
    }
    if (o.cwd() != null || !args.containsKey("cwd")) {
      args.put("cwd", cwd.toString());
    }
    if (request.equals("attach")) {
      if (o.pid() != null) {
        args.put("processId", o.pid());
        args.put("pid", o.pid());
      }
      if (flavour.equals("dlv")) {
        args.putIfAbsent("mode", "local");
      }
    } else {
      if (!args.containsKey("program") && !flavour.equals("unknown")) {
        throw new IOException("nothing to launch: give --program, --pid, or --config with a launch.json entry");
      }
      args.put("stopOnEntry", o.stopOnEntry() == null ? args.getOrDefault("stopOnEntry", true) : o.stopOnEntry());
      if (flavour.equals("dlv") && !args.containsKey("mode")) {
        String program = String.valueOf(args.get("program"));
        args.put("mode", program.endsWith(".go") || Files.isDirectory(Path.of(program)) ? "debug" : "exec");
      }
      if (flavour.equals("debugpy")) {
        args.putIfAbsent("console", "internalConsole");
        args.putIfAbsent("justMyCode", false);
      }
    }
    // dlv dap speaks only TCP (it listens on 127.0.0.1 at a free port without --listen)
    boolean tcp = o.tcp() != null ? o.tcp() : Adapter.speaksTcp(adapter) || flavour.equals("dlv");
    if (o.attachAdapter() == null && adapter.isEmpty()) {
      throw new IOException("no debug adapter: give its command line after --, e.g. `-- dlv dap --listen=127.0.0.1:0`,"
          + " or --attach-adapter HOST:PORT");
    }
    String what = args.get("program") != null ? Path.of(String.valueOf(args.get("program"))).getFileName().toString()
        : "pid-" + o.pid();
    String url = "debug://" + ProcessHandle.current().pid() + "@" + host() + "/" + what;
    return new LaunchSpec(adapter, tcp, o.attachAdapter(), request, args, language, cwd, url);
  }

  /** {@code dlv}, {@code lldb}, {@code debugpy} or {@code unknown}, from the adapter's command line. */
  static String flavour(List<String> adapter) {
    String line = String.join(" ", adapter).toLowerCase(Locale.ROOT);
    if (line.contains("dlv")) {
      return "dlv";
    }
    if (line.contains("debugpy")) {
      return "debugpy";
    }
    return line.contains("lldb") || line.contains("codelldb") ? "lldb" : "unknown";
  }

  private static String guessLanguage(String flavour, String program) {
    if (flavour.equals("dlv")) {
      return "go";
    }
    if (flavour.equals("debugpy") || (program != null && program.endsWith(".py"))) {
      return "python";
    }
    return "c";
  }

  /** A {@code launch.json} entry: {@code FILE#NAME}, or the file's first configuration. */
  static Map<String, Object> configuration(String spec, Path cwd) throws IOException {
    int hash = spec.lastIndexOf('#');
    Path file = Path.of(hash < 0 ? spec : spec.substring(0, hash));
    String name = hash < 0 ? null : spec.substring(hash + 1);
    JsonNode root;
    try {
      root = JSONC.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IOException("cannot read the configuration " + file + ": " + e.getMessage(), e);
    }
    JsonNode configs = root.path("configurations");
    if (!configs.isArray() || configs.isEmpty()) {
      throw new IOException(file + " has no configurations[] entries");
    }
    for (JsonNode c : configs) {
      if (name == null || name.equals(c.path("name").asText())) {
        String text = c.toString().replace("${workspaceFolder}", json(cwd.toString()))
            .replace("${cwd}", json(cwd.toString()));
        @SuppressWarnings("unchecked")
        Map<String, Object> out = JSONC.readValue(text, LinkedHashMap.class);
        return out;
      }
    }
    throw new IOException(file + " has no configuration named '" + name + "'");
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String host() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h.strip();
    }
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      return "localhost";
    }
  }
}

package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The registry {@code daebug.md}, read as an agent reads it to find a realm's log. */
final class Registry {
  private final Path root;

  Registry(Path root) {
    this.root = root;
  }

  Path file() {
    return root.resolve("daebug.md");
  }

  String read() {
    return LogFile.read(file());
  }

  /** The registry line of the realm living at {@code url} in state {@code state}, or null. */
  static Matcher line(String registry, String url, String state) {
    Matcher m = Pattern.compile("^\\* \\[([a-z0-9-]+)\\]\\(daebug/\\1\\.md\\) \\(" + Pattern.quote(url)
        + "\\) at (\\d\\d:\\d\\d:\\d\\d): " + Pattern.quote(state) + "$", Pattern.MULTILINE).matcher(registry);
    return m.find() ? m : null;
  }

  /** Waits for the page at {@code url} to be listed {@code live}; returns its log. */
  LogFile awaitLive(String url) {
    String[] name = new String[1];
    await().untilAsserted(() -> {
      Matcher m = line(read(), url, "live");
      assertThat(m).as("a live line for %s in %s:%n%s", url, file(), read()).isNotNull();
      name[0] = m.group(1);
    });
    LogFile log = new LogFile(name[0], root.resolve("daebug").resolve(name[0] + ".md"));
    await().untilAsserted(() -> assertThat(LogFile.endsWithFooter(log.read())).as("log of %s ends with the footer:%n%s",
        name[0], log.read()).isTrue());
    return log;
  }

  /**
   * Waits for the Node realm {@code name} of {@code node} to be listed in {@code state} with its
   * {@code node://pid@host} URL; returns its log once the log ends with the footer.
   *
   * @param brokerOutput what the broker printed, for the failure message
   */
  LogFile awaitNode(String name, RealmProcess node, String state, Supplier<String> brokerOutput) {
    Pattern line = Pattern.compile("^\\* \\[" + Pattern.quote(name) + "\\]\\(daebug/" + Pattern.quote(name)
        + "\\.md\\) \\(node://" + node.pid() + "@[^)\\s]+\\) at \\d\\d:\\d\\d:\\d\\d: " + Pattern.quote(state) + "$",
        Pattern.MULTILINE);
    await().untilAsserted(() -> assertThat(line.matcher(read()).find())
        .as("a %s line for %s in daebug.md:%n%s%nnode output:%n%s%nbroker output:%n%s", state, name, read(),
            node.output(), brokerOutput.get())
        .isTrue());
    LogFile log = new LogFile(name, root.resolve("daebug").resolve(name + ".md"));
    await().untilAsserted(() -> assertThat(log.read()).as("log of %s", name).endsWith(LogFile.REALM_FOOTER));
    return log;
  }

  /**
   * Waits for the Python realm {@code name} of {@code python} to be listed in {@code state} with its
   * {@code python://host/pid argv0} URL; returns its log once the log ends with the Python footer.
   */
  LogFile awaitPython(String name, RealmProcess python, String state, Supplier<String> brokerOutput) {
    Pattern line = Pattern.compile("^\\* \\[" + Pattern.quote(name) + "\\]\\(daebug/" + Pattern.quote(name)
        + "\\.md\\) \\(python://[^/\\s]+/" + python.pid() + " [^)]+\\) at \\d\\d:\\d\\d:\\d\\d: "
        + Pattern.quote(state) + "$", Pattern.MULTILINE);
    await().untilAsserted(() -> assertThat(line.matcher(read()).find())
        .as("a %s line for %s in daebug.md:%n%s%npython output:%n%s%nbroker output:%n%s", state, name, read(),
            python.output(), brokerOutput.get())
        .isTrue());
    LogFile log = new LogFile(name, root.resolve("daebug").resolve(name + ".md"), LogFile.PYTHON_FOOTER);
    await().untilAsserted(() -> assertThat(log.read()).as("log of %s", name).endsWith(LogFile.PYTHON_FOOTER));
    return log;
  }

  /** Whether a realm named {@code name} is listed, in any state. */
  boolean lists(String name) {
    return read().contains("* [" + name + "](daebug/" + name + ".md)");
  }
}

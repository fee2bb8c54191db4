package io.daebug.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The HTML pages the tests serve: plain documents, the broker injects the client. */
final class Pages {
  static final String TITLE = "Daebug demo";

  private Pages() {}

  /**
   * Copies the test resources folder {@code site/} (pages, workers, the sample test suite) into
   * {@code root}, keeping its layout.
   */
  static void copySite(Path root) throws IOException {
    Path site;
    try {
      site = Path.of(Pages.class.getResource("/site").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    try (java.util.stream.Stream<Path> files = Files.walk(site)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = root.resolve(site.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Writes {@code root/file}: a page titled {@value #TITLE} holding {@code <div id="app" class="x">}. */
  static void write(Path root, String file) throws IOException {
    write(root, file, "");
  }

  /** As {@link #write(Path, String)}, with {@code script} run by an inline script at the end of the body. */
  static void write(Path root, String file, String script) throws IOException {
    Files.writeString(root.resolve(file), """
        <!doctype html>
        <html>
        <head><meta charset="utf-8"><title>Daebug demo</title></head>
        <body><div id="app" class="x">hello</div>%s</body>
        </html>
        """.formatted(script.isEmpty() ? "" : "<script>" + script + "</script>"));
  }
}

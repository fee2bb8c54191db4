package io.daebug.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The HTML pages the tests serve: plain documents, the broker injects the client. */
final class Pages {
  static final String TITLE = "Daebug demo";

  private Pages() {}

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

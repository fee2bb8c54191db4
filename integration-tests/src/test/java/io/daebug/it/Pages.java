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
    Files.writeString(root.resolve(file), """
        <!doctype html>
        <html>
        <head><meta charset="utf-8"><title>Daebug demo</title></head>
        <body><div id="app" class="x">hello</div></body>
        </html>
        """);
  }
}

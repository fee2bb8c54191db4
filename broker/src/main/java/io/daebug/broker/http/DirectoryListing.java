package io.daebug.broker.http;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a minimal HTML index of a folder. Dotfiles, dot-folders and (at the root) the journal
 * folder are left out, matching what {@link DaebugHttpHandler} refuses to serve. Unlike the project's
 * pages, a generated index does not carry the client script: an index is not something to debug, and
 * every folder opened in a browser would otherwise become a realm.
 */
final class DirectoryListing {

  private DirectoryListing() {}

  /**
   * @param dir the folder, already checked to be inside the served root
   * @param requestPath the decoded request path of the folder
   * @param atRoot whether {@code dir} is the served root
   */
  static String render(Path dir, RequestPath requestPath, boolean atRoot) throws IOException {
    List<String> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || (atRoot && RequestPath.isJournalFolder(name))) {
          continue;
        }
        entries.add(Files.isDirectory(p) ? name + "/" : name);
      }
    }
    entries.sort(String.CASE_INSENSITIVE_ORDER);

    String title = escape("Index of /" + String.join("/", requestPath.segments())
        + (requestPath.segments().isEmpty() ? "" : "/"));
    StringBuilder html = new StringBuilder(256 + entries.size() * 64);
    html.append("<!DOCTYPE html>\n<html><head>")
        .append("<meta charset=\"utf-8\"><title>").append(title).append("</title></head>\n")
        .append("<body><h1>").append(title).append("</h1>\n<ul>\n");
    if (!atRoot) {
      html.append("<li><a href=\"../\">../</a></li>\n");
    }
    for (String entry : entries) {
      boolean isDir = entry.endsWith("/");
      String name = isDir ? entry.substring(0, entry.length() - 1) : entry;
      String href = RequestPath.encodeSegment(name) + (isDir ? "/" : "");
      html.append("<li><a href=\"").append(href).append("\">").append(escape(entry))
          .append("</a></li>\n");
    }
    html.append("</ul></body></html>\n");
    return html.toString();
  }

  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}

package io.daebug.broker.http;

import java.nio.charset.StandardCharsets;

/**
 * Inserts the client script tag into an HTML page, changing nothing else.
 *
 * <p>The page is handled as ISO-8859-1 text, which maps every byte to one char and back, so a
 * page in any ASCII-compatible encoding (UTF-8, windows-1252, Shift_JIS...) keeps its exact
 * bytes. UTF-16 pages (with a byte order mark) are returned unchanged: an ASCII tag would corrupt
 * them.
 *
 * <p>Where the tag goes: right after the {@code >} of the first {@code <head>} tag (any case,
 * with or without attributes, not {@code <header>}); without one, after the first {@code <html>}
 * tag; without either, after a leading {@code <!DOCTYPE>}; otherwise at the very beginning (after
 * a UTF-8 byte order mark). While searching, comments ({@code <!-- -->}) are skipped, and the
 * search for {@code <head>} stops at {@code <body>}, so text in comments or in the body never
 * attracts the tag. Quoted attribute values may contain {@code >}.
 *
 * <p>The tag is preceded by an import map that maps {@code node:test}, {@code node:assert} and
 * {@code node:assert/strict} to the client's in-page versions (client-js/README.md, "Tests in the
 * page"). It must come before {@code page.js}, whose {@code import()} starts module loading. A page
 * that has an inline import map of its own gets no second map (browsers without multiple import maps
 * would drop the page's): the three entries are inserted at the start of its {@code "imports"}
 * object instead, where the page's own entries for the same keys, coming later, win.
 */
final class HtmlInjector {

  /** The entries of the client's import map, without braces. */
  static final String IMPORTS = "\"node:test\":\"/-daebug/test.js\","
      + "\"node:assert\":\"/-daebug/assert.js\","
      + "\"node:assert/strict\":\"/-daebug/assert-strict.js\"";
  /** The client script alone, for pages that have an import map of their own. */
  static final String PAGE_SCRIPT = "<script src=\"/-daebug/page.js\"></script>";
  /** What a page without an import map gets. */
  static final String SCRIPT_TAG = "<script type=\"importmap\">{\"imports\":{" + IMPORTS + "}}</script>"
      + PAGE_SCRIPT;
  private static final java.util.regex.Pattern IMPORT_MAP = java.util.regex.Pattern.compile(
      "<script\\b[^>]*\\btype\\s*=\\s*[\"']?importmap[\"']?[^>]*>",
      java.util.regex.Pattern.CASE_INSENSITIVE);
  private static final java.util.regex.Pattern IMPORTS_KEY = java.util.regex.Pattern.compile(
      "\"imports\"\\s*:\\s*\\{");

  private HtmlInjector() {}

  static byte[] inject(byte[] page) {
    if (page.length >= 2
        && ((page[0] == (byte) 0xFE && page[1] == (byte) 0xFF)
            || (page[0] == (byte) 0xFF && page[1] == (byte) 0xFE))) {
      return page;
    }
    String s = new String(page, StandardCharsets.ISO_8859_1);
    String merged = mergeImportMap(s);
    String tag = merged == null ? SCRIPT_TAG : PAGE_SCRIPT;
    if (merged != null) {
      s = merged;
    }
    int at = insertionPoint(s);
    String out = s.substring(0, at) + tag + s.substring(at);
    return out.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The page with the client's entries added to its first inline import map, or null when it has
   * none. A map without an {@code "imports"} key gets one; a map whose JSON does not start with
   * {@code {} is left alone (the page is returned unchanged, still without a second map).
   */
  static String mergeImportMap(String s) {
    java.util.regex.Matcher open = IMPORT_MAP.matcher(s);
    if (!open.find() || open.group().toLowerCase(java.util.Locale.ROOT).contains(" src")) {
      return null;
    }
    int bodyStart = open.end();
    int close = s.toLowerCase(java.util.Locale.ROOT).indexOf("</script", bodyStart);
    if (close < 0) {
      return s;
    }
    String body = s.substring(bodyStart, close);
    java.util.regex.Matcher imports = IMPORTS_KEY.matcher(body);
    String newBody;
    if (imports.find()) {
      String rest = body.substring(imports.end());
      boolean empty = rest.stripLeading().startsWith("}");
      newBody = body.substring(0, imports.end()) + IMPORTS + (empty ? "" : ",") + rest;
    } else {
      int brace = body.indexOf('{');
      if (brace < 0 || !body.substring(0, brace).isBlank()) {
        return s;
      }
      String rest = body.substring(brace + 1);
      boolean empty = rest.stripLeading().startsWith("}");
      newBody = body.substring(0, brace + 1) + "\"imports\":{" + IMPORTS + "}" + (empty ? "" : ",") + rest;
    }
    return s.substring(0, bodyStart) + newBody + s.substring(close);
  }

  /** The char index at which the script tag is inserted. */
  static int insertionPoint(String s) {
    int afterHtml = -1;
    int i = 0;
    while ((i = s.indexOf('<', i)) >= 0) {
      if (s.startsWith("<!--", i)) {
        int end = s.indexOf("-->", i + 4);
        if (end < 0) {
          break;
        }
        i = end + 3;
        continue;
      }
      String name = tagName(s, i + 1);
      if (name.equals("head") || name.equals("html") || name.equals("body")) {
        int close = tagEnd(s, i);
        if (close < 0) {
          break; // unterminated tag: treat like no tag at all
        }
        if (name.equals("head")) {
          return close + 1;
        }
        if (name.equals("body")) {
          break;
        }
        if (afterHtml < 0) {
          afterHtml = close + 1;
        }
        i = close + 1;
      } else {
        i++;
      }
    }
    return afterHtml >= 0 ? afterHtml : afterDoctype(s);
  }

  private static int afterDoctype(String s) {
    int start = s.startsWith("\u00EF\u00BB\u00BF") ? 3 : 0; // UTF-8 BOM seen as ISO-8859-1
    int i = start;
    while (true) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (s.startsWith("<!--", i)) {
        int end = s.indexOf("-->", i + 4);
        if (end < 0) {
          return start;
        }
        i = end + 3;
      } else {
        break;
      }
    }
    if (s.regionMatches(true, i, "<!doctype", 0, 9)) {
      int close = s.indexOf('>', i);
      return close < 0 ? start : close + 1;
    }
    return start;
  }

  /** Lower-cased ASCII tag name starting at {@code from}; empty when there is none. */
  private static String tagName(String s, int from) {
    int end = from;
    while (end < s.length() && isNameChar(s.charAt(end))) {
      end++;
    }
    if (end == from || (end < s.length() && !isTagNameEnd(s.charAt(end)))) {
      return "";
    }
    return s.substring(from, end).toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean isTagNameEnd(char c) {
    return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  /** Index of the {@code >} closing the tag that starts at {@code lt}, honouring quotes. */
  private static int tagEnd(String s, int lt) {
    char quote = 0;
    for (int i = lt + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    return -1;
  }
}

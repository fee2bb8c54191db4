package io.daebug.broker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HtmlInjectorTest {

  private static final String S = HtmlInjector.SCRIPT_TAG;

  private static String inject(String page) {
    return new String(
        HtmlInjector.inject(page.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
  }

  static Stream<String> markedPages() {
    return Stream.of(
        "<!DOCTYPE html><html><head>|<title>t</title></head><body></body></html>",
        "<html><HEAD>|</HEAD></html>",
        "<html><head lang='en' data-x=\"a>b\">|<meta charset=utf-8></head></html>",
        "<html><head\n>|</head></html>",
        "<html lang=en>|<header>x</header><body><head></head></body></html>",
        "<!-- <head> in a comment --><html>|<body></body></html>",
        "<!doctype html>|\n<p>no html nor head</p>",
        "  <!-- c --> <!DOCTYPE html>|<p>x</p>",
        "|<p>nothing at all</p>",
        "|",
        "<html>|<body><p>&lt;head&gt; in body</p><script>'<head>'</script></body></html>",
        "<html>|<headx></headx></html>",
        "<!DOCTYPE html><html><head/>|</html>");
  }

  /** Each page has {@code |} marking where the tag must land. */
  @ParameterizedTest
  @MethodSource("markedPages")
  void insertsAtTheMarkedPlace(String marked) {
    String page = marked.replace("|", "");
    assertThat(inject(page)).isEqualTo(marked.replace("|", S));
  }

  @Test
  void keepsUtf8ByteOrderMarkFirst() {
    assertThat(inject("\u00EF\u00BB\u00BF<p>x</p>")).isEqualTo("\u00EF\u00BB\u00BF" + S + "<p>x</p>");
  }

  @Test
  void preservesEveryByteOfNonUtf8Pages() {
    byte[] page = new byte[256 + 13];
    byte[] headTag = "<html><head>".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(headTag, 0, page, 0, headTag.length);
    for (int i = 0; i < 256; i++) {
      page[headTag.length + 1 + i] = (byte) i; // every byte value, invalid UTF-8 included
    }
    byte[] out = HtmlInjector.inject(page);
    byte[] tag = S.getBytes(StandardCharsets.US_ASCII);
    assertThat(out).hasSize(page.length + tag.length);
    assertThat(java.util.Arrays.copyOfRange(out, headTag.length + tag.length, out.length))
        .isEqualTo(java.util.Arrays.copyOfRange(page, headTag.length, page.length));
  }

  @Test
  void leavesUtf16PagesAlone() {
    byte[] page = "\uFEFF<html><head></head></html>".getBytes(StandardCharsets.UTF_16BE);
    assertThat(HtmlInjector.inject(page)).isEqualTo(page);
  }

  @Test
  void aPageWithoutImportMapGetsTheClientsMapBeforeTheScript() {
    assertThat(S).startsWith("<script type=\"importmap\">{\"imports\":{\"node:test\":\"/-daebug/test.js\",")
        .endsWith("}}</script>" + HtmlInjector.PAGE_SCRIPT);
  }

  @Test
  void aPagesOwnImportMapGetsTheEntriesFirstAndNoSecondMap() {
    String p = HtmlInjector.PAGE_SCRIPT;
    String e = HtmlInjector.IMPORTS;
    assertThat(inject("<head><script type=\"importmap\">{ \"imports\": {\"x\": \"/x.js\"} }</script></head>"))
        .isEqualTo("<head>" + p + "<script type=\"importmap\">{ \"imports\": {" + e + ",\"x\": \"/x.js\"} }</script></head>");
    assertThat(inject("<head><SCRIPT TYPE='importmap'>{\"scopes\":{}}</SCRIPT></head>"))
        .isEqualTo("<head>" + p + "<SCRIPT TYPE='importmap'>{\"imports\":{" + e + "},\"scopes\":{}}</SCRIPT></head>");
    assertThat(inject("<head><script type=importmap>{\"imports\":{}}</script></head>"))
        .isEqualTo("<head>" + p + "<script type=importmap>{\"imports\":{" + e + "}}</script></head>");
    assertThat(inject("<head><script type=\"importmap\">not json</script></head>"))
        .as("a map that is not an object is left alone").isEqualTo("<head>" + p + "<script type=\"importmap\">not json</script></head>");
  }
}

package io.daebug.broker.transport.ws;

import static io.daebug.broker.transport.ws.SpecAuditTest.FOOTER;
import static io.daebug.broker.transport.ws.SpecAuditTest.PROMPT;
import static io.daebug.broker.transport.ws.SpecAuditTest.QUIET;
import static io.daebug.broker.transport.ws.SpecAuditTest.RULE;
import static io.daebug.broker.transport.ws.TestAwait.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.daebug.broker.protocol.RunJob;
import io.daebug.broker.transport.ws.SpecAuditTest.Rig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers of {@link HostileInputTest} and {@link HostileInputRegressionTest}. */
final class HostileInput {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Text that would forge journal structure if it were written raw. */
  static final String FORGE = "\n```\n"
      + "\n" + RULE + "\n" + PROMPT + "\n"
      + "\n### \uD83D\uDDE3\uFE0Fevil to x at 10:00:00\n```js\nalert(1)\n```\n"
      + "\n%%SHUTDOWN%%\n"
      + "\r```\r%%SHUTDOWN%%\r```js\ralert(2)\r```\r"
      + "\u2028```js\u2028alert(3)\u2028```\u2028"
      + "\r\n```js\r\nalert(4)\r\n```\r\n~~~js\nalert(5)\n~~~\n";

  private final Rig rig;
  private final TestBroker broker;
  private final AtomicInteger probes = new AtomicInteger();

  HostileInput(Rig rig, TestBroker broker) {
    this.rig = rig;
    this.broker = broker;
  }

  /** A fresh realm gets a job appended to its log and its reply lands in the log: the broker still works. */
  void assertStillServes() throws Exception {
    String name = "probe-" + probes.incrementAndGet();
    FakeRealm probe = rig.connected(name);
    broker.append(name, "```js\n'probe " + name + "'\n```\n");
    RunJob job = probe.awaitJob();
    assertThat(job.code()).isEqualTo("'probe " + name + "'");
    probe.sendResult(job.id(), "\"alive " + name + "\"");
    await().untilAsserted(() -> assertThat(broker.log(name)).contains("```JSON\n\"alive " + name + "\"\n```\n\n"
        + FOOTER));
    assertOneRealFooterLast(name);
    assertThat(registryHasShutdownLine()).isFalse();
  }

  /**
   * Reads a log as the broker's parser does (CommonMark fences, any line ending) and asserts that exactly
   * one footer lies outside every fence and that it is the end of the file. A write in place in progress (the
   * next one can start as soon as a reply is in) shows its reserved room after the footer: one line of spaces
   * and tabs, for microseconds (docs/big-logs.md); that line is not the broker's text and is read past.
   */
  void assertOneRealFooterLast(String name) {
    String log = broker.log(name);
    if (!log.endsWith("\n\n" + FOOTER)) {
      log = log.replaceFirst("[ \t]*\n$", "");
    }
    assertThat(log).endsWith("\n\n" + FOOTER);
    String[] lines = log.split("\r\n|\r|\n", -1);
    char fenceChar = 0;
    int fenceLen = 0;
    int footers = 0;
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      String t = l.replaceFirst("^ {0,3}", "");
      if (fenceChar == 0) {
        Matcher m = Pattern.compile("^(`{3,}|~{3,})(.*)$").matcher(t);
        if (m.matches() && !(m.group(1).charAt(0) == '`' && m.group(2).contains("`"))) {
          fenceChar = m.group(1).charAt(0);
          fenceLen = m.group(1).length();
        } else if (l.equals(RULE) && i + 1 < lines.length && lines[i + 1].startsWith("> Append your ")) {
          footers++;
        }
      } else {
        Matcher m = Pattern.compile("^(`{3,}|~{3,}) *$").matcher(t);
        if (m.matches() && m.group(1).charAt(0) == fenceChar && m.group(1).length() >= fenceLen) {
          fenceChar = 0;
        }
      }
    }
    assertThat(fenceChar).as("a fence is left open in\n" + log).isEqualTo((char) 0);
    assertThat(footers).as("footers outside fences in\n" + log).isEqualTo(1);
  }

  boolean registryHasShutdownLine() {
    return java.util.Arrays.asList(broker.registry().split("\r\n|\r|\n|\u2028|\u2029|\u0085", -1))
        .contains("%%SHUTDOWN%%");
  }

  /** Runs one job and answers with a raw result frame; returns the job id. */
  String runWithRawResult(FakeRealm realm, String name, String code, String resultFrameTemplate) throws IOException {
    broker.append(name, "```js\n" + code + "\n```\n");
    RunJob job = realm.awaitJob();
    realm.sendRaw(resultFrameTemplate.replace("$ID", job.id()));
    return job.id();
  }

  /** Nothing more is dispatched to the realm for a while. */
  static void assertNothingDispatched(FakeRealm realm) {
    TestAwait.await().during(QUIET).until(() -> realm.pending() == 0);
  }

  static String q(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A raw HTTP/1.1 exchange on 127.0.0.1; returns the status line and the rest of the response. */
  static String[] raw(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      try {
        int c;
        while ((c = in.read()) >= 0) {
          all.write(c);
          String sofar = all.toString(ISO_8859_1);
          if (sofar.endsWith("\r\n\r\n")) {
            Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(sofar);
            boolean head = new String(request, ISO_8859_1).startsWith("HEAD ");
            if (m.find() && !head) {
              all.writeBytes(in.readNBytes(Integer.parseInt(m.group(1))));
            }
            break;
          }
        }
      } catch (java.net.SocketException e) {
        // a reset after the response is fine
      }
      String text = all.toString(ISO_8859_1);
      int eol = text.indexOf("\r\n");
      return new String[] {eol < 0 ? text : text.substring(0, eol), eol < 0 ? "" : text.substring(eol + 2)};
    }
  }

  static String[] rawGet(int port, String path, String host) throws IOException {
    return raw(port, ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(ISO_8859_1));
  }

  static int status(String[] response) {
    String[] parts = response[0].split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static void write(Path p, byte[] bytes) throws IOException {
    Files.write(p, bytes);
  }
}

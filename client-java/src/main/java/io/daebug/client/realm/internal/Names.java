package io.daebug.client.realm.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Realm names and identity: the sanitisation of FORMAT.md §1 (the same rule the broker applies, so
 * the log file name is predictable), the default name of a JVM and its {@code hello} url. Public
 * only because {@code RealmOptions} in the API package uses it; not an API.
 */
public final class Names {
  /** The longest realm name the broker keeps. */
  public static final int MAX = 64;

  /** The name used when nothing better can be derived. */
  public static final String FALLBACK = "jvm";

  private Names() {}

  /**
   * Lowercases, turns every run of characters outside {@code [a-z0-9-]} into one {@code -}, trims
   * leading and trailing {@code -}, cuts to 64 characters; "" when nothing is left.
   *
   * @param proposed a name, maybe null
   * @return the sanitised name, never null
   */
  public static String sanitise(String proposed) {
    if (proposed == null) {
      return "";
    }
    String lower = proposed.toLowerCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(MAX + 1);
    boolean run = false;
    for (int i = 0; i < lower.length() && sb.length() <= MAX; i++) {
      char c = lower.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (sb.length() == 0 && !(ok && c != '-')) {
        continue;
      }
      if (ok) {
        sb.append(c);
        run = false;
      } else if (!run) {
        sb.append('-');
        run = true;
      }
    }
    String s = sb.length() > MAX ? sb.substring(0, MAX) : sb.toString();
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '-') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '-') {
      b--;
    }
    return s.substring(a, b);
  }

  /**
   * The default realm name: the simple name of the main class (or the jar's file name without
   * {@code .jar}) from the {@code sun.java.command} property, sanitised; {@value #FALLBACK} when
   * that is unavailable or sanitises to nothing.
   *
   * @return a sanitised, non-empty name
   */
  public static String defaultName() {
    String main = mainClass();
    String simple = main;
    if (simple.endsWith(".jar")) {
      simple = simple.substring(Math.max(simple.lastIndexOf('/'), simple.lastIndexOf('\\')) + 1);
      simple = simple.substring(0, simple.length() - ".jar".length());
    } else {
      simple = simple.substring(simple.lastIndexOf('/') + 1);
      simple = simple.substring(simple.lastIndexOf('.') + 1);
    }
    String name = sanitise(simple);
    return name.isEmpty() ? FALLBACK : name;
  }

  /** The main class (or jar, or {@code module/class}) the JVM was started with, or {@code unknown}. */
  static String mainClass() {
    String command = System.getProperty("sun.java.command", "").strip();
    int space = command.indexOf(' ');
    String main = space < 0 ? command : command.substring(0, space);
    return main.isEmpty() ? "unknown" : main;
  }

  /**
   * {@code jvm://<pid>@<host>/<main class>} ({@code <file>.jar} for a jar launch); may take a moment when
   * the host name needs DNS.
   */
  static String realmUrl() {
    String host = hostName();
    String main = mainClass();
    if (main.endsWith(".jar")) {
      main = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
    }
    return "jvm://" + ProcessHandle.current().pid() + "@" + host + "/" + main;
  }

  /**
   * The host's name without a DNS lookup where possible ({@code HOSTNAME}, {@code COMPUTERNAME}, Linux's
   * {@code /proc/sys/kernel/hostname}); {@code InetAddress.getLocalHost()} only as the last resort.
   */
  static String hostName() {
    for (String env : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String v = System.getenv(env);
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    try {
      String v = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!v.isEmpty()) {
        return v;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException | RuntimeException e) {
      return "localhost";
    }
  }

  /** A random id for {@code hello}'s {@code tab}: 10 lowercase letters and digits. */
  static String newTabId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(10);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 10; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}

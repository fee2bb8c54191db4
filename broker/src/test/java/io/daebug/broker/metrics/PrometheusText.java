package io.daebug.broker.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4 (the format's own rules: line by line,
 * {@code # HELP} and {@code # TYPE} at most once per family and before its samples, a family's samples together,
 * label values quoted with only {@code \\}, {@code \"} and {@code \n} escapes, values as Go floats, no series twice,
 * histograms with cumulative buckets ending in {@code le="+Inf"} equal to {@code _count}). Throws
 * {@link IllegalArgumentException} naming the line for anything else. For tests.
 */
public final class PrometheusText {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern VALUE = Pattern.compile("[+-]?(Inf|NaN|\\d+(\\.\\d*)?([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new HashMap<>();

  private PrometheusText() {}

  /** Parses and checks a whole exposition. */
  public static PrometheusText parse(String text) {
    PrometheusText out = new PrometheusText();
    out.read(text);
    return out;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The declared type of a family, or null. */
  public String type(String family) {
    return types.get(family);
  }

  /** The one sample of that name whose labels include {@code labels} (key, value, key, value...). */
  public double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + " " + String.join(",", labels) + ": " + found);
    }
    return found.get(0).value();
  }

  /** Every sample of that name whose labels include {@code labels}. */
  public List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    outer:
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      for (int i = 0; i < labels.length; i += 2) {
        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
          continue outer;
        }
      }
      out.add(s);
    }
    return out;
  }

  private void read(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a line feed");
    }
    Set<String> help = new HashSet<>();
    Set<String> closed = new HashSet<>();
    Set<String> series = new HashSet<>();
    String current = null;
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (line.startsWith("#")) {
          String[] parts = line.split(" ", 4);
          if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            String family = parts[2];
            check(NAME, family, "metric name");
            if (parts[1].equals("HELP")) {
              if (!help.add(family)) {
                throw new IllegalArgumentException("second HELP for " + family);
              }
              unescapeHelp(parts.length > 3 ? parts[3] : "");
            } else {
              if (parts.length != 4 || !TYPES.contains(parts[3])) {
                throw new IllegalArgumentException("bad TYPE line");
              }
              if (types.containsKey(family)) {
                throw new IllegalArgumentException("second TYPE for " + family);
              }
              if (closed.contains(family) || family.equals(current)) {
                throw new IllegalArgumentException("TYPE for " + family + " after its samples");
              }
              types.put(family, parts[3]);
            }
          }
          continue; // any other comment
        }
        Sample s = sample(line);
        String family = familyOf(s.name());
        if (!family.equals(current)) {
          if (closed.contains(family)) {
            throw new IllegalArgumentException("samples of " + family + " are not together");
          }
          if (current != null) {
            closed.add(current);
          }
          current = family;
        }
        String key = s.name() + new TreeMap<>(s.labels());
        if (!series.add(key)) {
          throw new IllegalArgumentException("series " + key + " twice");
        }
        samples.add(s);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw new IllegalArgumentException("line " + n + " '" + line + "': " + e.getMessage(), e);
      }
    }
    checkHistograms();
  }

  /** The family a sample belongs to: its own name, or its histogram's or summary's. */
  private String familyOf(String name) {
    for (String suffix : new String[] {"_bucket", "_count", "_sum", "_created"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String t = types.get(base);
        if ("histogram".equals(t) || "summary".equals(t)) {
          return base;
        }
      }
    }
    return name;
  }

  private static Sample sample(String line) {
    Matcher m = NAME.matcher(line);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("no metric name");
    }
    String name = m.group();
    int i = m.end();
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (true) {
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        Matcher l = LABEL.matcher(line).region(i, line.length());
        if (!l.lookingAt()) {
          throw new IllegalArgumentException("bad label name at " + i);
        }
        String label = l.group();
        i = l.end();
        if (line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          throw new IllegalArgumentException("label " + label + " has no =\"");
        }
        i += 2;
        StringBuilder v = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char e = line.charAt(i++);
            switch (e) {
              case '\\' -> v.append('\\');
              case '"' -> v.append('"');
              case 'n' -> v.append('\n');
              default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
          } else {
            v.append(c);
          }
        }
        i++;
        if (labels.put(label, v.toString()) != null) {
          throw new IllegalArgumentException("label " + label + " twice");
        }
        if (line.charAt(i) == ',') {
          i++;
        } else if (line.charAt(i) != '}') {
          throw new IllegalArgumentException("expected , or } at " + i);
        }
      }
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ", -1);
    if (rest.length < 1 || rest.length > 2) {
      throw new IllegalArgumentException("expected a value and an optional timestamp");
    }
    check(VALUE, rest[0], "value");
    if (rest.length == 2) {
      check(TIMESTAMP, rest[1], "timestamp");
    }
    return new Sample(name, labels, parseValue(rest[0]));
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN", "+NaN", "-NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  private void checkHistograms() {
    for (Map.Entry<String, String> t : types.entrySet()) {
      if (!t.getValue().equals("histogram")) {
        continue;
      }
      String family = t.getKey();
      Map<Map<String, String>, List<Sample>> byRest = new LinkedHashMap<>();
      for (Sample s : find(family + "_bucket")) {
        if (!s.labels().containsKey("le")) {
          throw new IllegalArgumentException(family + "_bucket without le");
        }
        Map<String, String> rest = new TreeMap<>(s.labels());
        rest.remove("le");
        byRest.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
      }
      for (Map.Entry<Map<String, String>, List<Sample>> e : byRest.entrySet()) {
        double last = -1;
        double le = Double.NEGATIVE_INFINITY;
        for (Sample b : e.getValue()) {
          double bound = parseValue(b.labels().get("le"));
          if (bound <= le || b.value() < last) {
            throw new IllegalArgumentException(family + " buckets not cumulative at le=" + b.labels().get("le"));
          }
          le = bound;
          last = b.value();
        }
        if (le != Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException(family + " has no le=\"+Inf\" bucket");
        }
        List<Sample> count = new ArrayList<>();
        for (Sample s : find(family + "_count")) {
          if (new TreeMap<>(s.labels()).equals(e.getKey())) {
            count.add(s);
          }
        }
        if (count.size() != 1 || count.get(0).value() != last) {
          throw new IllegalArgumentException(family + "_count differs from its +Inf bucket");
        }
      }
    }
  }

  private static void unescapeHelp(String help) {
    for (int i = 0; i < help.length(); i++) {
      if (help.charAt(i) == '\\') {
        char e = i + 1 < help.length() ? help.charAt(++i) : ' ';
        if (e != '\\' && e != 'n') {
          throw new IllegalArgumentException("bad escape in HELP: \\" + e);
        }
      }
    }
  }

  private static void check(Pattern p, String s, String what) {
    if (!p.matcher(s).matches()) {
      throw new IllegalArgumentException("bad " + what + " '" + s + "'");
    }
  }
}

package io.daebug.broker.journal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a realm's log reads and which fences run there, from the realm's kind and language: the footer's
 * prompt, the tag of the fences the broker writes, the tags that run (with their aliases) and the language
 * each one's job carries. Data, not code: a new language or kind is a line in {@link #LANGUAGES} or
 * {@link #KINDS}. The journal takes a realm's dialect as one string, its {@link #key} ({@code go@debug}).
 *
 * @param language the realm's language, lowercase ({@code javascript}, {@code java}, {@code go})
 * @param title how the prompt names it ({@code JavaScript}, {@code Go})
 * @param tags fence tags that run in the language, lowercase (the empty tag runs JavaScript)
 * @param noun what a fence holds, in the prompt ({@code snippet}, {@code expression})
 * @param target where it runs, in the prompt ({@code execute against this page})
 * @param extraTags further tags that run, each its own job language (a debug realm's {@code dap} commands)
 */
public record Dialect(String language, String title, List<String> tags, String noun, String target,
    List<String> extraTags) {

  /** A language: its title and the fence tags that name it (the first is the one the broker writes). */
  private record Language(String title, List<String> tags) {}

  /** A realm kind that reads differently from a snippet REPL. */
  private record Kind(String noun, String target, List<String> extraTags) {}

  private static final Map<String, Language> LANGUAGES = Map.of(
      "javascript", new Language("JavaScript", List.of("js", "javascript", "mjs", "")),
      "typescript", new Language("TypeScript", List.of("typescript", "ts")),
      "java", new Language("Java", List.of("java")),
      "python", new Language("Python", List.of("python", "py")),
      "go", new Language("Go", List.of("go", "golang")),
      "c", new Language("C", List.of("c")),
      "cpp", new Language("C++", List.of("cpp", "c++", "cc", "cxx")),
      "rust", new Language("Rust", List.of("rust", "rs")));

  private static final Map<String, Kind> KINDS = Map.of(
      "debug", new Kind("expression", "evaluate in the debugged program (```dap fences: debugger commands)",
          List.of("dap")));

  /** The key of a realm's dialect: its language, with {@code @kind} for a kind in {@link #KINDS}. */
  public static String key(String kind, String language) {
    String l = normal(language);
    String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
    if (KINDS.containsKey(k)) {
      return l + "@" + k;
    }
    // A JavaScript realm that is not a page (a worker, a Node process): its prompt says "this realm"
    return l.equals("javascript") && !k.isEmpty() && !k.equals("page") && !k.equals("iframe") ? l + "@realm" : l;
  }

  /** The dialect of a {@link #key} (or a plain language; null means JavaScript). */
  public static Dialect of(String key) {
    String k = normal(key);
    int at = k.indexOf('@');
    String language = at < 0 ? k : k.substring(0, at);
    Kind kind = at < 0 ? null : KINDS.get(k.substring(at + 1));
    Language known = LANGUAGES.get(language);
    String title = known != null ? known.title()
        : language.isEmpty() ? "JavaScript" : Character.toUpperCase(language.charAt(0)) + language.substring(1);
    List<String> tags = known != null ? known.tags() : List.of(language);
    String noun = kind != null ? kind.noun() : "snippet";
    boolean page = "javascript".equals(language) && at < 0;
    String target = kind != null ? kind.target() : "execute against this " + (page ? "page" : "realm");
    return new Dialect(language, title, tags, noun, target, kind != null ? kind.extraTags() : List.of());
  }

  private static String normal(String language) {
    return language == null ? "javascript" : language.trim().toLowerCase(Locale.ROOT);
  }

  /** The footer's prompt line: {@code > Append your Go expression below to ...}. */
  public String prompt() {
    return JournalFormat.PROMPT_START + title + " " + noun + " below to " + target + ".";
  }

  /** Whether a fence whose info string's first word is {@code tag} runs. */
  public boolean runs(String tag) {
    return jobLanguage(tag) != null;
  }

  /** The language of a job from a fence tagged {@code tag}: the realm's, an extra tag's own, or null. */
  public String jobLanguage(String tag) {
    String t = tag == null ? "" : tag.toLowerCase(Locale.ROOT);
    if (tags.contains(t) || t.equals(language)) {
      return language;
    }
    return extraTags.contains(t) ? t : null;
  }

  /** The info of a request fence the broker writes for code in {@code jobLanguage}: {@code JS}, {@code go}, {@code dap}. */
  public String fenceTag(String jobLanguage) {
    if (jobLanguage != null && extraTags.contains(jobLanguage)) {
      return jobLanguage;
    }
    return "javascript".equals(language) ? "JS" : language;
  }
}

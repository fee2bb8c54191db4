package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.VarSnippet;

/**
 * One JShell, its state (variables, methods, classes, imports) kept from job to job. Confined to one
 * evaluation thread, except {@link #stop()}.
 *
 * <p>The engine is JShell's local one (snippets run in this JVM, so they reach the application's
 * objects; see {@link RealmExecutionControl}); the compiler sees the class path it is given (the realm
 * gives {@code java.class.path}; javac follows the {@code Class-Path} of manifest-only jars itself).
 */
final class Evaluator implements AutoCloseable {
  /** The jshell tool's default imports, so snippets read as they would there. */
  static final List<String> DEFAULT_IMPORTS = List.of("java.io.*", "java.math.*", "java.net.*", "java.nio.file.*",
      "java.util.*", "java.util.concurrent.*", "java.util.function.*", "java.util.prefs.*", "java.util.regex.*",
      "java.util.stream.*");

  private static final System.Logger LOG = System.getLogger(Evaluator.class.getName());

  private final JShell shell;
  private final RealmExecutionControl control;

  /**
   * Starts a JShell and runs the default imports (which also warms the compiler up: the first
   * compilation of a JVM takes seconds).
   *
   * @param parent the class loader snippet classes delegate to
   * @param classPath the compiler's class path
   */
  Evaluator(ClassLoader parent, String classPath) {
    RealmExecutionControl.Provider provider = new RealmExecutionControl.Provider(parent);
    this.shell = JShell.builder().executionEngine(provider, Map.of())
        .compilerOptions("--class-path", classPath).build();
    this.control = provider.control();
    if (control == null) {
      shell.close();
      throw new IllegalStateException("JShell did not start the realm's execution engine");
    }
    for (String imp : DEFAULT_IMPORTS) {
      shell.eval("import " + imp + ";");
    }
  }

  /**
   * Runs a job's code: splits it into snippets and evaluates them in order, stopping at the first
   * that does not compile or throws.
   *
   * @param code the job's source
   * @param warn receives JShell's warnings about declarations that cannot be used yet
   * @return the outcome, or null when the job was stopped ({@link #stop()})
   */
  Outcome eval(String code, Consumer<String> warn) {
    control.reset();
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String rest = code;
    JsonNode value = ValueEncoder.undefined();
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      if (info.completeness() == Completeness.EMPTY) {
        break;
      }
      boolean complete = info.completeness().isComplete() && info.source() != null;
      String source = complete ? info.source() : rest;
      int offset = code.length() - rest.length();
      rest = complete ? info.remaining() : "";
      if (control.stopped()) {
        return null;
      }
      List<SnippetEvent> events = shell.eval(source);
      if (control.stopped()) {
        return null;
      }
      SnippetEvent main = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
      if (main == null) {
        continue;
      }
      if (main.status() == Snippet.Status.REJECTED) {
        return Failures.compilation(code, offset, shell.diagnostics(main.snippet()).collect(Collectors.toList()));
      }
      if (main.exception() != null) {
        return Failures.exception(shell, main.exception());
      }
      if (main.status() == Snippet.Status.RECOVERABLE_DEFINED
          || main.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        String warning = Failures.recoverable(shell, main.snippet());
        if (warning != null) {
          warn.accept(warning);
        }
      }
      value = valueOf(main);
    }
    return Outcome.value(value);
  }

  /** Stops the running snippet (and any later snippet of the same job). Any thread. */
  void stop() {
    control.requestStop();
    try {
      shell.stop();
    } catch (IllegalStateException e) {
      // closed meanwhile
    }
  }

  /**
   * Declares {@code name} as a variable holding {@code Bindings.get(key, name)}, typed as the most
   * specific class a snippet can name, or {@code Object} when that type does not compile here.
   */
  void declareBinding(String key, String name, Object value) {
    control.reset();
    String type = Bindings.typeName(value);
    if (!declare(type, key, name) && !type.equals("Object") && !declare("Object", key, name)) {
      LOG.log(System.Logger.Level.WARNING, "daebug realm: could not declare the binding {0}", name);
    }
  }

  private boolean declare(String type, String key, String name) {
    String source = type + " " + name + " = (" + type + ") " + Bindings.class.getName() + ".get(\"" + key
        + "\", \"" + name + "\");";
    return shell.eval(source).stream().filter(e -> e.causeSnippet() == null)
        .allMatch(e -> e.status() == Snippet.Status.VALID && e.exception() == null);
  }

  private JsonNode valueOf(SnippetEvent event) {
    Snippet snippet = event.snippet();
    VarSnippet variable = null;
    if (snippet instanceof VarSnippet v) {
      variable = v;
    } else if (snippet instanceof ExpressionSnippet x) {
      variable = shell.variables().filter(v -> v.name().equals(x.name()))
          .filter(v -> shell.status(v) == Snippet.Status.VALID).reduce((a, b) -> b).orElse(null);
    } else {
      return ValueEncoder.undefined();
    }
    if (variable != null) {
      try {
        shell.varValue(variable);
        Object[] captured = control.takeCaptured();
        if (captured != null) {
          return ValueEncoder.encode(captured[0], event.value());
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        // fall back to JShell's text
      }
    }
    return event.value() == null ? ValueEncoder.undefined() : ValueEncoder.opaque(event.value(), null);
  }

  @Override
  public void close() {
    try {
      shell.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing JShell: {0}", e.toString());
    }
  }
}

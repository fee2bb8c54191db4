package io.daebug.client.realm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/** Turns JShell's compile diagnostics and exceptions into the protocol's error name, message and stack. */
final class Failures {
  /** The error name of a snippet that does not compile. */
  static final String COMPILATION_ERROR = "CompilationError";

  private Failures() {}

  /**
   * A {@value #COMPILATION_ERROR} whose message lists each error as {@code line L, column C: message},
   * then the offending line of the job's code and a caret under the column.
   *
   * @param code the job's whole code
   * @param offset where the snippet starts in {@code code}
   * @param diags the snippet's diagnostics (positions relative to the snippet)
   */
  static Outcome compilation(String code, int offset, List<Diag> diags) {
    List<String> parts = new ArrayList<>();
    for (Diag d : diags) {
      if (!d.isError()) {
        continue;
      }
      long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
      int at = (int) Math.max(0, Math.min(code.length(), offset + Math.max(0, pos)));
      parts.add(where(code, at, message(d)));
    }
    if (parts.isEmpty()) {
      parts.add("the snippet was rejected without a diagnostic");
    }
    return Outcome.failure(COMPILATION_ERROR, String.join("\n", parts), null);
  }

  /** A thrown exception: its class, message and stack as Java prints them, causes included. */
  static Outcome exception(JShell shell, JShellException e) {
    if (e instanceof UnresolvedReferenceException u) {
      String message = describe(u.getSnippet()) + " cannot be used until "
          + shell.unresolvedDependencies(u.getSnippet()).collect(Collectors.joining(", ")) + " "
          + (shell.unresolvedDependencies(u.getSnippet()).count() == 1 ? "is" : "are") + " declared";
      String name = "UnresolvedReferenceException";
      return Outcome.failure(name, message, stack(name, message, e));
    }
    String name = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
    return Outcome.failure(name, e.getMessage(), stack(name, e.getMessage(), e));
  }

  /** A warning for a declaration that cannot be used yet (JShell's "recoverable" states), or null. */
  static String recoverable(JShell shell, Snippet snippet) {
    if (!(snippet instanceof DeclarationSnippet declaration)) {
      return null;
    }
    List<String> missing = shell.unresolvedDependencies(declaration).collect(Collectors.toList());
    if (missing.isEmpty()) {
      return null;
    }
    return "created " + describe(snippet) + ", however, it cannot be used until " + String.join(", ", missing)
        + " " + (missing.size() == 1 ? "is" : "are") + " declared";
  }

  /** {@code method f(int)}, {@code class Point}, {@code variable x}. */
  static String describe(Snippet s) {
    if (s instanceof MethodSnippet m) {
      return "method " + m.name() + "(" + m.parameterTypes() + ")";
    }
    if (s instanceof TypeDeclSnippet t) {
      return t.subKind().name().toLowerCase(Locale.ROOT).replace("_subkind", "") + " " + t.name();
    }
    if (s instanceof VarSnippet v) {
      return "variable " + v.name();
    }
    return "snippet " + s.id();
  }

  private static String stack(String name, String message, Throwable e) {
    StringBuilder sb = new StringBuilder();
    appendTrace(sb, name, message, e);
    Throwable cause = e.getCause();
    int depth = 0;
    while (cause != null && depth++ < 20) {
      String causeName = cause instanceof EvalException ee ? ee.getExceptionClassName() : cause.getClass().getName();
      sb.append("\nCaused by: ");
      appendTrace(sb, causeName, cause.getMessage(), cause);
      cause = cause.getCause();
    }
    return sb.toString();
  }

  private static void appendTrace(StringBuilder sb, String name, String message, Throwable e) {
    sb.append(name);
    if (message != null) {
      sb.append(": ").append(message);
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      sb.append("\n\tat ").append(frame(frame));
    }
  }

  /**
   * A frame as Java prints it; JShell's own frames (no class, file {@code #id}) print as the jshell
   * tool does: {@code f(#12:1)} or {@code (#14:1)}, snippet id and line.
   */
  private static String frame(StackTraceElement f) {
    if (f.getClassName().isEmpty() || f.getClassName().equals(".")) {
      return f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")";
    }
    return f.toString();
  }

  /** JShell's messages name an empty class ({@code location: class }); that line says nothing. */
  private static String message(Diag d) {
    return d.getMessage(Locale.ROOT).lines().filter(l -> !l.strip().equals("location: class"))
        .collect(Collectors.joining("\n"));
  }

  /** {@code line L, column C: message} (1-based), then the line and a caret under the column. */
  private static String where(String code, int at, String message) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at; i++) {
      if (code.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int lineEnd = code.indexOf('\n', lineStart);
    String text = code.substring(lineStart, lineEnd < 0 ? code.length() : lineEnd).replace("\r", "");
    int column = at - lineStart + 1;
    StringBuilder caret = new StringBuilder("    ");
    for (int i = 0; i < column - 1 && i < text.length(); i++) {
      caret.append(text.charAt(i) == '\t' ? '\t' : ' ');
    }
    return "line " + line + ", column " + column + ": " + message + "\n    " + text + "\n" + caret + "^";
  }
}

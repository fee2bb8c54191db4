package io.daebug.client.realm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One JShell for the class (starting one takes seconds); every test uses names of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluatorTest {
  private Evaluator evaluator;
  private final List<String> warnings = new ArrayList<>();

  @BeforeAll
  void start() {
    evaluator = new Evaluator(EvaluatorTest.class.getClassLoader(), System.getProperty("java.class.path", ""));
  }

  @AfterAll
  void stop() {
    evaluator.close();
  }

  private Outcome eval(String code) {
    return evaluator.eval(code, warnings::add);
  }

  private String value(String code) {
    Outcome o = eval(code);
    assertThat(o.error()).as("error of %s", code).isNull();
    return o.value().toString();
  }

  @Test
  void variablesMethodsAndClassesPersist() {
    assertThat(value("int persisted = 20;")).isEqualTo("20");
    assertThat(value("int twice(int n) { return 2 * n; }")).isEqualTo("{\"$daebug\":\"undefined\"}");
    assertThat(value("record Pair(int a, int b) {}")).isEqualTo("{\"$daebug\":\"undefined\"}");
    assertThat(value("twice(persisted) + new Pair(1, 1).a()")).isEqualTo("41");
  }

  @Test
  void severalSnippetsInOneJobValueOfTheLast() {
    assertThat(value("int a1 = 3;\nint b1 = 4;\n a1 * b1")).isEqualTo("12");
    assertThat(value("String s1 = \"x\"; s1 + s1")).isEqualTo("\"xx\"");
    assertThat(value("int c1 = 5; System.out.print(\"\")")).isEqualTo("{\"$daebug\":\"undefined\"}");
    assertThat(value("int d1 = 6; d1 = 7")).isEqualTo("7");
    assertThat(value("d1")).isEqualTo("7");
    assertThat(value("// nothing but a comment")).isEqualTo("{\"$daebug\":\"undefined\"}");
    assertThat(value("")).isEqualTo("{\"$daebug\":\"undefined\"}");
  }

  @Test
  void valuesAreEncodedByType() {
    assertThat(value("1 + 1")).isEqualTo("2");
    assertThat(value("10_000_000_000L")).isEqualTo("10000000000");
    assertThat(value("0.1 + 0.2")).isEqualTo("0.30000000000000004");
    assertThat(value("1.5f")).isEqualTo("1.5");
    assertThat(value("new java.math.BigDecimal(\"1.10\")")).isEqualTo("1.10");
    assertThat(value("java.math.BigInteger.TWO.pow(70)")).isEqualTo("1180591620717411303424");
    assertThat(value("true")).isEqualTo("true");
    assertThat(value("'c'")).isEqualTo("\"c\"");
    assertThat(value("\"a\\nb\\\"\"")).isEqualTo("\"a\\nb\\\"\"");
    assertThat(value("null")).isEqualTo("null");
    assertThat(value("String nothing = null; nothing")).isEqualTo("null");
    assertThat(value("1.0 / 0")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"Infinity\"}");
    assertThat(value("-1.0 / 0")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"-Infinity\"}");
    assertThat(value("0.0 / 0")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"NaN\"}");
    assertThat(value("-0.0")).isEqualTo("{\"$daebug\":\"number\",\"repr\":\"-0\"}");
    assertThat(value("List.of(1, 2)")).startsWith("{\"$daebug\":\"opaque\",\"repr\":\"[1, 2]\",\"class\":\"java.util.");
    assertThat(value("new int[] {1, 2}"))
        .isEqualTo("{\"$daebug\":\"opaque\",\"repr\":\"int[2] { 1, 2 }\",\"class\":\"[I\"}");
    assertThat(value("record Point(int x, int y) {}\nnew Point(1, 2)"))
        .startsWith("{\"$daebug\":\"opaque\",\"repr\":\"Point[x=1, y=2]\",\"class\":\"REPL.");
  }

  @Test
  void compilationErrorsNameLineAndColumnInTheJob() {
    Outcome o = eval("int fine2 = 1;\nint broken2 = fine2 + missing2;");
    assertThat(o.error().name()).isEqualTo("CompilationError");
    assertThat(o.error().message()).isEqualTo("line 2, column 23: cannot find symbol\n"
        + "  symbol:   variable missing2\n"
        + "    int broken2 = fine2 + missing2;\n"
        + "                          ^");
    assertThat(o.error().stack()).isNull();
    assertThat(value("fine2")).as("snippets before the failing one ran").isEqualTo("1");
  }

  @Test
  void anUnfinishedSnippetIsACompilationError() {
    Outcome o = eval("int unfinished3 = ");
    assertThat(o.error().name()).isEqualTo("CompilationError");
    assertThat(o.error().message()).startsWith("line 1, column 18: reached end of file while parsing");
  }

  @Test
  void exceptionsCarryTheirClassMessageAndJavaStack() {
    value("void boom4() { throw new IllegalStateException(\"boom\", new RuntimeException(\"inner\")); }");
    Outcome o = eval("int before4 = 1;\nboom4();\nint after4 = 2;");
    assertThat(o.error().name()).isEqualTo("java.lang.IllegalStateException");
    assertThat(o.error().message()).isEqualTo("boom");
    assertThat(o.error().stack()).matches("(?s)java\\.lang\\.IllegalStateException: boom\n"
        + "\tat boom4\\(#\\d+:1\\)\n\tat \\(#\\d+:1\\)\n"
        + "Caused by: java\\.lang\\.RuntimeException: inner\n\tat boom4\\(#\\d+:1\\).*");
    assertThat(eval("after4").error().name()).as("the job stopped at the exception").isEqualTo("CompilationError");
    Outcome div = eval("1 / 0");
    assertThat(div.error().name()).isEqualTo("java.lang.ArithmeticException");
    assertThat(div.error().stack()).startsWith("java.lang.ArithmeticException: / by zero\n\tat ");
  }

  @Test
  void usingADeclarationWithUnresolvedReferencesFailsAndWarns() {
    warnings.clear();
    assertThat(value("int later5() { return notYet5 + 1; }")).isEqualTo("{\"$daebug\":\"undefined\"}");
    assertThat(warnings).containsExactly(
        "created method later5(), however, it cannot be used until variable notYet5 is declared");
    Outcome o = eval("later5()");
    assertThat(o.error().name()).isEqualTo("UnresolvedReferenceException");
    assertThat(o.error().message()).isEqualTo("method later5() cannot be used until variable notYet5 is declared");
    assertThat(value("int notYet5 = 41; later5()")).isEqualTo("42");
  }

  @Test
  void applicationClassesAreVisible() {
    assertThat(value("io.daebug.client.realm.internal.Fixtures.Visible.answer()")).isEqualTo("42");
    JsonNode v = eval("new io.daebug.client.realm.internal.Fixtures.Visible()").value();
    assertThat(v.path("repr").asText()).isEqualTo("visible");
    assertThat(v.path("class").asText()).isEqualTo(Fixtures.Visible.class.getName());
  }

  @Test
  void bindingsBecomeTypedVariables() {
    Bindings.put("k-test", "visible6", new Fixtures.Visible());
    evaluator.declareBinding("k-test", "visible6", Bindings.get("k-test", "visible6"));
    assertThat(value("visible6.instanceAnswer()")).isEqualTo("43");
    Bindings.put("k-test", "hidden6", Fixtures.hidden());
    evaluator.declareBinding("k-test", "hidden6", Bindings.get("k-test", "hidden6"));
    assertThat(value("hidden6.toString()")).as("a class snippets cannot name is bound as Object")
        .isEqualTo("\"hidden\"");
    Bindings.forget("k-test");
  }
}

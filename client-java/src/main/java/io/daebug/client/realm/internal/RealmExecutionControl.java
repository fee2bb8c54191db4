package io.daebug.client.realm.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution engine (snippets run in this JVM, on a thread JShell starts per snippet,
 * stoppable with {@code JShell.stop()}), with four changes:
 *
 * <ul>
 *   <li>the application's class loader is the parent of the snippet classes ({@link SnippetLoader});
 *   <li>a stop requested before the snippet's code started (while it compiled, when
 *       {@code JShell.stop()} does nothing) still stops it: the next invocation fails at once;
 *   <li>the JVM-wide default uncaught exception handler, which the JDK's engine replaces with its
 *       own on every invocation (and never puts back), is put back when the invocation ends (unless
 *       the snippet installed one of its own);
 *   <li>{@link #varValue} keeps the variable's value itself, so it can be encoded without calling
 *       its {@code toString()} again outside the stoppable thread.
 * </ul>
 *
 * Every method but {@link #requestStop()} runs on the realm's evaluation thread.
 */
final class RealmExecutionControl extends LocalExecutionControl {
  private volatile boolean stopRequested;
  private volatile boolean stopped;
  private Object captured;
  private boolean hasCaptured;

  private RealmExecutionControl(ClassLoader parent) {
    super(new SnippetLoader(parent));
  }

  /** A provider handing JShell an instance; {@link #control()} returns it once generated. */
  static final class Provider implements ExecutionControlProvider {
    private final ClassLoader parent;
    private volatile RealmExecutionControl control;

    Provider(ClassLoader parent) {
      this.parent = parent;
    }

    @Override
    public String name() {
      return "daebug-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      RealmExecutionControl c = new RealmExecutionControl(parent);
      control = c;
      return c;
    }

    RealmExecutionControl control() {
      return control;
    }
  }

  /** Clears the stop flags before a job. */
  void reset() {
    stopRequested = false;
    stopped = false;
  }

  /** Marks the current job to be stopped; {@code JShell.stop()} then stops running code. Any thread. */
  void requestStop() {
    stopRequested = true;
  }

  /** Whether code of the current job was stopped (or refused to start because a stop was requested). */
  boolean stopped() {
    return stopped;
  }

  @Override
  protected String invoke(Method doitMethod) throws Exception {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    try {
      if (stopRequested) {
        stopped = true;
        throw new StoppedException();
      }
      return super.invoke(doitMethod);
    } catch (StoppedException e) {
      stopped = true;
      throw e;
    } finally {
      Thread.UncaughtExceptionHandler now = Thread.getDefaultUncaughtExceptionHandler();
      if (now != null && now != before && "jdk.jshell".equals(now.getClass().getModule().getName())) {
        Thread.setDefaultUncaughtExceptionHandler(before); // JShell's; one the snippet installed stays
      }
    }
  }

  /** Keeps the value for {@link #takeCaptured()}; returns "" (the caller has JShell's text already). */
  @Override
  public String varValue(String className, String varName) throws RunException, EngineTerminationException,
      InternalException {
    try {
      Field field = findClass(className).getDeclaredField(varName);
      field.setAccessible(true);
      captured = field.get(null);
      hasCaptured = true;
      return "";
    } catch (ReflectiveOperationException | RuntimeException e) {
      return super.varValue(className, varName);
    }
  }

  /**
   * The value the last {@link #varValue} read, wrapped so a captured null differs from none.
   *
   * @return {@code new Object[] {value}}, or null when nothing was captured
   */
  Object[] takeCaptured() {
    if (!hasCaptured) {
      return null;
    }
    Object[] out = {captured};
    captured = null;
    hasCaptured = false;
    return out;
  }
}

package io.daebug.client.realm.internal;

/** Application classes for snippets to reach. */
public final class Fixtures {
  private Fixtures() {}

  /** Public, so snippets can name it. */
  public static final class Visible {
    public static int answer() {
      return 42;
    }

    public int instanceAnswer() {
      return 43;
    }

    @Override
    public String toString() {
      return "visible";
    }
  }

  /** An object of a class snippets cannot name. */
  static Object hidden() {
    return new Hidden();
  }

  private static final class Hidden {
    @Override
    public String toString() {
      return "hidden";
    }
  }
}

package io.daebug.broker.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled glob ({@link FileGlob}'s syntax) matched in time linear in the path: braces are expanded into at most
 * {@value #MAX_ALTERNATIVES} brace-free alternatives, and each is run as a finite automaton over the set of pattern
 * positions the path could be at (no backtracking, so {@code **}{@code /**}{@code /**}... or {@code *a*a*a*b} cost
 * at most the pattern's length per character of the path). Work is counted, so a caller can bound a whole walk.
 * Pure and immutable.
 */
final class GlobMatcher {
  /** The longest pattern accepted. */
  static final int MAX_PATTERN = 512;
  /** The most brace alternatives a pattern may expand to. */
  static final int MAX_ALTERNATIVES = 64;

  private static final int ANY_ONE = -1;
  private static final int STAR = -2;
  private static final int GLOBSTAR = -3;
  private static final int GLOBSTAR_SLASH = -4;

  /** A pattern that cannot be matched within the bounds; its message says why, for a 400. */
  static final class TooComplexException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    TooComplexException(String message) {
      super(message);
    }
  }

  private final List<int[]> alternatives;

  private GlobMatcher(List<int[]> alternatives) {
    this.alternatives = alternatives;
  }

  /** @throws TooComplexException when the pattern is longer than {@value #MAX_PATTERN} or has too many alternatives */
  static GlobMatcher compile(String glob) {
    if (glob.length() > MAX_PATTERN) {
      throw new TooComplexException("pattern is " + glob.length() + " characters long; at most " + MAX_PATTERN);
    }
    List<StringBuilder> expanded = expand(glob);
    List<int[]> out = new ArrayList<>();
    for (StringBuilder alt : expanded) {
      out.add(tokens(alt));
    }
    return new GlobMatcher(out);
  }

  /**
   * Whether {@code path} matches; adds the automaton steps taken to {@code work[0]}, so a walk can stop once it
   * has spent its budget.
   */
  boolean matches(String path, long[] work) {
    for (int[] t : alternatives) {
      if (run(t, path, work)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs one brace-free alternative. {@code now[i]}: the path so far can be at token {@code i}; {@code in[i]}: it is
   * inside the run of a {@code **}{@code /} at {@code i} (characters taken, the closing {@code /} not yet), from
   * where the token cannot be skipped any more.
   */
  private static boolean run(int[] t, String path, long[] work) {
    int m = t.length;
    boolean[] now = new boolean[m + 1];
    boolean[] next = new boolean[m + 1];
    boolean[] in = new boolean[m];
    boolean[] inNext = new boolean[m];
    now[0] = true;
    close(t, now);
    for (int k = 0; k < path.length(); k++) {
      char c = path.charAt(k);
      java.util.Arrays.fill(next, false);
      java.util.Arrays.fill(inNext, false);
      boolean any = false;
      for (int i = 0; i < m; i++) {
        if (!now[i] && !in[i]) {
          continue;
        }
        work[0]++;
        int tok = t[i];
        if (tok == GLOBSTAR_SLASH) { // (?:.*/)?
          inNext[i] = any = true;
          if (c == '/') {
            next[i + 1] = true;
          }
        } else if (tok >= 0) {
          if (tok == c) {
            next[i + 1] = any = true;
          }
        } else if (tok == ANY_ONE) {
          if (c != '/') {
            next[i + 1] = any = true;
          }
        } else if (tok == STAR) {
          if (c != '/') {
            next[i] = any = true;
          }
        } else { // GLOBSTAR
          next[i] = any = true;
        }
      }
      if (!any) {
        return false;
      }
      close(t, next);
      boolean[] swap = now;
      now = next;
      next = swap;
      swap = in;
      in = inNext;
      inNext = swap;
    }
    return now[m];
  }

  /** Adds the positions reachable without a character: past a {@code *}, {@code **} or {@code **}{@code /}. */
  private static void close(int[] t, boolean[] states) {
    for (int i = 0; i < t.length; i++) {
      if (states[i] && t[i] <= STAR) {
        states[i + 1] = true;
      }
    }
  }

  private static int[] tokens(CharSequence glob) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        out.add(slash ? GLOBSTAR_SLASH : GLOBSTAR);
        i += slash ? 2 : 1;
      } else if (c == '*') {
        out.add(STAR);
      } else if (c == '?') {
        out.add(ANY_ONE);
      } else {
        out.add((int) c);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The brace-free patterns a glob stands for: {@code {x,y}} alternatives (nested ones too; an unclosed brace
   * closes at the end, a comma outside braces is literal).
   */
  private static List<StringBuilder> expand(String glob) {
    int[] pos = {0};
    List<StringBuilder> out = sequence(glob, pos, false);
    return out;
  }

  /** Parses up to the end (or, inside braces, up to the {@code ,} or {@code }} that ends this alternative). */
  private static List<StringBuilder> sequence(String glob, int[] pos, boolean inBraces) {
    List<StringBuilder> acc = new ArrayList<>();
    acc.add(new StringBuilder());
    while (pos[0] < glob.length()) {
      char c = glob.charAt(pos[0]);
      if (inBraces && (c == ',' || c == '}')) {
        return acc;
      }
      pos[0]++;
      if (c != '{') {
        acc.forEach(sb -> sb.append(c));
        continue;
      }
      List<StringBuilder> options = new ArrayList<>();
      while (true) {
        options.addAll(sequence(glob, pos, true));
        bound(options.size());
        if (pos[0] >= glob.length()) {
          break; // unclosed: closes at the end
        }
        char end = glob.charAt(pos[0]++);
        if (end == '}') {
          break;
        }
      }
      bound((long) acc.size() * options.size());
      List<StringBuilder> product = new ArrayList<>();
      for (StringBuilder head : acc) {
        for (StringBuilder tail : options) {
          product.add(new StringBuilder(head).append(tail));
        }
      }
      acc = product;
    }
    return acc;
  }

  private static void bound(long alternatives) {
    if (alternatives > MAX_ALTERNATIVES) {
      throw new TooComplexException("pattern's braces expand to more than " + MAX_ALTERNATIVES + " alternatives");
    }
  }
}

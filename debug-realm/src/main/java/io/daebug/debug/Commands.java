package io.daebug.debug;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.Variable;

/**
 * The commands of a {@code dap} fence, one per line. Each returns its answer; one that fails throws
 * {@link DapException} with the adapter's words, or the list of valid commands for an unknown one.
 */
final class Commands {
  static final String HELP = "break FILE:LINE [if COND], clear FILE:LINE, break FUNCTION, continue, pause, next,"
      + " step, out, stack [N], frame N, thread N, threads, locals, print EXPR, restart, terminate, help";
  private static final Pattern FILE_LINE = Pattern.compile("(.+):(\\d+)(?:\\s+if\\s+(.+))?");

  /** What a command needs from the realm: the debugger, the job's waits, and restarting the session. */
  interface Context {
    Debugger debugger();

    /** Time left for one request. */
    Duration limit();

    /**
     * Resumes (or pauses) and waits until the program stops or exits, within the job's time; the answer
     * describes where it is now (or why it did not stop: it was paused at the deadline or on cancel).
     */
    String runUntilStop(String how) throws InterruptedException;

    String restart() throws InterruptedException;

    /** Throws {@link DapException} {@code AdapterError} when there is no live adapter to send a command to. */
    void requireAdapter();

    String terminate() throws InterruptedException;

    /** Where the program is: file, line, source line, locals in brief. */
    String location();
  }

  private Commands() {}

  static String run(String line, Context c) throws InterruptedException {
    String trimmed = line.strip();
    int space = trimmed.indexOf(' ');
    String verb = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    String arg = space < 0 ? "" : trimmed.substring(space + 1).strip();
    if (!verb.equals("help") && !verb.equals("restart")) {
      c.requireAdapter();
    }
    Debugger d = c.debugger();
    switch (verb) {
      case "break", "b" -> {
        need(arg, "break FILE:LINE [if COND] or break FUNCTION");
        Matcher m = FILE_LINE.matcher(arg);
        if (m.matches()) {
          return d.breakAt(m.group(1).strip(), Integer.parseInt(m.group(2)), m.group(3), c.limit());
        }
        return d.breakFunction(arg, c.limit());
      }
      case "clear" -> {
        Matcher m = FILE_LINE.matcher(arg);
        if (!m.matches() || m.group(3) != null) {
          throw new DapException("usage: clear FILE:LINE");
        }
        return d.clear(m.group(1).strip(), Integer.parseInt(m.group(2)), c.limit());
      }
      case "continue", "c", "next", "n", "step", "s", "out", "pause" -> {
        none(verb, arg);
        return c.runUntilStop(switch (verb) {
          case "c" -> "continue";
          case "n" -> "next";
          case "s" -> "step";
          default -> verb;
        });
      }
      case "stack", "bt" -> {
        int n = arg.isEmpty() ? 20 : number(arg, "stack [N]");
        StackFrame[] frames = d.stack(n, c.limit());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
          out.add((i == d.frameIndex() ? "* " : "  ") + "#" + i + " " + Locations.frame(frames[i]));
        }
        return out.isEmpty() ? "no frames" : String.join("\n", out);
      }
      case "frame", "f" -> {
        d.selectFrame(number(arg, "frame N"));
        return c.location();
      }
      case "thread" -> {
        d.selectThread(number(arg, "thread N"));
        return "thread " + d.thread() + " selected\n" + c.location();
      }
      case "threads" -> {
        none(verb, arg);
        List<String> out = new ArrayList<>();
        for (Thread t : d.threads(c.limit())) {
          out.add((t.getId() == d.thread() ? "* " : "  ") + t.getId() + " " + t.getName());
        }
        return String.join("\n", out);
      }
      case "locals" -> {
        none(verb, arg);
        List<String> out = new ArrayList<>();
        for (Variable v : d.locals(c.limit())) {
          out.add(Values.brief(v) + (v.getType() != null && !v.getType().isBlank() ? " (" + v.getType() + ")" : ""));
        }
        return out.isEmpty() ? "no locals" : String.join("\n", out);
      }
      case "print", "p" -> {
        need(arg, "print EXPR");
        return d.evaluate(arg, c.limit()).toPrettyString();
      }
      case "restart" -> {
        none(verb, arg);
        return c.restart();
      }
      case "terminate", "kill" -> {
        none(verb, arg);
        return c.terminate();
      }
      case "help" -> {
        return "commands: " + HELP;
      }
      default -> throw new DapException("unknown command '" + verb + "'; commands: " + HELP);
    }
  }

  private static void need(String arg, String usage) {
    if (arg.isEmpty()) {
      throw new DapException("usage: " + usage);
    }
  }

  private static void none(String verb, String arg) {
    if (!arg.isEmpty()) {
      throw new DapException(verb + " takes no argument");
    }
  }

  private static int number(String arg, String usage) {
    try {
      int n = Integer.parseInt(arg.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new DapException("usage: " + usage);
  }
}

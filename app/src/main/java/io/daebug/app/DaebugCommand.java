package io.daebug.app;

import io.daebug.app.cli.RealmsCommand;
import io.daebug.app.cli.RunCommand;
import io.daebug.app.mcp.McpCommand;
import io.daebug.app.mcp.McpHttpExtension;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Entry point of the executable jar ({@code broker/target/daebug.jar}). With no command it is the broker
 * ({@link io.daebug.broker.Main}, the same options); the commands that need the Java client are its
 * subcommands, registered in {@link #COMMANDS}.
 */
public final class DaebugCommand {
  /** The subcommands: name and a factory of the picocli command object (annotated with {@code @Command}). */
  static final List<Subcommand> COMMANDS = List.of(
      new Subcommand("run", RunCommand::new),
      new Subcommand("realms", RealmsCommand::new),
      new Subcommand("mcp", McpCommand::new),
      new Subcommand("debug", io.daebug.debug.DebugCommand::new));

  /** The version the jar reports (to MCP clients too). */
  public static final String VERSION = "0.1.0";

  /** One subcommand of the jar. */
  record Subcommand(String name, Supplier<Object> command) {}

  private DaebugCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err).execute(args);
  }

  /** The broker's command line with every subcommand added. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = io.daebug.broker.Main.commandLine(out, err, () -> List.of(new McpHttpExtension()));
    for (Subcommand sub : COMMANDS) {
      CommandLine child = new CommandLine(sub.command().get());
      child.setOut(out);
      child.setErr(err);
      child.setExecutionExceptionHandler(cli.getExecutionExceptionHandler());
      cli.addSubcommand(sub.name(), child);
    }
    return cli;
  }
}

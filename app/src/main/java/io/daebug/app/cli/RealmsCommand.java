package io.daebug.app.cli;

import io.daebug.app.BrokerOptions;
import io.daebug.app.JobReport;
import io.daebug.client.BrokerUnavailableException;
import io.daebug.client.DaebugClient;
import io.daebug.client.RealmInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code daebug realms}: the realms the broker lists, as a table or JSON. */
@Command(name = "realms", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Lists the realms the broker knows: name, kind, state, title, URL, when last seen.",
        "Exit codes: 0 listed (maybe none), 2 usage, 3 no broker."})
public final class RealmsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  BrokerOptions broker;

  @Option(names = "--json", description = "Print them as a JSON array.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<RealmInfo> realms;
    try (DaebugClient client = broker.connectOnce("cli")) {
      realms = client.realms();
    } catch (BrokerUnavailableException e) {
      spec.commandLine().getErr().println("daebug realms: no broker at " + broker.brokerUri() + ": "
          + broker.unavailableHint() + " (" + e.getMessage() + ")");
      return ExitCode.BROKER_UNAVAILABLE;
    }
    if (json) {
      out.println(JobReport.pretty(JobReport.json(realms)));
    } else if (realms.isEmpty()) {
      out.println("no realms (open a page the broker serves, or start a realm; see daebug.md)");
    } else {
      out.print(table(realms));
      out.flush();
    }
    return ExitCode.OK;
  }

  /** Aligned columns, one realm a line; long titles and URLs cut. */
  static String table(List<RealmInfo> realms) {
    String[] head = {"NAME", "KIND", "STATE", "LANGUAGE", "LAST SEEN", "TITLE", "URL"};
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(head);
    for (RealmInfo r : realms) {
      rows.add(new String[] {r.name(), r.kind(), r.state(), r.language(), r.lastSeen(), cut(r.title(), 40),
          cut(r.url(), 80)});
    }
    int[] width = new int[head.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}

package io.daebug.broker.config;

import io.daebug.broker.journal.WriteFaults;
import io.daebug.broker.journal.WriteOptions;
import java.util.Properties;

/**
 * The broker's {@code -D} options, read once where a broker is started ({@code Main}, a benchmark's
 * {@code main}) and turned into {@link BrokerConfig} values: no class inside the broker reads a system property.
 *
 * <ul>
 *   <li>{@code daebug.journal.historyAbove=BYTES}: a log's finished history past this size moves into numbered
 *       files next to it (docs/big-logs.md); default {@link WriteOptions#DEFAULT_HISTORY_ABOVE}
 *   <li>{@code daebug.crashAt=POINT[:N]}: halt the JVM at a write's N-th POINT, as a crash would (crash tests)
 * </ul>
 */
public final class SystemProperties {
  public static final String HISTORY_ABOVE = "daebug.journal.historyAbove";
  public static final String CRASH_AT = "daebug.crashAt";

  private SystemProperties() {}

  /**
   * How logs are written, from {@code props} (usually {@link System#getProperties()}).
   *
   * @throws IllegalArgumentException naming the property whose value is not valid
   */
  public static WriteOptions writes(Properties props) {
    String above = props.getProperty(HISTORY_ABOVE);
    long historyAbove;
    try {
      historyAbove = above == null || above.isBlank() ? WriteOptions.DEFAULT_HISTORY_ABOVE
          : Long.parseLong(above.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + HISTORY_ABOVE + " must be a number of bytes, got '" + above + "'");
    }
    WriteFaults faults;
    try {
      faults = WriteFaults.halting(props.getProperty(CRASH_AT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-D" + CRASH_AT + " must be POINT[:N] with POINT one of "
          + java.util.Arrays.toString(WriteFaults.Point.values()) + ", got '" + props.getProperty(CRASH_AT) + "'");
    }
    return new WriteOptions(historyAbove, faults);
  }
}

package io.daebug.broker.protocol;

/**
 * First frame of a controller connection.
 *
 * @param name the agent name its jobs carry in the log; sanitised by {@link #agentName}
 * @param protocol protocol version; null means 1
 */
public record ControllerHello(String name, Integer protocol) implements FromController {
  /** Longest agent name kept. */
  public static final int MAX_NAME = 64;

  public ControllerHello {
    name = agentName(name);
  }

  /**
   * {@code [A-Za-z0-9._-]} only (every other run becomes one {@code -}), dashes trimmed, at most
   * {@value #MAX_NAME} characters; {@code controller} when nothing is left. Such a name can never forge
   * a journal line or change how a request header parses.
   */
  public static String agentName(String proposed) {
    if (proposed == null) {
      return "controller";
    }
    String s = proposed.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() > MAX_NAME) {
      s = s.substring(0, MAX_NAME).replaceAll("-+$", "");
    }
    return s.isEmpty() ? "controller" : s;
  }
}

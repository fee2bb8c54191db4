package io.daebug.broker.protocol;

import java.util.List;

/**
 * The broker's answer to {@link ControllerHello}.
 *
 * @param name the agent name the controller's jobs carry
 * @param broker the broker's version
 * @param realms every realm in the registry
 */
public record ControllerWelcome(String name, String broker, List<RealmInfo> realms) implements ToController {}

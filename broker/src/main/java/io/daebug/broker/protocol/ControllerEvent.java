package io.daebug.broker.protocol;

/**
 * A realm's console line or uncaught error, passed on as it arrives.
 *
 * @param realm the realm
 * @param job the job running when it happened; null for background events
 * @param kind the event kind as the realm sent it (sanitised)
 * @param time epoch milliseconds in the realm
 * @param text the message
 */
public record ControllerEvent(String realm, String job, String kind, Long time, String text) implements ToController {}

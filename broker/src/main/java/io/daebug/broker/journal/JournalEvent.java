package io.daebug.broker.journal;

/**
 * One console call or uncaught error, ready for the journal.
 *
 * @param kind {@code log}, {@code info}, {@code warn}, {@code error}, {@code debug}, {@code window.onerror},
 *     {@code self.onerror}, {@code unhandledrejection}, or {@code daebug} for the broker's own diagnostics
 * @param time {@code HH:MM:SS} in the broker's zone
 * @param text the message
 */
public record JournalEvent(String kind, String time, String text) {}

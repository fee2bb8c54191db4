package io.daebug.client;

import java.util.Objects;

/**
 * A realm as the broker lists it (the same facts as a line of {@code daebug.md}).
 *
 * @param name the realm's name, used in {@link JobRequest#realm()}
 * @param kind {@code page}, {@code worker}, {@code iframe}, {@code node} or {@code jvm}; maybe empty
 * @param url where the realm lives, such as the page's URL; maybe empty
 * @param language the language its jobs are written in, such as {@code javascript}
 * @param state {@code live}, {@code executing}, {@code queued N}, {@code unresponsive},
 *     {@code disconnected} or {@code gone}
 * @param log its log relative to the broker's root, such as {@code daebug/7-zen-1201-03.md}; maybe empty
 * @param title what the realm calls itself for people, such as a page's {@code document.title} when it
 *     connected; maybe empty
 * @param lastSeen the broker's wall-clock time {@code HH:MM:SS} of the realm's last connection,
 *     disconnection or recovery (as {@code daebug.md} shows it); maybe empty
 * @param job the id of the job the realm is running now, such as {@code j-12} (for
 *     {@link DaebugClient#cancel(String)}); empty when it runs none
 */
public record RealmInfo(String name, String kind, String url, String language, String state, String log,
    String title, String lastSeen, String job) {
  /** State of a realm that left the registry after its grace period. */
  public static final String GONE = "gone";

  /** State of a realm in its grace period: jobs wait in its queue until it reconnects. */
  public static final String DISCONNECTED = "disconnected";

  /**
   * Checks that {@code name} is present; other null components become empty (language: javascript).
   *
   * @param name the realm's name
   * @param kind its kind; nullable
   * @param url its URL; nullable
   * @param language its language; nullable
   * @param state its state; nullable
   * @param log its log path; nullable
   * @param title its title; nullable
   * @param lastSeen when it was last seen; nullable
   * @param job its running job; nullable
   */
  public RealmInfo {
    Objects.requireNonNull(name, "name");
    title = title == null ? "" : title;
    lastSeen = lastSeen == null ? "" : lastSeen;
    job = job == null ? "" : job;
    kind = kind == null ? "" : kind;
    url = url == null ? "" : url;
    language = language == null || language.isEmpty() ? "javascript" : language;
    state = state == null ? "" : state;
    log = log == null ? "" : log;
  }

  /**
   * A realm without title, time or running job (as brokers before these fields list it).
   *
   * @param name the realm's name
   * @param kind its kind; nullable
   * @param url its URL; nullable
   * @param language its language; nullable
   * @param state its state; nullable
   * @param log its log path; nullable
   */
  public RealmInfo(String name, String kind, String url, String language, String state, String log) {
    this(name, kind, url, language, state, log, null, null, null);
  }

  /**
   * Whether the realm is connected now.
   *
   * @return false when {@code disconnected} or {@code gone}
   */
  public boolean isConnected() {
    return !state.equals(DISCONNECTED) && !state.equals(GONE);
  }
}

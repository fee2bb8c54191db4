package io.daebug.broker.registry;

import io.daebug.broker.journal.Dialect;
import io.daebug.broker.journal.RealmLog;

/**
 * One realm: its identity, its log and its current connection. Confined to the broker's core thread
 * (docs/concurrency.md), so it needs no locks.
 */
public final class Realm {
  private final String name;
  private final RealmLog log;
  private String kind;
  private String url;
  private String language;
  private String tab;
  private RealmLink link;
  private long lastPongNanos;
  private boolean unresponsive;
  private String lastSeen;
  private String parent;
  private String title;
  private String status;
  private final Heartbeat heartbeat = new Heartbeat();

  Realm(String name, RealmLog log, String language) {
    this.name = name;
    this.log = log;
    this.language = language;
  }

  public String name() {
    return name;
  }

  public RealmLog log() {
    return log;
  }

  public String kind() {
    return kind;
  }

  public String url() {
    return url;
  }

  public String language() {
    return language;
  }

  public String tab() {
    return tab;
  }

  /** The live connection, or null while disconnected. */
  public RealmLink link() {
    return link;
  }

  public boolean connected() {
    return link != null;
  }

  public boolean unresponsive() {
    return unresponsive;
  }

  public String lastSeen() {
    return lastSeen;
  }

  /** The realm that owns this one (a worker's or an iframe's page), as its hello said; nullable. */
  public String parent() {
    return parent;
  }

  /** What the realm calls itself for people, from its latest hello; nullable. */
  public String title() {
    return title;
  }

  /** Sets the title from the latest hello or {@code title} frame; null clears it. */
  public void title(String newTitle) {
    title = newTitle;
  }

  /** Sets the owner named in the latest hello. */
  public void parent(String owner) {
    parent = owner;
  }

  /** How the realm's log reads and which fences run there (from its kind and language). */
  public Dialect dialect() {
    return Dialect.of(Dialect.key(kind, language));
  }

  /** What the realm's runtime said it is doing ({@code status} frame), e.g. a debuggee's state; nullable. */
  public String status() {
    return status;
  }

  /** Sets the runtime's latest status; null clears it. */
  public void status(String text) {
    status = text;
  }

  /** The realm's application-level heartbeat, reset on every connection. */
  public Heartbeat heartbeat() {
    return heartbeat;
  }

  void attach(RealmLink newLink, String newKind, String newUrl, String newTab, long nowNanos, String time) {
    link = newLink;
    kind = newKind;
    url = newUrl;
    tab = newTab;
    lastPongNanos = nowNanos;
    unresponsive = false;
    lastSeen = time;
    heartbeat.reset();
    status = null;
  }

  void detach(String time) {
    link = null;
    heartbeat.reset();
    unresponsive = false;
    lastSeen = time;
  }

  /** Records a pong; returns true when that ends an unresponsive spell. */
  boolean pong(long nowNanos, String time) {
    lastPongNanos = nowNanos;
    if (unresponsive) {
      unresponsive = false;
      lastSeen = time;
      return true;
    }
    return false;
  }

  /** Marks the realm unresponsive when its last pong is older than the threshold; true on change. */
  boolean checkUnresponsive(long nowNanos, long thresholdNanos) {
    if (link != null && !unresponsive && nowNanos - lastPongNanos > thresholdNanos) {
      unresponsive = true;
      return true;
    }
    return false;
  }
}

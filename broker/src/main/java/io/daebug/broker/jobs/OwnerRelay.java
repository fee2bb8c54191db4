package io.daebug.broker.jobs;

import io.daebug.broker.protocol.CancelJob;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.Realms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies each {@code cancel} of a realm's job to the realm's owner (the page named in the worker's or
 * iframe's {@code hello.parent}), with {@code realm} set. A worker stuck in a loop never reads its own
 * socket; the page that created it can still terminate it and start a fresh one. Core thread only.
 */
final class OwnerRelay {
  private static final Logger log = LoggerFactory.getLogger(OwnerRelay.class);

  private final Realms realms;

  OwnerRelay(Realms realms) {
    this.realms = realms;
  }

  void cancelSent(Realm realm, CancelJob cancel) {
    String parent = realm.parent();
    if (parent == null) {
      return;
    }
    Realm owner = realms.get(parent);
    if (owner == null || owner == realm || owner.link() == null) {
      log.debug("cancel {} of realm {}: its owner {} is not connected", cancel.id(), realm.name(), parent);
      return;
    }
    owner.link().send(new CancelJob(cancel.id(), cancel.reason(), realm.name()));
  }
}

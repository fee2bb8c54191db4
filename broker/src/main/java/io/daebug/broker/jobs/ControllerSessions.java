package io.daebug.broker.jobs;

import com.github.benmanes.caffeine.cache.Ticker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.broker.protocol.Cancel;
import io.daebug.broker.protocol.ControllerError;
import io.daebug.broker.protocol.ControllerHello;
import io.daebug.broker.protocol.ControllerWelcome;
import io.daebug.broker.protocol.FromController;
import io.daebug.broker.protocol.ListRealms;
import io.daebug.broker.protocol.RealmList;
import io.daebug.broker.protocol.Submit;
import io.daebug.broker.protocol.Unwatch;
import io.daebug.broker.protocol.Watch;
import io.daebug.broker.registry.Realm;
import io.daebug.broker.registry.RealmNames;
import io.daebug.broker.registry.Realms;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controller connections (docs/protocol.md, the controller protocol): the welcome, submits and cancels checked and
 * handed to the jobs, watches, realm lists. Every refusal is a {@code error} frame naming what was wrong, with the
 * submit's {@code ref}. The controllers' state itself is {@link Controllers}. Core-thread confined.
 */
public final class ControllerSessions {
  private static final Logger log = LoggerFactory.getLogger(ControllerSessions.class);

  private final BrokerConfig config;
  private final Realms realms;
  private final JobRunner jobs;
  private final Controllers controllers;
  private final RegistryPublisher publisher;
  private final Ticker ticker;
  private boolean closed;

  public ControllerSessions(BrokerConfig config, Realms realms, JobRunner jobs, Controllers controllers,
      RegistryPublisher publisher, Ticker ticker) {
    this.config = config;
    this.realms = realms;
    this.jobs = jobs;
    this.controllers = controllers;
    this.publisher = publisher;
    this.ticker = ticker;
  }

  /** A controller's first frame: it is welcomed with the realms now. */
  void hello(ControllerLink link, ControllerHello hello) {
    if (closed) {
      link.close(1001, "broker shutting down");
      return;
    }
    controllers.add(link, hello.name());
    log.info("controller {} connected from {}", hello.name(), link.remote());
    link.send(new ControllerWelcome(hello.name(), Dispatcher.VERSION, publisher.realmInfos()));
  }

  /** Any later frame of a controller. */
  void message(ControllerLink link, FromController message) throws IOException {
    Controllers.Controller c = controllers.get(link);
    if (c == null) {
      return;
    }
    // Java 17 has no pattern switch; these are the permits of the sealed FromController.
    if (message instanceof Submit s) {
      submit(link, c, s);
    } else if (message instanceof Cancel x) {
      cancel(link, c, x);
    } else if (message instanceof Watch w) {
      controllers.watch(c, w.realm(), true, Boolean.TRUE.equals(w.jobs()));
    } else if (message instanceof Unwatch u) {
      controllers.watch(c, u.realm(), false, false);
    } else if (message instanceof ListRealms) {
      link.send(new RealmList(publisher.realmInfos()));
    } else {
      link.send(new ControllerError(null, "duplicate-hello", "hello was already received; ignored"));
    }
  }

  /** A controller's connection closed; its jobs carry on and are journalled as usual. */
  void closed(ControllerLink link) {
    Controllers.Controller c = controllers.get(link);
    if (c != null) {
      controllers.remove(link);
      log.info("controller {} disconnected ({} jobs still pending)", c.name, c.refs.size());
    }
  }

  /** Pings every controller: a quiet one waiting for a long job must outlive the idle timeout too. */
  void pingAll() {
    controllers.pingAll();
  }

  /** Submits are refused from now on. */
  void close() {
    closed = true;
  }

  private void submit(ControllerLink link, Controllers.Controller c, Submit s) {
    if (closed) {
      link.send(new ControllerError(s.ref(), "failed", "the broker is shutting down"));
      return;
    }
    Realm realm = realms.get(s.realm());
    if (realm == null) {
      String sanitised = RealmNames.sanitise(s.realm());
      realm = sanitised.isEmpty() ? null : realms.get(sanitised);
    }
    if (realm == null) {
      List<String> names = new ArrayList<>();
      realms.all().forEach(r -> names.add(r.name()));
      link.send(new ControllerError(s.ref(), "unknown-realm", "no realm named '" + abbreviate(s.realm()) + "'; "
          + (names.isEmpty() ? "no realm is connected" : "realms: " + String.join(", ", names))));
      return;
    }
    if (s.language() != null && !realm.dialect().runs(s.language())) {
      link.send(new ControllerError(s.ref(), "wrong-language", "realm " + realm.name() + " runs "
          + realm.language() + (realm.dialect().extraTags().isEmpty() ? "" : " (and " + String.join(", ",
              realm.dialect().extraTags()) + ")") + ", not " + abbreviate(s.language())));
      return;
    }
    if (c.refs.containsKey(s.ref())) {
      link.send(new ControllerError(s.ref(), "bad-request", "ref " + s.ref() + " is already in use by an unfinished job"));
      return;
    }
    int max = config.limits().maxQueuedJobs();
    if (jobs.pending(realm) >= max) {
      link.send(new ControllerError(s.ref(), "queue-full", "realm " + realm.name() + " already has " + max
          + " jobs queued or running (--max-queue); wait for some to finish"));
      return;
    }
    Duration timeout = s.timeoutMs() == null ? null : Duration.ofMillis(s.timeoutMs());
    Job job = jobs.submit(realm, new Controllers.Submission(link, s.ref(), ticker.read()), c.name, s.code(),
        s.language(), timeout);
    if (!job.finished()) {
      c.refs.put(s.ref(), job);
    }
  }

  private void cancel(ControllerLink link, Controllers.Controller c, Cancel x) throws IOException {
    Job job = x.job() != null ? jobs.find(x.job()) : c.refs.get(x.ref());
    Realm realm = job == null ? null : realms.get(job.realmName);
    if (realm == null) {
      link.send(new ControllerError(x.ref(), "unknown-job", "no queued or running job "
          + abbreviate(x.job() != null ? x.job() : "with ref " + x.ref())));
      return;
    }
    jobs.cancel(realm, job, c.name);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

package io.daebug.it.examples;

import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.RealmInfo;
import io.daebug.client.Subscription;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The client README's example: control a browser tab from Java. Compiled and run by {@code JavaClientIT}
 * against a real headless Chromium tab, so it cannot rot. Usage:
 * {@code RunInRealmExample http://127.0.0.1:8680/ 7-zen-1201-03 "document.title"}.
 */
public final class RunInRealmExample {
  private RunInRealmExample() {}

  public static void main(String[] args) {
    run(URI.create(args[0]), args[1], args[2], System.out);
  }

  /** Runs {@code code} in {@code realm}, printing its console lines and its value to {@code out}. */
  public static void run(URI broker, String realm, String code, PrintStream out) {
    ClientOptions options = ClientOptions.of(broker).withClientName("example");
    try (DaebugClient client = Daebug.connect(options)) {
      RealmInfo target = client.awaitRealm(realm, Duration.ofSeconds(10));
      Subscription console = client.watch(target.name(), e -> out.println(e.kind() + ": " + e.text()));
      try {
        // blocking
        JobResult r = client.run(JobRequest.of(target.name(), code), Duration.ofSeconds(10));
        out.println(r.display() + " (" + r.duration().toMillis() + " ms)");
        // asynchronous
        CompletableFuture<JobResult> f = client.submit(JobRequest.of(target.name(), "1 + 1"));
        out.println(f.thenApply(JobResult::asInt).join());
      } catch (JobFailedException e) {
        out.println("threw " + e.error().display());
      } finally {
        console.close();
      }
    }
  }
}

package io.daebug.client.examples;

import io.daebug.client.ClientOptions;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobFailedException;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import io.daebug.client.RealmInfo;
import io.daebug.client.Subscription;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The README's example, compiled with the tests so it cannot rot. Usage:
 * {@code RunInRealmExample http://127.0.0.1:8680/ 7-zen-1201-03 "document.title"}.
 */
public final class RunInRealmExample {
  private RunInRealmExample() {}

  public static void main(String[] args) {
    URI broker = URI.create(args[0]);
    String realm = args[1];
    String code = args[2];
    ClientOptions options = ClientOptions.of(broker).withClientName("example");
    try (DaebugClient client = Daebug.connect(options)) {
      RealmInfo target = client.awaitRealm(realm, Duration.ofSeconds(10));
      Subscription console = client.watch(target.name(), e -> System.out.println(e.kind() + ": " + e.text()));
      try {
        // blocking
        JobResult r = client.run(JobRequest.of(target.name(), code), Duration.ofSeconds(10));
        System.out.println(r.display() + " (" + r.duration().toMillis() + " ms)");
        // asynchronous
        CompletableFuture<JobResult> f = client.submit(JobRequest.of(target.name(), "1 + 1"));
        System.out.println(f.thenApply(JobResult::asInt).join());
      } catch (JobFailedException e) {
        System.out.println("threw " + e.error().display());
      } finally {
        console.close();
      }
    }
  }
}

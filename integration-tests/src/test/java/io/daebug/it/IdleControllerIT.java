package io.daebug.it;

import static io.daebug.it.TestAwait.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.daebug.broker.Broker;
import io.daebug.broker.config.BrokerConfig;
import io.daebug.client.ClientOptions;
import io.daebug.client.ConnectionEvent;
import io.daebug.client.Daebug;
import io.daebug.client.DaebugClient;
import io.daebug.client.JobRequest;
import io.daebug.client.JobResult;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (found while LoadBench's controllers sat idle waiting for a drain): neither the broker nor the Java
 * client pinged a controller connection, so Jetty's idle timeout (the larger of 4 x {@code --unresponsive-after} and
 * 60 s) closed a controller that was quiet for a minute, with 1001 "Connection Idle Timeout": a job with a longer
 * timeout that logged nothing failed at the controller with {@code BrokerUnavailableException} while the realm was
 * still running it. This test waits 65 s on purpose: the idle timeout cannot be set below 60 s.
 */
class IdleControllerIT {
  @TempDir
  Path root;

  @Test
  void aControllerWaitingQuietlyForALongJobStaysConnected() throws Exception {
    try (Broker broker = Broker.start(BrokerConfig.defaults(root).withPort(0))) {
      WireRealm slow = WireRealm.connect(HttpClient.newHttpClient(), broker.uri(), "slow", WireRealm.IGNORE)
          .get(10, TimeUnit.SECONDS);
      List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
      try (DaebugClient client = Daebug.connect(ClientOptions.of(broker.uri()).withClientName("patient"))) {
        client.addConnectionListener(events::add);
        client.awaitRealm("slow", TestAwait.AT_MOST);
        CompletableFuture<JobResult> job = client.submit(
            JobRequest.of("slow", "longTask()").withTimeout(Duration.ofMinutes(3)));

        await(Duration.ofSeconds(70)).during(Duration.ofSeconds(65))
            .untilAsserted(() -> {
              assertThat(events).as("connection events while waiting").doesNotContain(ConnectionEvent.DISCONNECTED);
              assertThat(job).as("the job, still running in the realm").isNotDone();
            });
        job.cancel(true);
      } finally {
        slow.abort();
      }
    }
  }
}

package io.daebug.client.realm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.daebug.client.realm.JobExecutor;
import io.daebug.client.realm.RealmJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adapts a {@link JobExecutor} to a {@link Connection}: each job becomes a {@link RealmJob} answered once.
 * Public only for {@code io.daebug.client.realm}; not an API.
 */
public final class ExecutorJobs implements Connection.Jobs {
  private final Connection connection;
  private final JobExecutor executor;
  /** Jobs not yet answered, for cancels (bounded: a broker never has this many waiting on one realm). */
  private final Map<String, Job> open = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
      return size() > 1000;
    }
  };

  /**
   * @param connection where results and events go
   * @param executor what runs the jobs
   */
  public ExecutorJobs(Connection connection, JobExecutor executor) {
    this.connection = connection;
    this.executor = executor;
  }

  @Override
  public void submit(String id, String code, String language, long timeoutMs, long epoch) {
    long cap = connection.options().maxJobTime().toMillis();
    Job job = new Job(id, code, language, Duration.ofMillis(timeoutMs > 0 ? Math.min(timeoutMs, cap) : cap), epoch);
    synchronized (open) {
      open.put(id, job);
    }
    executor.execute(job);
  }

  @Override
  public void cancel(String id, String reason) {
    Job job;
    synchronized (open) {
      job = open.get(id);
    }
    if (job != null) {
      executor.cancel(job, reason == null ? "cancelled by the broker" : reason);
    }
  }

  private final class Job implements RealmJob {
    private final String id;
    private final String code;
    private final String language;
    private final Duration timeout;
    private final long epoch;
    private final long started = System.nanoTime();
    private boolean answered;

    Job(String id, String code, String language, Duration timeout, long epoch) {
      this.id = id;
      this.code = code;
      this.language = language;
      this.timeout = timeout;
      this.epoch = epoch;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String code() {
      return code;
    }

    @Override
    public String language() {
      return language;
    }

    @Override
    public Duration timeout() {
      return timeout;
    }

    @Override
    public boolean succeed(JsonNode value) {
      return answer(Outcome.value(value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value));
    }

    @Override
    public boolean fail(String name, String message) {
      return answer(Outcome.failure(name == null ? "Error" : name, message, null));
    }

    private boolean answer(Outcome outcome) {
      synchronized (this) {
        if (answered) {
          return false;
        }
        answered = true;
      }
      synchronized (open) {
        open.remove(id);
      }
      connection.sendResult(id, epoch, outcome, (System.nanoTime() - started) / 1e6);
      return true;
    }

    @Override
    public void event(String kind, String text) {
      connection.sendEvent(isAnswered() ? null : id, kind, System.currentTimeMillis(), text);
    }

    @Override
    public synchronized boolean isAnswered() {
      return answered;
    }
  }
}

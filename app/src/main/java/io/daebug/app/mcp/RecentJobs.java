package io.daebug.app.mcp;

import java.util.LinkedHashMap;
import java.util.Map;

/** The jobs this server ran lately (for read_log's since_job): who ran what where. Thread-safe, bounded. */
final class RecentJobs {
  /** One job: the agent that ran it, where, and its code. */
  record Job(String agent, String realm, String code) {}

  private final Map<String, Job> jobs;

  RecentJobs(int max) {
    this.jobs = new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
        return size() > max;
      }
    };
  }

  synchronized void put(String jobId, Job job) {
    jobs.put(jobId, job);
  }

  synchronized Job get(String jobId) {
    return jobs.get(jobId);
  }
}

package io.daebug.client.internal;

import io.daebug.client.JobRequest;
import io.daebug.client.RealmEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * This client's submissions that have not ended: those waiting for a connection ("unsent") and those the
 * broker has ("sent", by ref and, once queued, by job id). Client thread only.
 */
final class PendingJobs {
  /** One submission. */
  static final class Pending {
    final String ref;
    final JobRequest request;
    final JobFuture future;
    final List<RealmEvent> events = new ArrayList<>();
    String jobId;
    ScheduledFuture<?> connectDeadline;
    /** Whether the submission went out on the current connection. */
    boolean sent;

    Pending(String ref, JobRequest request, JobFuture future) {
      this.ref = ref;
      this.request = request;
      this.future = future;
    }
  }

  private final Map<String, Pending> unsent = new LinkedHashMap<>();
  private final Map<String, Pending> sentByRef = new HashMap<>();
  private final Map<String, Pending> sentByJob = new HashMap<>();

  /** Keeps a submission until a connection is up. */
  void holdUntilConnected(Pending p) {
    unsent.put(p.ref, p);
  }

  /** Takes every held submission, in submission order, to send it now. */
  List<Pending> takeUnsent() {
    List<Pending> all = new ArrayList<>(unsent.values());
    unsent.clear();
    all.forEach(p -> {
      if (p.connectDeadline != null) {
        p.connectDeadline.cancel(false);
      }
    });
    return all;
  }

  /** Takes a held submission whose wait for a connection ended; null when it was sent meanwhile. */
  Pending takeUnsent(String ref) {
    return unsent.remove(ref);
  }

  /** Records a submission sent to the broker. */
  void sent(Pending p) {
    p.sent = true;
    sentByRef.put(p.ref, p);
  }

  /** The broker queued a submission: from now on its events carry {@code jobId}. */
  void queued(String ref, String jobId) {
    Pending p = sentByRef.get(ref);
    if (p != null && jobId != null) {
      p.jobId = jobId;
      sentByJob.put(jobId, p);
    }
  }

  /** The submission a job event belongs to; null when it is not one of ours. */
  Pending byJob(String jobId) {
    return jobId == null ? null : sentByJob.get(jobId);
  }

  /** Removes and returns the submission a result or refusal is about; null when unknown. */
  Pending end(String ref, String jobId) {
    Pending p = ref != null ? sentByRef.get(ref) : jobId != null ? sentByJob.get(jobId) : null;
    if (p == null) {
      return null;
    }
    sentByRef.remove(p.ref);
    if (p.jobId != null) {
      sentByJob.remove(p.jobId);
    }
    return p;
  }

  /** Removes a submission wherever it is (its future was cancelled); null when unknown. */
  Pending remove(String ref) {
    Pending p = unsent.remove(ref);
    if (p != null) {
      if (p.connectDeadline != null) {
        p.connectDeadline.cancel(false);
      }
      return p;
    }
    return end(ref, null);
  }

  /** Takes every sent submission (the connection was lost). */
  List<Pending> takeSent() {
    List<Pending> all = new ArrayList<>(sentByRef.values());
    sentByRef.clear();
    sentByJob.clear();
    return all;
  }

  /** How many submissions are pending in all. */
  int size() {
    return unsent.size() + sentByRef.size();
  }
}

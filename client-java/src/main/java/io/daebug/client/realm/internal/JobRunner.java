package io.daebug.client.realm.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs jobs one at a time on a dedicated evaluation thread, in arrival order, and stops them on
 * timeout or cancel. {@link #submit}, {@link #cancel} and {@link #bind} never block (the socket reader
 * calls them); results and events leave through the callbacks.
 *
 * <p>Stopping: {@code JShell.stop()} is requested every {@value #STOP_RETRY_MS} ms until the job ends
 * (a single request can fall between two snippets, or land while the snippet is still compiling). A
 * job still running {@link #STOP_GRACE} after the first request ignores the stop (it catches
 * {@code ThreadDeath}, or blocks where a stop does not reach): it is answered at once, its thread is
 * abandoned with its JShell, and a fresh evaluation thread with a fresh JShell takes the queue over
 * (bindings are declared again; the old state is gone).
 */
final class JobRunner implements AutoCloseable {
  static final long STOP_RETRY_MS = 100;
  static final Duration STOP_GRACE = Duration.ofSeconds(3);
  private static final System.Logger LOG = System.getLogger(JobRunner.class.getName());

  /** Where a job's outcome goes. */
  @FunctionalInterface
  interface Results {
    /**
     * @param job the job id
     * @param epoch the connection the job arrived on
     */
    void result(String job, long epoch, Outcome outcome, double durationMs);
  }

  private final String realm;
  private final Duration maxJobTime;
  private final Supplier<Evaluator> evaluators;
  private final ConsoleCapture console;
  private final EventSink events;
  private final Results results;
  private final ScheduledExecutorService timer;
  private final ThreadGroup group;
  private final BlockingDeque<Task> queue = new LinkedBlockingDeque<>();
  /** Guards {@link #running} against {@link #cancel}, and {@link #cancelledInFlight}. */
  private final Object cancelLock = new Object();
  /**
   * Cancels that found their job neither running nor queued: it may be between the two (taken from
   * the queue, not started yet); the next job to start takes its entry, and clears the others (their
   * jobs had finished). Bounded.
   */
  private final Map<String, Stop> cancelledInFlight = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Stop> eldest) {
      return size() > 32;
    }
  };
  private volatile Running running;
  private volatile Worker worker;
  private volatile boolean closed;
  private int generation;

  private sealed interface Task permits RunJob, Declare, Shutdown {}

  private record RunJob(Protocol.Job job) implements Task {}

  private record Declare(String name) implements Task {}

  /**
   * Ends the worker that takes it. The worker is never interrupted: an interrupt inside javac or
   * JShell (file channels close on interrupt) can leave them broken.
   */
  private record Shutdown() implements Task {}

  /** Why a running job is being stopped. */
  private record Stop(String name, String message) {}

  /** The job on the evaluation thread; {@code answered} makes sure it gets exactly one result. */
  private static final class Running {
    final Protocol.Job job;
    final Worker worker;
    final long started = System.nanoTime();
    ScheduledFuture<?> timeout;
    Stop stop;
    boolean answered;

    Running(Protocol.Job job, Worker worker) {
      this.job = job;
      this.worker = worker;
    }
  }

  /**
   * Starts the first evaluation thread, which creates its JShell before taking jobs.
   *
   * @param realm the realm's private key
   * @param maxJobTime the cap on any job's time, and the timeout of a job without one
   * @param evaluators creates a JShell with the realm's bindings declared; called on the evaluation thread
   * @param group the thread group of evaluation threads
   */
  JobRunner(String realm, Duration maxJobTime, Supplier<Evaluator> evaluators, ConsoleCapture console,
      EventSink events, Results results, ScheduledExecutorService timer, ThreadGroup group) {
    this.realm = realm;
    this.maxJobTime = maxJobTime;
    this.evaluators = evaluators;
    this.console = console;
    this.events = events;
    this.results = results;
    this.timer = timer;
    this.group = group;
    startWorker();
  }

  /** Queues a job. */
  void submit(Protocol.Job job) {
    queue.add(new RunJob(job));
  }

  /** Queues the (re)declaration of a binding, so jobs queued later see it. */
  void bind(String name) {
    queue.add(new Declare(name));
  }

  /** The id of the job being evaluated, or null. */
  String activeJob() {
    Running r = running;
    return r == null ? null : r.job.id();
  }

  /**
   * Stops job {@code id}: the running one is stopped, a queued one is answered without running; an
   * unknown or finished one is ignored.
   */
  void cancel(String id, String reason) {
    Stop stop = new Stop("Cancelled", "job stopped by the realm: "
        + (reason == null ? "cancelled by the broker" : reason));
    Running r;
    Protocol.Job queued = null;
    synchronized (cancelLock) {
      r = running;
      if (r == null || !r.job.id().equals(id)) {
        r = null;
        for (Task t : queue) {
          if (t instanceof RunJob j && j.job().id().equals(id) && queue.remove(t)) {
            queued = j.job();
            break;
          }
        }
        if (queued == null) {
          cancelledInFlight.put(id, stop);
        }
      }
    }
    if (r != null) {
      stop(r, stop);
    } else if (queued != null) {
      results.result(id, queued.epoch(), Outcome.failure(stop.name(), stop.message(), null), 0);
    }
  }

  @Override
  public void close() {
    closed = true;
    Running r = running;
    if (r != null && r.worker.evaluator() != null) {
      r.worker.evaluator().stop();
    }
    queue.addFirst(new Shutdown());
  }

  /** Schedules on the realm's timer; returns null (and does nothing) once the realm closed it. */
  private ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    try {
      return timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private synchronized void startWorker() {
    generation++;
    Worker w = new Worker("daebug-realm-eval" + (generation == 1 ? "" : "-" + generation));
    worker = w;
    w.thread.start();
  }

  private void runJob(Worker w, Protocol.Job job) {
    if (w.startFailure != null) {
      results.result(job.id(), job.epoch(),
          Outcome.failure("InternalError", "JShell could not start in this JVM: " + w.startFailure, null), 0);
      return;
    }
    if (job.language() != null && !job.language().equalsIgnoreCase("java")) {
      results.result(job.id(), job.epoch(),
          Outcome.failure("Error", "this realm runs java, not " + job.language(), null), 0);
      return;
    }
    Running r = new Running(job, w);
    long cap = maxJobTime.toMillis();
    long timeoutMs = job.timeoutMs() > 0 ? Math.min(job.timeoutMs(), cap) : cap;
    Stop timeout = new Stop("Timeout", "job stopped by the realm after " + timeoutMs + "ms ("
        + (job.timeoutMs() > 0 && job.timeoutMs() <= cap ? "its timeout" : "the realm's maxJobTime") + ")");
    Stop cancelledEarly;
    synchronized (cancelLock) {
      running = r;
      cancelledEarly = cancelledInFlight.remove(job.id());
      cancelledInFlight.clear(); // the others were for jobs that had already finished
    }
    if (cancelledEarly != null) {
      stop(r, cancelledEarly);
    }
    r.timeout = schedule(() -> stop(r, timeout), timeoutMs);
    console.begin(job.id());
    JobScope.enter(new JobScope(realm, job.id()));
    Outcome outcome;
    try {
      outcome = w.evaluator.eval(job.code(), warning -> events.event(job.id(), "warn",
          System.currentTimeMillis(), warning));
    } catch (RuntimeException | LinkageError e) {
      outcome = Outcome.failure("InternalError", "JShell failed: " + e, null);
    } finally {
      JobScope.leave();
      console.end(job.id());
      if (r.timeout != null) {
        r.timeout.cancel(false);
      }
    }
    Stop stop;
    synchronized (r) {
      stop = r.stop;
    }
    answer(r, outcome != null ? outcome : stop != null ? Outcome.failure(stop.name(), stop.message(), null)
        : Outcome.failure("Stopped", "job stopped", null));
  }

  /** Sends the job's one result, unless it was already answered; frees the realm for the next job. */
  private void answer(Running r, Outcome outcome) {
    synchronized (r) {
      if (r.answered) {
        return;
      }
      r.answered = true;
    }
    synchronized (cancelLock) {
      if (running == r) {
        running = null;
      }
    }
    results.result(r.job.id(), r.job.epoch(), outcome, (System.nanoTime() - r.started) / 1e6);
  }

  private void stop(Running r, Stop why) {
    synchronized (r) {
      if (r.stop != null || r.answered) {
        return;
      }
      r.stop = why;
    }
    LOG.log(System.Logger.Level.INFO, "daebug realm: stopping job {0}: {1}", r.job.id(), why.message());
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    Runnable[] again = new Runnable[1];
    again[0] = () -> {
      synchronized (r) {
        if (r.answered) {
          return;
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        abandon(r, why);
        return;
      }
      Evaluator evaluator = r.worker.evaluator();
      if (evaluator != null) {
        evaluator.stop();
      }
      schedule(again[0], STOP_RETRY_MS);
    };
    again[0].run();
  }

  /** The job ignores the stop: answer it and carry on with a fresh evaluation thread and JShell. */
  private void abandon(Running r, Stop why) {
    synchronized (r) {
      if (r.answered) {
        return;
      }
    }
    r.worker.abandoned = true;
    console.end(r.job.id());
    String lost = " The snippet did not stop within " + STOP_GRACE.toMillis() + "ms of being asked: its thread"
        + " is left running, and a fresh JShell takes over; earlier variables, methods and classes are gone"
        + " (bound objects are declared again).";
    answer(r, Outcome.failure(why.name(), why.message() + "." + lost, null));
    events.event(null, "warn", System.currentTimeMillis(), "daebug: job " + r.job.id() + " ignored the stop." + lost);
    if (!closed) {
      startWorker();
    }
  }

  /** An evaluation thread with its JShell; a new one replaces an abandoned one. */
  private final class Worker implements Runnable {
    final Thread thread;
    volatile boolean abandoned;
    volatile Throwable startFailure;
    private volatile Evaluator evaluator;

    Worker(String name) {
      this.thread = new Thread(group, this, name);
      thread.setDaemon(true);
    }

    /** The worker's JShell, or null before it started (or when it could not). */
    Evaluator evaluator() {
      return evaluator;
    }

    @Override
    public void run() {
      try {
        evaluator = evaluators.get();
      } catch (RuntimeException | Error e) {
        startFailure = e;
        if (!closed) {
          LOG.log(System.Logger.Level.WARNING, "daebug realm: JShell could not start: " + e, e);
        }
      }
      try {
        while (!closed && !abandoned) {
          Task task = queue.take();
          if (task instanceof Shutdown) {
            break;
          } else if (task instanceof RunJob j) {
            runJob(this, j.job());
          } else if (task instanceof Declare d && evaluator != null) {
            evaluator.declareBinding(realm, d.name(), Bindings.get(realm, d.name()));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (evaluator != null) {
          evaluator.close();
        }
      }
    }
  }
}

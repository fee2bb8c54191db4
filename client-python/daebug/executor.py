"""Runs jobs one at a time on a worker thread and stops them on request.

Jobs run on a worker thread (``daebug-job-N``), never on the realm's own event loop, so the connection
keeps serving while a job loops. :meth:`Executor.stop` raises :class:`~daebug.evaluate.Cancelled` or
:class:`~daebug.evaluate.Timeout` in the worker thread (``PyThreadState_SetAsyncExc``); an awaiting job's
task is cancelled first. A thread blocked in a C call (``time.sleep``, a socket read) sees the exception
only when the call returns: the executor then marks that worker abandoned, runs the next job on a fresh
thread, and reports the stopped job's result when its call returns.

Locking: ``Executor._lock`` guards which worker is current and whether a job finished; a stop is raised
under it, and the job thread takes it to mark its job finished and then clears a stop that came too late.
"""

from __future__ import annotations

import asyncio
import ctypes
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from . import values
from .evaluate import Cancelled, Stopped, Timeout, error_info, run_cell

#: Seconds an awaiting job gets to end after its task was cancelled, before it is interrupted.
CANCEL_GRACE_S = 0.5
#: Seconds past its timeout after which the realm stops a job: the broker's own timeout, measured from the
#: dispatch, fires first and writes the canonical ``job timed out after Nms`` reply.
TIMEOUT_MARGIN_S = 0.25
#: Seconds a stopped job gets to end before it counts as stuck in a C call.
STUCK_AFTER_S = 1.0


@dataclass
class Job:
    """A job as the executor sees it. ``done`` is called once, on the worker thread, with the result message."""

    id: str
    code: str
    timeout_s: float | None
    done: Callable[[dict], None]
    started: float = 0.0
    stop_requested: tuple[type[Stopped], str] | None = None
    finished: bool = False
    stuck_reported: bool = False


@dataclass
class Worker:
    """A thread that runs jobs one after another, with its own asyncio loop for ``await``."""

    executor: "Executor"
    number: int
    jobs: list[Job] = field(default_factory=list)
    current: Job | None = None
    abandoned: bool = False
    task: asyncio.Task | None = None
    stop_reason: tuple[type[Stopped], str] | None = None
    loop: asyncio.AbstractEventLoop | None = None
    thread: threading.Thread | None = None
    wake: threading.Condition = field(default_factory=threading.Condition)

    def event_loop(self) -> asyncio.AbstractEventLoop:
        if self.loop is None or self.loop.is_closed():
            self.loop = asyncio.new_event_loop()
            self.loop.set_exception_handler(self.executor.on_loop_exception)
        return self.loop


class Executor:
    """Runs jobs in ``namespace`` on worker threads; see the module doc for stopping.

    Thread safety: :meth:`submit` and :meth:`stop` may be called from any thread.
    """

    def __init__(
        self,
        namespace: dict,
        job_started: Callable[[str | None], None] = lambda _id: None,
        warn: Callable[[str], None] = lambda _text: None,
        loop_exception: Callable[[asyncio.AbstractEventLoop, dict], None] | None = None,
    ) -> None:
        self.namespace = namespace
        self._job_started = job_started
        self._warn = warn
        self._loop_exception = loop_exception
        self._lock = threading.Lock()
        self._workers = 0
        self._worker: Worker | None = None
        self._closed = False

    def submit(self, job_id: str, code: str, timeout_ms: float | None, done: Callable[[dict], None]) -> Job:
        """Queues a job; ``done(result)`` is called on the worker thread when it ends."""
        timeout_s = timeout_ms / 1000.0 if timeout_ms and timeout_ms > 0 else None
        job = Job(job_id, code, timeout_s, done)
        with self._lock:
            if self._closed:
                _later(0, done, {"ok": False, "durationMs": 0.0,
                                 "error": {"name": "Error", "message": "the realm is closed", "stack": ""}})
                return job
            worker = self._worker
            if worker is None or worker.abandoned:
                worker = self._new_worker()
            with worker.wake:
                worker.jobs.append(job)
                worker.wake.notify()
        return job

    def stop(self, job_id: str, kind: type[Stopped], message: str) -> bool:
        """Stops job ``job_id`` if it runs or waits; returns whether it was found."""
        with self._lock:
            worker = self._find(job_id)
            if worker is None:
                return False
            with worker.wake:
                queued = next((j for j in worker.jobs if j.id == job_id), None)
                if queued is not None:
                    worker.jobs.remove(queued)
            if queued is not None:
                threading.Thread(target=self._answer_unrun, args=(queued, kind, message), daemon=True).start()
                return True
            job = worker.current
            if job is None or job.id != job_id or job.finished or job.stop_requested:
                return job is not None and job.id == job_id
            job.stop_requested = (kind, message)
            worker.stop_reason = (kind, message)
            task, loop = worker.task, worker.loop
        if task is not None and loop is not None:
            loop.call_soon_threadsafe(task.cancel)
            _later(CANCEL_GRACE_S, self._interrupt, worker, job)
        else:
            self._interrupt(worker, job)
        return True

    def close(self) -> None:
        """Stops accepting jobs; idle workers end (a running job runs on: threads cannot be killed)."""
        with self._lock:
            self._closed = True
            worker, self._worker = self._worker, None
        if worker is not None:
            with worker.wake:
                worker.abandoned = True
                worker.wake.notify()

    # -- worker side -------------------------------------------------------------------------------------------

    def _new_worker(self) -> Worker:
        self._workers += 1
        worker = Worker(self, self._workers)
        worker.thread = threading.Thread(target=self._serve, args=(worker,), name=f"daebug-job-{worker.number}",
                                         daemon=True)
        self._worker = worker
        worker.thread.start()
        return worker

    def _find(self, job_id: str) -> Worker | None:
        worker = self._worker
        if worker is not None and (any(j.id == job_id for j in worker.jobs)
                                   or (worker.current is not None and worker.current.id == job_id)):
            return worker
        return None

    def _serve(self, worker: Worker) -> None:
        while True:
            with worker.wake:
                while not worker.jobs and not worker.abandoned:
                    worker.wake.wait()
                if not worker.jobs:
                    break
                job = worker.jobs.pop(0)
                worker.current = job
                worker.stop_reason = None
            self._run(worker, job)
            with worker.wake:
                worker.current = None
                if worker.abandoned and not worker.jobs:
                    break
        if worker.loop is not None:
            try:
                worker.loop.close()
            except Exception:  # noqa: BLE001 - a loop a job left running tasks on
                pass

    def on_loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        """The exception handler of the job threads' loops: asyncio's unhandled exceptions of jobs' tasks."""
        if self._loop_exception is not None:
            self._loop_exception(loop, context)
        else:
            loop.default_exception_handler(context)

    def _run(self, worker: Worker, job: Job) -> None:
        tid = threading.get_ident()
        timer = None
        if job.timeout_s is not None:
            timer = threading.Timer(job.timeout_s + TIMEOUT_MARGIN_S, self.stop,
                                    args=(job.id, Timeout, f"job stopped by the realm after {round(job.timeout_s * 1000)}ms"))
            timer.daemon = True
        result: dict[str, Any]
        try:
            try:
                self._job_started(job.id)
                job.started = time.perf_counter()
                if timer is not None:
                    timer.start()
                value = run_cell(job.code, self.namespace, f"<job {job.id}>", worker)
                result = {"ok": True, "value": values.encode(value)}
            except Stopped as e:
                result = self._stopped(job, e)
            except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt of a job are its errors
                if job.stop_requested and isinstance(e, asyncio.CancelledError):
                    result = self._stopped(job, job.stop_requested[0]())
                else:
                    _remember_last(e)
                    result = {"ok": False, "error": error_info(e)}
        except Stopped as e:  # a stop that landed while the result was being made
            result = self._stopped(job, e)
        self._finish(job, tid, timer)
        result["durationMs"] = round((time.perf_counter() - job.started) * 1000, 1)
        self._job_started(None)
        try:
            job.done(result)
        except Exception as e:  # noqa: BLE001
            self._warn(f"daebug: could not send the result of {job.id}: {values.describe(e)}")

    def _stopped(self, job: Job, e: BaseException) -> dict:
        kind, message = job.stop_requested or (type(e), "job stopped")
        if job.stuck_reported:
            message += f" when its blocking call returned, {time.perf_counter() - job.started:.1f}s after it started"
        return {"ok": False, "error": error_info(e, message, _stop_name(kind))}

    def _finish(self, job: Job, tid: int, timer: threading.Timer | None) -> None:
        while True:
            try:
                if timer is not None:
                    timer.cancel()
                with self._lock:
                    job.finished = True
                _set_async_exc(tid, None)  # drops a stop that came after the job ended
                return
            except Stopped:
                continue

    def _interrupt(self, worker: Worker, job: Job) -> None:
        with self._lock:
            if job.finished or worker.thread is None:
                return
            kind = job.stop_requested[0] if job.stop_requested else Cancelled
            _set_async_exc(worker.thread.ident, kind)
        _later(STUCK_AFTER_S, self._check_stuck, worker, job)

    def _check_stuck(self, worker: Worker, job: Job) -> None:
        with self._lock:
            if job.finished:
                return
            job.stuck_reported = True
            with worker.wake:
                worker.abandoned = True
                worker.wake.notify()
            if self._worker is worker:
                self._worker = None
        self._warn(
            f"daebug: job {job.id} is in a call Python cannot interrupt (a blocking C call such as time.sleep, "
            "a socket read or a lock); it stops when that call returns. The next job runs on a new thread.")

    def _answer_unrun(self, job: Job, kind: type[Stopped], message: str) -> None:
        job.done({"ok": False, "error": {"name": _stop_name(kind), "message": message + " (before it started)", "stack": ""},
                  "durationMs": 0.0})


def _stop_name(kind: type[BaseException]) -> str:
    return "Cancelled" if issubclass(kind, Cancelled) else "Timeout"


def _later(seconds: float, fn: Callable[..., None], *args: Any) -> None:
    timer = threading.Timer(seconds, fn, args=args)
    timer.daemon = True
    timer.start()


def _set_async_exc(tid: int | None, exc: type[BaseException] | None) -> None:
    if tid is None:
        return
    obj = ctypes.py_object(exc) if exc is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), obj)


def _remember_last(e: BaseException) -> None:
    """``sys.last_value`` and friends, so ``pdb.pm()`` in the next job examines this error."""
    sys.last_type, sys.last_value, sys.last_traceback = type(e), e, e.__traceback__

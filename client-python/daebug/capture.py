"""What a Python realm records, and how: output, log records, warnings and uncaught exceptions.

Everything stays where the program sent it as well (capture, never swallow): ``sys.stdout`` and
``sys.stderr`` are replaced by tees that write through to the original streams, the original
``warnings.showwarning`` and exception hooks are still called, and log records reach the program's
handlers as before. Records are seen in ``logging.Logger.callHandlers``, which is wrapped, rather than
by a handler on the root logger: a root handler would make a later ``logging.basicConfig()`` of the
program do nothing, and would stop ``logging.lastResort`` from printing records nobody handles.

=========================================  ============================================
source                                     event ``kind``
=========================================  ============================================
``print``, ``sys.stdout.write``            ``log`` (one event per completed line or run of lines)
``sys.stderr.write``                       ``error``
``logging`` record                         ``debug``, ``info``, ``warn`` (WARNING), ``error`` (ERROR, CRITICAL)
``warnings.warn``                          ``warn``
uncaught exception in a thread             ``threading.excepthook``
uncaught exception in the main thread      ``sys.excepthook``
asyncio's unhandled exceptions             ``asyncio``
=========================================  ============================================

An event written by the thread running a job belongs to that job; anything else (other threads,
output between jobs) is a background event. Output of the realm's own threads is never recorded.
The hooks are process-wide: :func:`install` is reference-counted per sink.
"""

from __future__ import annotations

import io
import logging
import sys
import threading
import time
import traceback
import warnings
from typing import Any, Callable

#: An event's text is cut to this many characters.
MAX_EVENT_CHARS = 256 * 1024
#: A line still growing past this many characters is sent as it is.
MAX_PENDING_CHARS = 64 * 1024

_LEVELS = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warn"}

Sink = Callable[[dict], None]


def level_kind(levelno: int) -> str:
    """The event kind of a log level: below INFO ``debug``, below WARNING ``info``, below ERROR ``warn``, else ``error``."""
    if levelno < logging.INFO:
        return "debug"
    if levelno < logging.WARNING:
        return "info"
    if levelno < logging.ERROR:
        return "warn"
    return "error"


class Capture:
    """Process-wide hooks delivering events to one sink: ``sink({"kind", "time", "text", "job"?})``.

    The sink is called on the thread that produced the event and must not block.
    """

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._local = threading.local()
        self._pending: dict[tuple[int, str], str] = {}
        self._pending_lock = threading.Lock()
        self.ignored_threads: set[int] = set()
        self._installed = False
        self._saved: dict[str, Any] = {}
        self._call_handlers: Any = None

    # -- the job of the current thread -------------------------------------------------------------------------

    def job_started(self, job_id: str | None) -> None:
        """Called by the executor on the job's thread: ``job_id`` when a job starts, None when it ends
        (then the thread's unfinished lines are sent, still as the job's)."""
        if job_id is None:
            self.flush_thread()
        self._local.job = job_id

    def current_job(self) -> str | None:
        return getattr(self._local, "job", None)

    # -- installing ------------------------------------------------------------------------------------------

    def install(self) -> None:
        """Puts the tees and hooks in place; idempotent."""
        if self._installed:
            return
        self._installed = True
        self._saved = {
            "stdout": sys.stdout, "stderr": sys.stderr, "showwarning": warnings.showwarning,
            "threading": threading.excepthook, "sys": sys.excepthook,
        }
        if sys.stdout is not None:
            sys.stdout = _Tee(sys.stdout, "log", self)
        if sys.stderr is not None:
            sys.stderr = _Tee(sys.stderr, "error", self)
        warnings.showwarning = self._showwarning
        threading.excepthook = self._threading_hook
        sys.excepthook = self._sys_hook
        self._call_handlers = _wrap_call_handlers(self)
        logging.Logger.callHandlers = self._call_handlers  # type: ignore[method-assign]

    def uninstall(self) -> None:
        """Puts back what :meth:`install` replaced (unless someone replaced it again since); idempotent."""
        if not self._installed:
            return
        self._installed = False
        self.flush_all()
        if self._call_handlers is not None and logging.Logger.callHandlers is self._call_handlers:
            logging.Logger.callHandlers = self._call_handlers.original  # type: ignore[method-assign]
        if isinstance(sys.stdout, _Tee) and sys.stdout._capture is self:
            sys.stdout = self._saved["stdout"]
        if isinstance(sys.stderr, _Tee) and sys.stderr._capture is self:
            sys.stderr = self._saved["stderr"]
        if warnings.showwarning == self._showwarning:
            warnings.showwarning = self._saved["showwarning"]
        if threading.excepthook == self._threading_hook:
            threading.excepthook = self._saved["threading"]
        if sys.excepthook == self._sys_hook:
            sys.excepthook = self._saved["sys"]

    @property
    def real_stderr(self) -> Any:
        """The stderr the program had before :meth:`install`: writing there is never recorded."""
        return self._saved.get("stderr", sys.stderr) or sys.__stderr__

    # -- recording -------------------------------------------------------------------------------------------

    def record(self, kind: str, text: str, job: str | None = None, *, any_thread: bool = False) -> None:
        """Sends one event, unless recording is suppressed on this thread or the thread is the realm's own."""
        if getattr(self._local, "busy", False):
            return
        if not any_thread and threading.get_ident() in self.ignored_threads:
            return
        if len(text) > MAX_EVENT_CHARS:
            text = text[:MAX_EVENT_CHARS] + f"... ({len(text) - MAX_EVENT_CHARS} more characters)"
        ev: dict[str, Any] = {"kind": kind, "time": int(time.time() * 1000), "text": text}
        job = job if job is not None else self.current_job()
        if job is not None:
            ev["job"] = job
        self._local.busy = True
        try:
            self._sink(ev)
        except Exception:  # noqa: BLE001 - a sink never breaks the program's output
            pass
        finally:
            self._local.busy = False

    def quietly(self) -> "_Quiet":
        """A context in which this thread's output and records are not recorded."""
        return _Quiet(self._local)

    def write(self, kind: str, s: str) -> None:
        """Output written to a tee: text up to a write that ends a line is one event (``print("a\\nb")`` too);
        a partial line waits for the rest."""
        if not s or getattr(self._local, "busy", False) or threading.get_ident() in self.ignored_threads:
            return
        key = (threading.get_ident(), kind)
        with self._pending_lock:
            text = self._pending.pop(key, "") + s
            if not text.endswith("\n") and len(text) <= MAX_PENDING_CHARS:
                self._pending[key] = text  # one print() is one event: wait for the write that ends it
                return
            done = text[:-1] if text.endswith("\n") else text
        self.record(kind, done)

    def flush_thread(self) -> None:
        """Sends this thread's unfinished lines."""
        ident = threading.get_ident()
        with self._pending_lock:
            keys = [k for k in self._pending if k[0] == ident]
            parts = [(k[1], self._pending.pop(k)) for k in keys]
        for kind, text in parts:
            self.record(kind, text)

    def flush_all(self) -> None:
        """Sends every thread's unfinished lines (as background events)."""
        with self._pending_lock:
            parts = [(k[1], v) for k, v in self._pending.items()]
            self._pending.clear()
        for kind, text in parts:
            self.record(kind, text, any_thread=True)

    # -- hooks -----------------------------------------------------------------------------------------------

    def _showwarning(self, message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                     line: str | None = None) -> None:
        try:
            text = warnings.formatwarning(message, category, filename, lineno, line).rstrip("\n")
        except Exception:  # noqa: BLE001
            text = f"{getattr(category, '__name__', 'Warning')}: {message}"
        self.record("warn", text)
        with self.quietly():
            self._saved["showwarning"](message, category, filename, lineno, file, line)

    def _threading_hook(self, args: Any) -> None:
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else "<unknown>"
            stack = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
            self.record("threading.excepthook", f"Exception in thread {name}:\n{stack.rstrip()}", any_thread=True)
        with self.quietly():
            self._saved["threading"](args)

    def _sys_hook(self, exc_type: Any, value: Any, tb: Any) -> None:
        stack = "".join(traceback.format_exception(exc_type, value, tb))
        self.record("sys.excepthook", stack.rstrip(), any_thread=True)
        with self.quietly():
            self._saved["sys"](exc_type, value, tb)

    def loop_exception(self, loop: Any, context: dict) -> None:
        """An asyncio exception handler: records the context and calls the loop's default handler."""
        self.record("asyncio", context_text(context), any_thread=True)
        with self.quietly():
            loop.default_exception_handler(context)


class _Quiet:
    def __init__(self, local: threading.local) -> None:
        self._local = local
        self._was = False

    def __enter__(self) -> None:
        self._was = getattr(self._local, "busy", False)
        self._local.busy = True

    def __exit__(self, *exc: object) -> None:
        self._local.busy = self._was


class _Tee(io.TextIOBase):
    """A text stream writing through to the original one and recording what was written."""

    def __init__(self, real: Any, kind: str, capture: Capture) -> None:
        super().__init__()
        self._real = real
        self._kind = kind
        self._capture = capture

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        try:
            self._real.write(s)
        except Exception:  # noqa: BLE001 - a closed terminal must not break the program or the capture
            pass
        self._capture.write(self._kind, s)
        return len(s)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._real.flush()
        except Exception:  # noqa: BLE001
            pass

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return bool(self._real.isatty())
        except Exception:  # noqa: BLE001
            return False

    def fileno(self) -> int:
        return self._real.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._real, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._real, "errors", None)

    def __getattr__(self, name: str) -> Any:  # buffer, mode, name, line_buffering ...
        return getattr(self._real, name)


_FORMAT = logging.Formatter(logging.BASIC_FORMAT)


def log_text(record: logging.LogRecord) -> str:
    """A record as ``LEVEL:logger:message`` (``logging.BASIC_FORMAT``), with the traceback of ``exc_info``."""
    try:
        return _FORMAT.format(record)
    except Exception:  # noqa: BLE001 - a message whose arguments do not fit its format
        return f"{record.levelname}:{record.name}:{record.msg!r} % {record.args!r}"


def _wrap_call_handlers(capture: Capture) -> Any:
    """``Logger.callHandlers`` recording each record that passed the logger's level and filters, then handing it
    to the program's handlers as before; their output (to the tees) is not recorded a second time."""
    original = logging.Logger.callHandlers

    def call_handlers(self: logging.Logger, record: logging.LogRecord) -> None:
        capture.record(level_kind(record.levelno), log_text(record))
        with capture.quietly():
            original(self, record)

    call_handlers.original = original  # type: ignore[attr-defined]
    return call_handlers


def context_text(context: dict) -> str:
    """The text of an asyncio exception handler's context: its message and the exception's traceback."""
    text = str(context.get("message") or "Unhandled exception in event loop")
    exc = context.get("exception")
    if exc is not None:
        text += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    return text

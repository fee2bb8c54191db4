"""A Python process as a Daebug realm: the realm side of the wire protocol (docs/protocol.md).

The realm says ``hello`` (kind ``python``, language ``python``, url ``python://<host>/<pid> <argv0>``
and a random ``tab`` kept for its lifetime) first on every connection, under the name the broker
last gave it, so a reconnect within the broker's grace period resumes the same realm and log.
``job`` messages go to the :class:`~daebug.executor.Executor`; each gets exactly one ``result``.
``cancel`` stops the job (see executor.py). Events recorded by :mod:`daebug.capture` are sent as
``event`` messages; while disconnected they wait in the connection's outbox and go out once, after
the next ``hello``. Unknown message types are ignored.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import ssl
import sys
import threading
import types
from typing import Callable

from . import capture as capture_mod
from . import evaluate
from .executor import Executor
from .connection import Connection, Options
from .urls import realm_url

#: Results larger than this are replaced by a note (the broker refuses frames over 1 MiB by default).
MAX_FRAME_BYTES = 1_000_000


def new_tab_id() -> str:
    """A random id that identifies this realm across its reconnects."""
    return secrets.token_hex(5)


def default_url() -> str:
    """``python://<host>/<pid> <argv0>``: where the realm lives, for the registry."""
    argv0 = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "python"
    if argv0 in ("__main__.py", "-m", "-c"):
        argv0 = "python -m daebug" if argv0 != "-c" else "python -c"
    return f"python://{socket.gethostname()}/{os.getpid()} {argv0}"


def ssl_context(endpoint: str, ca: str | None) -> ssl.SSLContext | None:
    """The TLS context for a ``wss://`` endpoint (None for ``ws://``): certificates and host names verified against
    the system's CAs, plus the PEM certificates in file ``ca``."""
    if not endpoint.startswith("wss:"):
        return None
    ctx = ssl.create_default_context()
    if ca is not None:
        ctx.load_verify_locations(cafile=ca)
    return ctx


class Realm:
    """One realm: its identity, its connection, its executor and its capture.

    Runs on an asyncio loop: :meth:`run` on the caller's (the standalone realm), or :meth:`start_thread`
    on a loop of its own in a daemon thread (an attached realm). :attr:`name` is the broker's name
    once welcomed; :attr:`ready` is set at the first welcome.
    """

    def __init__(self, broker: str, name: str | None = None, *, token: str | None = None, ca: str | None = None,
                 namespace: dict | None = None, kind: str = "python", options: Options = Options(),
                 warn: Callable[[str], None] | None = None) -> None:
        self.name = name or f"python-{os.getpid()}"
        self.tab = new_tab_id()
        self.kind = kind
        self.url = default_url()
        self.endpoint = realm_url(broker, token)
        self.log: str | None = None
        self.ready = threading.Event()
        self.namespace = namespace if namespace is not None else main_namespace()
        self._ca = ca
        self._options = options
        self._warn_fn = warn
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = threading.Event()
        self.capture = capture_mod.Capture(self._on_event)
        self.executor = Executor(self.namespace, job_started=self.capture.job_started, warn=self._background_warn,
                                 loop_exception=self.capture.loop_exception)
        self.connection: Connection | None = None

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start_thread(self) -> "Realm":
        """Runs the realm on a daemon thread with its own event loop; returns at once."""
        started = threading.Event()

        def main() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self.capture.ignored_threads.add(threading.get_ident())
            try:
                loop.run_until_complete(self._serve(started))
            finally:
                loop.close()

        self._thread = threading.Thread(target=main, name="daebug-realm", daemon=True)
        self._thread.start()
        started.wait(5)
        return self

    async def run(self) -> None:
        """Runs the realm on the current loop until :meth:`stop` (or the task is cancelled)."""
        self._loop = asyncio.get_running_loop()
        self.capture.ignored_threads.add(threading.get_ident())
        await self._serve(None)

    async def _serve(self, started: threading.Event | None) -> None:
        ctx = ssl_context(self.endpoint, self._ca)
        self.connection = Connection(self.endpoint, self._hello, self._on_frame, ssl_context=ctx,
                                     options=self._options, on_state=self._on_state, warn=self.warn)
        self.capture.install()
        task = self.connection.start()
        self._stop_event = asyncio.Event()
        if started is not None:
            started.set()
        try:
            await self._stop_event.wait()
        finally:
            self.capture.uninstall()
            self.executor.close()
            await self.connection.close(1000, "realm closed")
            task.cancel()
            self._stopped.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Leaves the broker for good and puts the program's streams and hooks back. Idempotent; any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(lambda: getattr(self, "_stop_event", None) and self._stop_event.set())
        except RuntimeError:
            return
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def connected(self) -> bool:
        return self.connection is not None and self.connection.connected

    # -- protocol --------------------------------------------------------------------------------------------

    def _hello(self) -> str:
        return _dumps({"type": "hello", "name": self.name, "kind": self.kind, "url": self.url,
                       "language": "python", "tab": self.tab, "protocol": 1})

    def _on_frame(self, frame: str) -> None:
        try:
            message = json.loads(frame)
        except ValueError:
            self.warn("daebug: ignoring a frame that is not JSON")
            return
        if not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "welcome":
            if isinstance(message.get("name"), str) and message["name"]:
                self.name = message["name"]
            if isinstance(message.get("log"), str):
                self.log = message["log"]
            first = not self.ready.is_set()
            self.ready.set()
            if first or self._lost:
                self.warn(f"daebug: connected as {self.name}; append Python to {self.log or f'daebug/{self.name}.md'}")
            self._lost = False
        elif kind == "job":
            self._job(message)
        elif kind == "cancel":
            if not message.get("realm"):
                reason = message.get("reason") or "cancelled"
                self.executor.stop(str(message.get("id")), evaluate.Cancelled, f"job stopped by the realm: {reason}")
        elif kind == "error":
            self.warn(f"daebug: broker error {message.get('code')}: {message.get('message')}")

    _lost = False

    def _on_state(self, state: str, reason: str | None) -> None:
        if state == "closed" and not self._lost:
            self._lost = True
            if self.ready.is_set():
                self.warn(f"daebug: disconnected ({reason}); reconnecting")
            else:
                self.warn(f"daebug: cannot connect ({reason}); retrying")

    def _job(self, message: dict) -> None:
        job_id = str(message.get("id"))
        language = message.get("language")
        if language not in (None, "python"):
            self._send({"type": "result", "id": job_id, "ok": False, "durationMs": 0.0,
                        "error": {"name": "Error", "message": f"this realm runs python, not {language}", "stack": ""}})
            return
        code = message.get("code")
        timeout = message.get("timeoutMs")
        self.executor.submit(job_id, code if isinstance(code, str) else "",
                             timeout if isinstance(timeout, (int, float)) else None,
                             lambda result: self._send_threadsafe(_result_message(job_id, result)))

    def _send(self, message: dict) -> None:
        if self.connection is not None:
            self.connection.send(_dumps(message))

    def _send_threadsafe(self, message: dict) -> None:
        if self.connection is not None:
            self.connection.send_threadsafe(_dumps(message))

    def _on_event(self, ev: dict) -> None:
        ev = {"type": "event", **ev}
        self._send_threadsafe(ev)

    def _background_warn(self, text: str) -> None:
        """A note of the realm about a job (a stop that cannot land yet): to stderr and as a background event."""
        self.warn(text)
        self.capture.record("warn", text, job=None, any_thread=True)

    def warn(self, text: str) -> None:
        """The realm's own diagnostics: to the program's original stderr, never recorded."""
        if self._warn_fn is not None:
            self._warn_fn(text)
            return
        try:
            stream = self.capture.real_stderr
            stream.write(text + "\n")
            stream.flush()
        except Exception:  # noqa: BLE001
            pass


def _result_message(job_id: str, result: dict) -> dict:
    message = {"type": "result", "id": job_id, **result}
    return message


def _dumps(message: dict) -> str:
    """The frame of a message. ASCII-only JSON: a Python str may hold lone surrogates, which UTF-8 cannot."""
    try:
        text = json.dumps(message, allow_nan=False, separators=(",", ":"))
    except (ValueError, TypeError) as e:
        message = {**message, "value": {"$daebug": "unreadable", "repr": f"[not encodable as JSON: {e}]"}}
        text = json.dumps(message, allow_nan=False, separators=(",", ":"), default=repr)
    if message.get("type") == "result" and len(text) > MAX_FRAME_BYTES:
        message = {**message, "value": {"$daebug": "truncated",
                                        "repr": f"[result over {MAX_FRAME_BYTES} bytes: not sent]"}}
        text = json.dumps(message, separators=(",", ":"))
    return text


def main_namespace() -> dict:
    """A fresh ``__main__`` module's globals, installed as ``sys.modules['__main__']`` (the standalone realm's
    namespace: classes and functions defined by jobs pickle and introspect as in the interactive interpreter)."""
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    return module.__dict__

"""A reconnecting WebSocket with backoff, jitter and a bounded outbox (client-js ``socket.js`` in asyncio).

It knows nothing about Daebug's messages: :class:`Connection` sends a greeting built by the caller
first on every connection, then the frames that waited in the outbox, then frames as they are sent,
and hands every received text frame to the caller. All methods but :meth:`Connection.send_threadsafe`
run on the connection's event loop.
"""

from __future__ import annotations

import asyncio
import collections
import random
import ssl
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

try:
    import websockets
    import websockets.exceptions
except ImportError as e:  # pragma: no cover - depends on the interpreter
    raise ImportError(
        "daebug needs the websockets package (10.4 or newer) in this Python: apt-get install python3-websockets "
        "for Debian's /usr/bin/python3, or pip install websockets") from e


@dataclass(frozen=True)
class Options:
    """Reconnection settings; the defaults are client-js ``DEFAULTS``. Delays in seconds."""

    min_delay: float = 0.25  #: first retry delay
    max_delay: float = 10.0  #: cap of the retry delay
    grow_factor: float = 1.5  #: delay multiplier per failed attempt
    jitter: float = 0.3  #: +/- fraction of random spread applied to each delay
    min_uptime: float = 5.0  #: a connection open this long resets the retry count
    connect_timeout: float = 4.0  #: an attempt not open by then is abandoned and retried
    max_queued: int = 1000  #: frames kept while disconnected; the oldest are dropped beyond
    max_size: int = 16 * 1024 * 1024  #: largest frame accepted from the broker


def delay_for(retry_count: int, options: Options, rnd: Callable[[], float] = random.random) -> float:
    """Seconds to wait before attempt number ``retry_count`` (0 = at once): exponential, capped, with jitter."""
    if retry_count <= 0:
        return 0.0
    base = min(options.max_delay, options.min_delay * options.grow_factor ** (retry_count - 1))
    spread = 1 + options.jitter * (2 * rnd() - 1)
    return max(0.0, min(options.max_delay, base * spread))


class Connection:
    """Keeps a WebSocket to ``url`` open until :meth:`close`.

    :param greeting: builds the first frame of every connection (the realm's ``hello``)
    :param on_frame: called with each text frame received
    :param on_state: called with ``("open", None)`` and ``("closed", reason)`` as connections come and go
    """

    def __init__(self, url: str, greeting: Callable[[], str], on_frame: Callable[[str], Awaitable[None] | None],
                 *, ssl_context: ssl.SSLContext | None = None, options: Options = Options(),
                 on_state: Callable[[str, str | None], None] = lambda _s, _r: None,
                 warn: Callable[[str], None] = lambda _t: None) -> None:
        self.url = url
        self.options = options
        self.retry_count = 0
        self._greeting = greeting
        self._on_frame = on_frame
        self._on_state = on_state
        self._warn = warn
        self._ssl = ssl_context
        self._outbox: collections.deque[str] = collections.deque()
        self._ready = asyncio.Event()
        self._ws: Any = None
        self._closed = False
        self._overflowing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None

    @property
    def connected(self) -> bool:
        return self._ws is not None

    @property
    def queued(self) -> int:
        return len(self._outbox)

    def start(self) -> asyncio.Task:
        """Starts connecting (call on the loop); returns the task that runs until :meth:`close`."""
        self._loop = asyncio.get_running_loop()
        self._task = self._loop.create_task(self._run(), name="daebug-connection")
        return self._task

    def send(self, frame: str) -> None:
        """Queues a frame; it goes out at once when connected, else after the next greeting."""
        if self._closed:
            return
        self._outbox.append(frame)
        if len(self._outbox) > self.options.max_queued:
            self._outbox.popleft()
            if not self._overflowing:
                self._overflowing = True
                self._warn(f"daebug: outbox full ({self.options.max_queued} frames), dropping the oldest")
        self._ready.set()

    def send_threadsafe(self, frame: str) -> None:
        """:meth:`send` from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self.send, frame)
        except RuntimeError:  # the loop closed meanwhile
            pass

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Closes for good: no more reconnects; queued frames are discarded."""
        self._closed = True
        self._outbox.clear()
        ws = self._ws
        if ws is not None:
            try:
                await asyncio.wait_for(ws.close(code, reason), 2)
            except Exception:  # noqa: BLE001
                pass
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()
            try:
                await self._task
            except BaseException:  # noqa: BLE001
                pass

    async def _run(self) -> None:
        while not self._closed:
            if self.retry_count > 0:
                await asyncio.sleep(delay_for(self.retry_count, self.options))
            if self._closed:
                return
            reason = await self._session()
            if self._closed:
                return
            self.retry_count += 1
            self._on_state("closed", reason)

    async def _session(self) -> str:
        """One connection from attempt to end; returns why it ended."""
        try:
            # websockets 10 uses no TLS at all when ssl=None is passed for a wss:// URL: pass it only when set.
            tls = {"ssl": self._ssl} if self._ssl is not None else {}
            ws = await websockets.connect(
                self.url, open_timeout=self.options.connect_timeout, max_size=self.options.max_size,
                compression=None, close_timeout=2, **tls)
        except asyncio.CancelledError:
            raise
        except websockets.exceptions.InvalidStatusCode as e:
            return f"refused: HTTP {e.status_code}"
        except Exception as e:  # noqa: BLE001 - refused, unreachable, TLS, timeout: retry like any other failure
            return _describe(e)
        uptime = asyncio.get_running_loop().call_later(self.options.min_uptime, self._stable)
        try:
            await ws.send(self._greeting())
            self._ws = ws
            self._on_state("open", None)
            writer = asyncio.create_task(self._write(ws))
            try:
                async for frame in ws:
                    if isinstance(frame, str):
                        result = self._on_frame(frame)
                        if asyncio.iscoroutine(result):
                            await result
            finally:
                writer.cancel()
                try:
                    await writer
                except BaseException:  # noqa: BLE001
                    pass
            code, why = ws.close_code, ws.close_reason
            return f"closed {code}" + (f" {why}" if why else "")
        except websockets.exceptions.ConnectionClosed as e:
            return f"closed {e.code}" + (f" {e.reason}" if e.reason else "")
        except OSError as e:
            return _describe(e)
        finally:
            uptime.cancel()
            self._ws = None
            if not self._closed:
                try:
                    await asyncio.wait_for(ws.close(), 2)
                except BaseException:  # noqa: BLE001
                    pass

    async def _write(self, ws: Any) -> None:
        """Sends the outbox in order; a frame that failed to go out stays first for the next connection."""
        while True:
            await self._ready.wait()
            while self._outbox:
                frame = self._outbox[0]
                await ws.send(frame)
                if self._outbox and self._outbox[0] is frame:
                    self._outbox.popleft()
            self._overflowing = False
            self._ready.clear()

    def _stable(self) -> None:
        self.retry_count = 0


def _describe(e: BaseException) -> str:
    """``Name: message``, followed by the cause websockets wrapped (a TLS error is the cause of an InvalidMessage)."""
    text = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
    cause = e.__cause__ or e.__context__
    if cause is not None and cause is not e:
        text += f" ({type(cause).__name__}: {cause})"
    return text

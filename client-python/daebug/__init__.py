"""Daebug realms for Python: make a live Python process debuggable from its markdown log.

Two ways in:

- ``python3 -m daebug --broker http://127.0.0.1:8100/ --name api`` runs a standalone realm.
- ``daebug.attach("http://127.0.0.1:8100/", name="api")`` inside a running program: the realm runs on
  a daemon thread with its own event loop, and jobs see the program's ``__main__`` globals (or the
  ``namespace`` given). ``daebug.detach()`` ends it.

See client-python/README.md.
"""

from __future__ import annotations

import sys
import threading

from .capture import context_text
from .evaluate import Cancelled, Stopped, Timeout
from .realm import Realm
from .values import encode, text

__all__ = ["Cancelled", "Realm", "Stopped", "Timeout", "attach", "detach", "encode", "text"]
__version__ = "0.1.0"

_lock = threading.Lock()
_attached: Realm | None = None


def attach(broker: str, name: str | None = None, *, namespace: dict | None = None, token: str | None = None,
           ca: str | None = None, wait: float | None = None) -> Realm:
    """Makes this process a realm, running on a background thread; returns at once (or after ``wait``
    seconds at most, when given, once the broker welcomed it).

    :param broker: ``http://HOST:PORT/`` as the broker prints it, ``ws://HOST:PORT`` or a full realm URL
    :param name: proposed realm name (the broker lowercases it and may suffix ``-2``); default ``python-<pid>``
    :param namespace: the globals jobs run in; default the program's ``__main__`` module globals
    :param token: the broker's token (needed when this process is not on the broker's loopback)
    :param ca: a PEM file of certificates trusted for ``wss://`` besides the system's
    :returns: the realm; attaching again while attached returns the same realm and changes nothing
    """
    global _attached
    with _lock:
        if _attached is not None:
            return _attached
        if namespace is None:
            main = sys.modules.get("__main__")
            namespace = main.__dict__ if main is not None else {"__name__": "__main__"}
        realm = Realm(broker, name, token=token, ca=ca, namespace=namespace)
        realm.start_thread()
        _hook_running_loop(realm)
        _attached = realm
    if wait:
        realm.ready.wait(wait)
    return realm


def detach(timeout: float = 5.0) -> None:
    """Ends the attached realm, if any: leaves the broker and puts stdout, stderr and the hooks back."""
    global _attached
    with _lock:
        realm, _attached = _attached, None
    if realm is not None:
        realm.stop(timeout)


def _hook_running_loop(realm: Realm) -> None:
    """When attached from inside a running asyncio loop (an async app), its unhandled exceptions are recorded too."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    previous = loop.get_exception_handler()

    def handler(lp: asyncio.AbstractEventLoop, context: dict) -> None:
        realm.capture.record("asyncio", context_text(context), any_thread=True)
        with realm.capture.quietly():
            if previous is not None:
                previous(lp, context)
            else:
                lp.default_exception_handler(context)

    loop.set_exception_handler(handler)

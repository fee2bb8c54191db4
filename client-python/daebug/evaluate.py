"""Runs a job's source the way IPython's ``run_cell`` does.

- The source is parsed with :mod:`ast`. When its last statement is an expression, everything before
  it runs as statements and the expression is evaluated for the job's value (``x = 5\\nx * 2`` gives
  ``10``); a source ending in any other statement has the value ``None``. The value is also stored
  as ``_`` in the namespace, as in the interactive interpreter.
- Compiled with ``ast.PyCF_ALLOW_TOP_LEVEL_AWAIT``: ``await`` works at the top level. Such a job runs
  on an asyncio event loop owned by the thread that runs it, kept between jobs.
- The namespace (a ``dict``) persists between jobs: it is the program's ``__main__`` globals in an
  attached realm, a fresh ``__main__`` module in a standalone one.
- Code runs exactly once: there is no retry anywhere.

The worker threads that run jobs, and stopping them, are in :mod:`daebug.executor`.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import linecache
import os
import traceback
import types
from typing import TYPE_CHECKING, Any

from . import values

if TYPE_CHECKING:
    from .executor import Worker

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class Stopped(BaseException):
    """Raised in a job's thread to stop it; a ``BaseException`` so ``except Exception`` does not catch it."""


class Cancelled(Stopped):
    """The job was cancelled (``%%CANCEL%%`` in its log, or a controller's cancel)."""


class Timeout(Stopped):
    """The job ran past its timeout."""


def compile_cell(source: str, filename: str) -> tuple[types.CodeType | None, types.CodeType | None]:
    """Compiles ``source`` into the statements to run and the last expression to evaluate (either may be None).

    Raises SyntaxError (with ``lineno`` and ``offset``) for source that does not parse.
    """
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = ast.parse(source, filename, "exec")
    body, last = tree.body, None
    if body and isinstance(body[-1], ast.Expr):
        last = ast.Expression(body[-1].value)
        body = body[:-1]
    stmts = compile(ast.Module(body=body, type_ignores=[]), filename, "exec", flags=flags) if body else None
    expr = compile(last, filename, "eval", flags=flags) if last is not None else None
    return stmts, expr


def remember_source(filename: str, source: str) -> None:
    """Makes ``linecache`` (and so tracebacks) show the job's lines."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def run_cell(source: str, namespace: dict, filename: str, loop_holder: Worker | None = None) -> Any:
    """Runs ``source`` in ``namespace`` and returns its value (see module doc). Raises what the code raises."""
    remember_source(filename, source)
    try:
        stmts, expr = compile_cell(source, filename)
    except SyntaxError as e:
        e.__traceback__ = None  # the parser's frames are not the job's
        raise
    value = None
    for code in (stmts, expr):
        if code is None:
            continue
        result = eval(code, namespace)  # noqa: S307 - running the agent's code is the point
        if code.co_flags & inspect.CO_COROUTINE:
            result = _await(result, loop_holder)
        if code is expr:
            value = result
    if value is not None:
        namespace["_"] = value
    return value


def _await(coro: Any, worker: Worker | None) -> Any:
    loop = worker.event_loop() if worker is not None else asyncio.new_event_loop()
    task = loop.create_task(coro)
    if worker is not None:
        worker.task = task
    try:
        return loop.run_until_complete(task)
    except asyncio.CancelledError:
        if worker is not None and worker.stop_reason is not None:
            raise worker.stop_reason[0](worker.stop_reason[1]) from None
        raise
    finally:
        if worker is not None:
            worker.task = None
        else:
            loop.close()


def error_info(e: BaseException, message: str | None = None, name: str | None = None) -> dict[str, str]:
    """The ``error`` of a failed result: name, message, and a traceback without the realm's own frames.

    A SyntaxError in the job's source (raised by the realm's compile, so no frame of the job is left)
    names the line and column in its message. ``message`` and ``name`` replace the exception's own
    (a stop, raised as a bare class, has none).
    """
    tb = e.__traceback__
    while tb is not None and _is_own(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    e.__traceback__ = tb
    if isinstance(e, SyntaxError) and tb is None:
        return _syntax_info(e)
    name = name or values.error_name(type(e))
    text = message if message is not None else values._safe_str(e)
    try:
        lines = traceback.format_exception(type(e), e, tb)
        if message is not None or name is not None:
            lines[-1] = f"{name}: {text}\n" if text else f"{name}\n"
        stack = "".join(lines).rstrip("\n")
    except Exception as x:  # noqa: BLE001
        stack = f"{name}: {text}\n[traceback unavailable: {values.describe(x)}]"
    return {"name": name, "message": text, "stack": stack}


def _syntax_info(e: SyntaxError) -> dict[str, str]:
    where = f"line {e.lineno}" + (f", column {e.offset}" if e.offset else "")
    message = f"{e.msg} ({where})"
    lines = traceback.format_exception_only(type(e), e)
    return {"name": type(e).__name__, "message": message, "stack": "".join(lines[:-1]).rstrip("\n")}


def _is_own(filename: str) -> bool:
    return os.path.dirname(os.path.abspath(filename)) == _PACKAGE_DIR or filename.startswith("<frozen ")

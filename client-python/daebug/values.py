"""Encodes any Python value into a JSON-able tree (docs/protocol.md, "Values", Python column).

Plain JSON stays plain JSON: ``dict`` with ``str`` keys, ``list``, ``str``, ``int`` of any size,
``bool``, ``None`` and finite floats. Everything else becomes an object with the reserved key
``$daebug`` naming what it is, carrying a ``repr`` in Python's own notation wherever the broker
should print it verbatim. Encoding never raises, never runs the job again, and calls no user code
but ``repr()`` of objects it has no better encoding for (a ``repr()`` that raises is reported as
``unreadable``) and the ``__eq__``-free iteration of containers.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import fractions
import math
import sys
import uuid
from typing import Any

#: Nesting depth, entries per container, total nodes per value, characters per ``repr``.
MAX_DEPTH = 20
MAX_ENTRIES = 10_000
MAX_NODES = 200_000
MAX_REPR = 100_000
#: Bytes shown of a ``bytes``/``bytearray`` value.
MAX_BYTES = 10_000
#: Ints with more bits than this are not written out in decimal (Python refuses above 4300 digits).
MAX_INT_BITS = 14_000

TAG = "$daebug"


class Text(str):
    """A result shown as plain text: a job whose value is ``daebug.text(s)`` gets ``s`` verbatim in a
    ``Text`` fence instead of a quoted string. Only the job's value itself is treated so."""


def text(s: object) -> Text:
    """Marks ``s`` (made a ``str``) to be shown verbatim as a job's value."""
    return Text(str(s))


def encode(value: Any) -> Any:
    """The JSON-able tree of ``value``; never raises."""
    if type(value) is Text:
        return {TAG: "text", "repr": str(value)}
    encoder = _Encoder()
    try:
        return encoder.enc(value, "~", 0)
    except BaseException as e:  # noqa: BLE001 - encoding must never fail (a stop is re-raised by the caller)
        if _is_stop(e):
            raise
        return unreadable(f"[Unencodable: {describe(e)}]")


class _Encoder:
    def __init__(self) -> None:
        self.ancestors: dict[int, str] = {}
        self.nodes = 0

    def enc(self, v: Any, path: str, depth: int) -> Any:
        try:
            return self._value(v, path, depth)
        except RecursionError:
            return truncated("[...]")
        except BaseException as e:  # noqa: BLE001
            if _is_stop(e):
                raise
            return unreadable(f"[Unreadable: {describe(e)}]")

    def _value(self, v: Any, path: str, depth: int) -> Any:
        t = type(v)
        if v is None or t is bool or t is str:
            return v
        if t is int:
            return _int(v)
        if t is float:
            return _float(v)
        if isinstance(v, (enum.Enum, int, float, str)):  # enums and subclasses of the JSON types
            return opaque(v)
        if isinstance(v, (bytes, bytearray, memoryview)):
            return _bytes(v)
        if isinstance(v, decimal.Decimal):
            return {TAG: "decimal", "value": str(v), "repr": repr(v)}
        if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
            return {TAG: "date", "class": _class_name(t), "iso": v.isoformat(), "repr": repr(v)}
        if isinstance(v, complex):
            return {TAG: "number", "class": "complex", "repr": repr(v)}
        if isinstance(v, (fractions.Fraction, uuid.UUID, datetime.timedelta, range, slice)):
            return opaque(v)
        if isinstance(v, BaseException):
            return _error(v)
        key = id(v)
        if key in self.ancestors:
            return {TAG: "circular", "path": self.ancestors[key]}
        self.nodes += 1
        if self.nodes > MAX_NODES:
            return truncated("...")
        if depth >= MAX_DEPTH:
            return truncated(_brackets(v))
        self.ancestors[key] = path
        try:
            return self._container(v, t, path, depth + 1)
        finally:
            del self.ancestors[key]

    def _container(self, v: Any, t: type, path: str, depth: int) -> Any:
        if t is list:
            return self._items(v, path, depth)
        if t is dict and all(type(k) is str for k in v) and TAG not in v:
            out: dict[str, Any] = {}
            for i, (k, x) in enumerate(list(v.items())):
                if i == MAX_ENTRIES:
                    out["..."] = more(len(v) - i)
                    break
                out[k] = self.enc(x, path + _key_path(k), depth)
            return out
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            fields = [f.name for f in dataclasses.fields(v) if f.repr]
            return self._object(v, t, fields, path, depth)
        if isinstance(v, tuple) and hasattr(t, "_fields"):  # namedtuple
            return self._object(v, t, list(t._fields), path, depth)
        if isinstance(v, dict):
            return self._map(v, t, path, depth)
        if isinstance(v, tuple):
            out_t: dict[str, Any] = {TAG: "tuple", "values": self._items(v, path, depth)}
            if t is not tuple:
                out_t["class"] = _class_name(t)
            return out_t
        if isinstance(v, (set, frozenset)):
            values = []
            for i, x in enumerate(list(v)):
                if i == MAX_ENTRIES:
                    values.append(more(len(v) - i))
                    break
                values.append(self.enc(x, f"{path}[{i}]", depth))
            return {TAG: "set", "class": _class_name(t), "size": len(v), "values": values}
        if isinstance(v, list):
            return {TAG: "tuple", "class": _class_name(t), "values": self._items(v, path, depth)}
        return opaque(v)

    def _items(self, v: Any, path: str, depth: int) -> list[Any]:
        out = []
        items = list(v)
        for i, x in enumerate(items):
            if i == MAX_ENTRIES:
                out.append(more(len(items) - i))
                break
            out.append(self.enc(x, f"{path}[{i}]", depth))
        return out

    def _map(self, v: dict, t: type, path: str, depth: int) -> dict[str, Any]:
        entries = []
        items = list(v.items())
        for i, (k, x) in enumerate(items):
            if i == MAX_ENTRIES:
                entries.append(more(len(items) - i))
                break
            entries.append([self.enc(k, f"{path}[{i}][0]", depth), self.enc(x, f"{path}[{i}][1]", depth)])
        return {TAG: "map", "class": _class_name(t), "size": len(items), "entries": entries}

    def _object(self, v: Any, t: type, fields: list[str], path: str, depth: int) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        for name in fields[:MAX_ENTRIES]:
            try:
                x = getattr(v, name)
            except BaseException as e:  # noqa: BLE001
                if _is_stop(e):
                    raise
                entries[name] = unreadable(f"[Getter: raised {describe(e)}]")
                continue
            entries[name] = self.enc(x, path + "." + name, depth)
        return {TAG: "object", "class": _class_name(t), "entries": entries}


def _int(v: int) -> Any:
    if v.bit_length() > MAX_INT_BITS:
        return {TAG: "truncated", "class": "int", "repr": f"<int of {v.bit_length()} bits: {hex(v)[:40]}...>"}
    return v


def _float(v: float) -> Any:
    if math.isnan(v):
        return {TAG: "number", "repr": "nan"}
    if math.isinf(v):
        return {TAG: "number", "repr": "inf" if v > 0 else "-inf"}
    if v == 0 and math.copysign(1.0, v) < 0:
        return {TAG: "number", "repr": "-0.0"}
    return v


def _bytes(v: bytes | bytearray | memoryview) -> dict[str, Any]:
    t = type(v)
    data = v.tobytes() if isinstance(v, memoryview) else bytes(v)
    shown = repr(data[:MAX_BYTES])
    if t is bytearray:
        shown = f"bytearray({shown})"
    elif t is memoryview:
        shown = f"<memoryview of {shown}>"
    if len(data) > MAX_BYTES:
        shown += f" ... {len(data) - MAX_BYTES} more bytes"
    return {TAG: "bytes", "class": _class_name(t), "size": len(data), "repr": shown}


def _error(e: BaseException) -> dict[str, Any]:
    import traceback

    out: dict[str, Any] = {TAG: "error", "name": error_name(type(e)), "message": _safe_str(e)}
    r = safe_repr(e)
    out["repr"] = r if isinstance(r, str) else r["repr"]
    if e.__traceback__ is not None:
        try:
            out["stack"] = "".join(traceback.format_exception(e)).rstrip("\n")
        except Exception as x:  # noqa: BLE001
            out["stack"] = f"[traceback unavailable: {describe(x)}]"
    return out


def opaque(v: Any) -> dict[str, Any]:
    """An object shown by its ``repr()``: ``opaque`` with its class, or ``unreadable`` when ``repr`` raised."""
    r = safe_repr(v)
    if isinstance(r, dict):
        return r
    return {TAG: "opaque", "class": _class_name(type(v)), "repr": r}


def safe_repr(v: Any) -> Any:
    """``repr(v)``, cut to ``MAX_REPR`` characters; a ``repr`` that raises gives an ``unreadable`` node."""
    try:
        r = repr(v)
        if not isinstance(r, str):
            raise TypeError(f"__repr__ returned {type(r).__name__}")
    except BaseException as e:  # noqa: BLE001
        if _is_stop(e):
            raise
        return unreadable(f"[repr() raised {describe(e)}]")
    if len(r) > MAX_REPR:
        r = r[:MAX_REPR] + f"... ({len(r) - MAX_REPR} more characters)"
    return r


def _safe_str(e: BaseException) -> str:
    try:
        return str(e)
    except BaseException as x:  # noqa: BLE001
        if _is_stop(x):
            raise
        return f"[str() raised {describe(x)}]"


def describe(e: BaseException) -> str:
    """``Name: message`` of an exception, never raising."""
    try:
        message = str(e)
    except BaseException:  # noqa: BLE001
        message = "?"
    name = type(e).__name__
    return f"{name}: {message}" if message else name


def _class_name(t: type) -> str:
    """The class name as ``repr`` of dataclasses shows it: the qualified name without the module."""
    try:
        return str(t.__qualname__)
    except BaseException:  # noqa: BLE001
        return "object"


def error_name(t: type) -> str:
    """An exception's name as tracebacks show it: ``module.Name`` unless builtin or ``__main__``."""
    try:
        name = t.__qualname__
        module = t.__module__
    except BaseException:  # noqa: BLE001
        return "object"
    if module in ("builtins", "__main__") or not isinstance(module, str):
        return str(name)
    return f"{module}.{name}"


def _key_path(k: str) -> str:
    return "." + k if k.isidentifier() else f"[{k!r}]"


def _brackets(v: Any) -> str:
    if isinstance(v, list):
        return "[...]"
    if isinstance(v, tuple):
        return "(...)"
    if isinstance(v, (dict, set, frozenset)):
        return "{...}"
    return "..."


def more(n: int) -> dict[str, str]:
    return truncated(f"... {n} more items")


def truncated(r: str) -> dict[str, str]:
    return {TAG: "truncated", "repr": r}


def unreadable(r: str) -> dict[str, str]:
    return {TAG: "unreadable", "repr": r}


def _is_stop(e: BaseException) -> bool:
    """A job stop (evaluate.Stopped) or an interpreter exit must pass through encoding."""
    from .evaluate import Stopped

    return isinstance(e, (Stopped, KeyboardInterrupt, SystemExit))


if sys.version_info < (3, 11):  # pragma: no cover - pyproject.toml requires 3.11
    raise ImportError("daebug needs Python 3.11 or newer")

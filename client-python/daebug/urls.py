"""The broker address a realm connects to, and the port a broker picks by default. Pure functions."""

from __future__ import annotations

import os
import re
import urllib.parse


class UsageError(ValueError):
    """An argument that makes no sense; the message says what is wrong."""


def realm_url(broker: str, token: str | None = None) -> str:
    """The realm endpoint for a broker address (as client-js ``realmUrl``).

    ``http:`` becomes ``ws:``, ``https:`` ``wss:``; a bare ``HOST:PORT`` means ``ws://``; an empty path or
    ``/`` becomes ``/-daebug/realm``; ``token``, when given, replaces any ``token`` in the query.
    """
    text = str(broker).strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        text = "ws://" + text
    try:
        url = urllib.parse.urlsplit(text)
        url.port  # noqa: B018 - validates the port
    except ValueError as e:
        raise UsageError(f"--broker {broker} is not a URL such as ws://127.0.0.1:8100 ({e})") from None
    schemes = {"ws": "ws", "wss": "wss", "http": "ws", "https": "wss"}
    scheme = schemes.get(url.scheme.lower())
    if scheme is None or not url.hostname:
        raise UsageError(f"--broker {broker} is not a ws://, wss://, http:// or https:// URL with a host")
    path = "/-daebug/realm" if url.path in ("", "/") else url.path
    query = [(k, v) for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)
             if token is None or k != "token"]
    if token is not None:
        query.append(("token", token))
    q = urllib.parse.urlencode(query)
    return f"{scheme}://{url.netloc.rsplit('@', 1)[-1]}{path}" + (f"?{q}" if q else "")


def hide_token(url: str) -> str:
    """The URL with its token replaced by ``***``, for printing."""
    return re.sub(r"([?&]token=)[^&]*", r"\1***", url)


def default_port(folder: str) -> int:
    """The port a broker started in ``folder`` listens on by default: ``8100 + abs(h) % 1000``, ``h`` being Java's
    ``String.hashCode`` of the lowercased folder name (BrokerConfig.defaultPort)."""
    name = os.path.basename(os.path.abspath(folder)).lower()
    h = 0
    for unit in _utf16_units(name):
        h = (31 * h + unit) & 0xFFFFFFFF
    if h >= 0x80000000:
        h -= 0x100000000
    return 8100 + abs(h) % 1000


def _utf16_units(s: str) -> list[int]:
    data = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i:i + 2], "little") for i in range(0, len(data), 2)]

"""``python3 -m daebug``: this process becomes a standalone Python realm until it is stopped (Ctrl+C, SIGTERM)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from .realm import Realm
from .urls import UsageError, default_port, hide_token, realm_url

DESCRIPTION = """Makes this Python process a Daebug realm: it connects to the broker, which journals it in
daebug/<name>.md, and runs the Python appended there (```python fences) in a fresh __main__ namespace
that persists between jobs."""

EPILOG = "Stop it with Ctrl+C (SIGINT) or SIGTERM, even while a job is running."


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m daebug", description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("--broker", metavar="URL",
                   help="the broker: http(s)://HOST:PORT/ as it printed it (a ?token=... in it is used), ws://, "
                        "wss:// or HOST:PORT; the path defaults to /-daebug/realm. Default: ws://127.0.0.1:PORT "
                        "with the port a broker started in the working folder picks by default")
    p.add_argument("--name", metavar="NAME", help="proposed realm name (the broker lowercases it, and suffixes "
                                                    "-2, -3 when a live realm has it). Default: python-<pid>")
    p.add_argument("--token", metavar="TOKEN", help="the broker's token, needed when this process is not on the "
                                                     "broker's loopback")
    p.add_argument("--ca", metavar="FILE", help="PEM certificate(s) to trust for wss:// besides the system's: a "
                                                 "broker's self-signed certificate, or the CA that signed it")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    broker = args.broker or f"ws://127.0.0.1:{default_port(os.getcwd())}"
    try:
        for value, option in ((args.name, "--name"), (args.token, "--token"), (args.ca, "--ca")):
            if value is not None and value == "":
                raise UsageError(f"{option} needs a value")
        realm_url(broker, args.token)
        if args.ca is not None:
            _check_ca(args.ca)
    except UsageError as e:
        p.error(str(e))
    logging.getLogger().setLevel(logging.DEBUG)  # jobs' log records of every level reach the log
    for noisy in ("websockets", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    realm = Realm(broker, args.name, token=args.token, ca=args.ca)
    print(f"daebug: realm {realm.name} ({realm.url}) connecting to {hide_token(realm.endpoint)}", file=sys.stderr,
          flush=True)
    try:
        asyncio.run(_run(realm))
    except KeyboardInterrupt:
        pass
    return 0


async def _run(realm: Realm) -> None:
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, realm.stop)
    except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
        pass
    await realm.run()


def _check_ca(path: str) -> None:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise UsageError(f"--ca {path} cannot be read: {e.strerror or e}") from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UsageError(f"--ca {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")


if __name__ == "__main__":
    sys.exit(main())

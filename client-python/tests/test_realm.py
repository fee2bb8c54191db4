"""The realm's protocol and connection against a scripted broker: a real websockets server in this process."""

import asyncio
import json
import queue
import threading

import pytest
import websockets

from daebug import urls
from daebug.connection import Options, delay_for
from daebug.realm import Realm

WAIT = 30


class FakeBroker:
    """Accepts realm connections on a loopback port; records every frame; the test sends frames and drops sockets."""

    def __init__(self):
        self.frames = queue.Queue()
        self.connections = queue.Queue()
        self.loop = asyncio.new_event_loop()
        self.port = None
        ready = threading.Event()
        threading.Thread(target=self._main, args=(ready,), daemon=True).start()
        ready.wait(WAIT)

    def _main(self, ready):
        asyncio.set_event_loop(self.loop)

        async def handler(ws, path=None):
            self.connections.put(ws)
            try:
                async for frame in ws:
                    self.frames.put(json.loads(frame))
            except websockets.ConnectionClosed:
                pass

        async def start():
            self.server = await websockets.serve(handler, "127.0.0.1", 0)
            self.port = self.server.sockets[0].getsockname()[1]
            ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    def next(self, type_=None):
        while True:
            frame = self.frames.get(timeout=WAIT)
            if type_ is None or frame["type"] == type_:
                return frame

    def accept(self):
        ws = self.connections.get(timeout=WAIT)
        hello = self.next("hello")
        self.send(ws, {"type": "welcome", "name": hello["name"] + "-x", "log": f"daebug/{hello['name']}-x.md"})
        return ws, hello

    def send(self, ws, message):
        asyncio.run_coroutine_threadsafe(ws.send(json.dumps(message)), self.loop).result(WAIT)

    def drop(self, ws):
        asyncio.run_coroutine_threadsafe(ws.close(1011, "test drop"), self.loop).result(WAIT)

    def close(self):
        async def stop():
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(WAIT)
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def broker():
    b = FakeBroker()
    yield b
    b.close()


@pytest.fixture
def realm(broker):
    notes = []
    r = Realm(f"http://127.0.0.1:{broker.port}/", "py-test", namespace={"__name__": "__main__"},
              options=Options(min_delay=0.05, max_delay=0.2), warn=notes.append)
    r.notes = notes
    r.start_thread()
    yield r
    r.stop()


def test_hello_welcome_job_result(broker, realm):
    ws, hello = broker.accept()
    assert hello == {"type": "hello", "name": "py-test", "kind": "python", "url": realm.url, "language": "python",
                     "tab": realm.tab, "protocol": 1}
    assert realm.url.startswith("python://") and " " in realm.url
    assert realm.ready.wait(WAIT) and realm.name == "py-test-x" and realm.log == "daebug/py-test-x.md"
    broker.send(ws, {"type": "job", "id": "j-1", "code": "print('out')\n6 * 7", "language": "python", "timeoutMs": 5000})
    event = broker.next()
    assert event["type"] == "event" and event["job"] == "j-1" and event["kind"] == "log" and event["text"] == "out"
    result = broker.next()
    assert result["type"] == "result" and result["id"] == "j-1" and result["ok"] and result["value"] == 42


def test_another_language_is_refused(broker, realm):
    ws, _ = broker.accept()
    broker.send(ws, {"type": "job", "id": "j-2", "code": "1", "language": "javascript"})
    r = broker.next("result")
    assert not r["ok"] and r["error"]["message"] == "this realm runs python, not javascript"


def test_cancel_stops_the_job(broker, realm):
    ws, _ = broker.accept()
    broker.send(ws, {"type": "job", "id": "j-3", "code": "print('looping')\nwhile True: pass", "language": "python"})
    assert broker.next("event")["text"] == "looping"
    broker.send(ws, {"type": "cancel", "id": "j-3", "reason": "cancelled by tester"})
    r = broker.next("result")
    assert r["error"]["name"] == "Cancelled" and r["error"]["message"] == "job stopped by the realm: cancelled by tester"
    broker.send(ws, {"type": "job", "id": "j-4", "code": "'again'", "language": "python"})
    assert broker.next("result")["value"] == "again"


def test_reconnect_resumes_identity_and_delivers_buffered_events_once(broker, realm):
    ws, first = broker.accept()
    broker.send(ws, {"type": "job", "id": "j-5", "code": "import threading, time\n"
                     "go = threading.Event()\n"
                     "def later():\n    go.wait()\n    print('while away')\n"
                     "threading.Thread(target=later).start()", "language": "python"})
    broker.next("result")
    broker.drop(ws)
    realm.namespace["go"].set()  # printed while no connection is open (or before the new one says hello)
    ws2 = broker.connections.get(timeout=WAIT)
    frames = [broker.next(), broker.next()]
    assert frames[0]["type"] == "hello"  # the greeting is first on every connection
    assert frames[0]["name"] == "py-test-x" and frames[0]["tab"] == first["tab"]  # the broker's name, same tab
    assert frames[1]["type"] == "event" and frames[1]["text"] == "while away" and "job" not in frames[1]
    broker.send(ws2, {"type": "job", "id": "j-6", "code": "1", "language": "python"})
    assert broker.next() == {"type": "result", "id": "j-6", "ok": True, "value": 1,
                             "durationMs": pytest.approx(0, abs=10000)}  # the event came once: nothing else before
    assert any("disconnected" in n for n in realm.notes)


def test_detach_puts_streams_back(broker):
    import sys

    before = sys.stdout
    r = Realm(f"http://127.0.0.1:{broker.port}/", "p", namespace={}, warn=lambda _t: None).start_thread()
    broker.accept()
    assert sys.stdout is not before
    r.stop()
    assert sys.stdout is before


def test_backoff_grows_with_jitter_and_is_capped():
    o = Options(min_delay=0.25, max_delay=10, grow_factor=1.5, jitter=0.3)
    assert delay_for(0, o) == 0
    assert delay_for(1, o, lambda: 0.5) == 0.25
    assert delay_for(3, o, lambda: 0.5) == pytest.approx(0.5625)
    assert delay_for(3, o, lambda: 0.0) == pytest.approx(0.5625 * 0.7)
    assert delay_for(3, o, lambda: 1.0) == pytest.approx(0.5625 * 1.3)
    assert delay_for(50, o, lambda: 1.0) == 10


def test_realm_urls():
    assert urls.realm_url("http://127.0.0.1:8100/") == "ws://127.0.0.1:8100/-daebug/realm"
    assert urls.realm_url("https://h:1") == "wss://h:1/-daebug/realm"
    assert urls.realm_url("127.0.0.1:9") == "ws://127.0.0.1:9/-daebug/realm"
    assert urls.realm_url("http://h:1/?token=a", "b") == "ws://h:1/-daebug/realm?token=b"
    assert urls.realm_url("http://h:1/?token=a") == "ws://h:1/-daebug/realm?token=a"
    assert urls.hide_token("ws://h/-daebug/realm?token=abc&x=1") == "ws://h/-daebug/realm?token=***&x=1"
    for bad in ("ftp://h/", "http://", "http://h:99999/"):
        with pytest.raises(urls.UsageError):
            urls.realm_url(bad)


def test_default_port_matches_the_broker():
    # BrokerConfig.defaultPort: 8100 + abs("daebug".hashCode()) % 1000; "daebug".hashCode() == -1339363860 (Java)
    assert urls.default_port("/x/Daebug") == 8100 + 1339363860 % 1000


def test_wss_verifies_certificates_with_the_system_cas():
    from daebug.realm import ssl_context

    assert ssl_context("ws://h:1/-daebug/realm", None) is None
    ctx = ssl_context("wss://h:1/-daebug/realm", None)
    assert ctx is not None and ctx.verify_mode.name == "CERT_REQUIRED" and ctx.check_hostname


def test_attach_twice_returns_the_same_realm_and_jobs_see_the_namespace(broker):
    import sys

    import daebug

    stdout = sys.stdout
    app = {"orders": [1, 2, 3]}
    try:
        realm = daebug.attach(f"http://127.0.0.1:{broker.port}/", name="app", namespace=app)
        assert daebug.attach("http://elsewhere:1/", name="other") is realm
        ws, hello = broker.accept()
        assert hello["name"] == "app" and realm.ready.wait(WAIT)
        broker.send(ws, {"type": "job", "id": "j-1", "code": "orders.append(4)\nlen(orders)", "language": "python"})
        assert broker.next("result")["value"] == 4
        assert app["orders"] == [1, 2, 3, 4]
    finally:
        daebug.detach()
    assert sys.stdout is stdout
    daebug.detach()  # idempotent


def test_attach_never_blocks_the_program_even_without_a_broker():
    import time

    import daebug

    started = time.monotonic()
    try:
        realm = daebug.attach("http://127.0.0.1:9/", name="lonely", namespace={})  # nothing listens on port 9
        assert time.monotonic() - started < 5
        assert not realm.connected
    finally:
        daebug.detach()


def test_asyncio_exceptions_of_a_jobs_loop_are_events(broker, realm):
    ws, _ = broker.accept()
    broker.send(ws, {"type": "job", "id": "j-9", "language": "python", "code":
                     "import asyncio\nawait asyncio.sleep(0)\n"
                     "asyncio.get_running_loop().call_exception_handler({'message': 'lost task', "
                     "'exception': ValueError('bad')})\n'ok'"})
    event = broker.next("event")
    assert event["kind"] == "asyncio" and event["job"] == "j-9"
    assert event["text"].startswith("lost task\n") and event["text"].endswith("ValueError: bad")
    assert broker.next()["value"] == "ok"  # the next frame: the default handler's own logging is not recorded again


def test_attached_from_a_coroutine_the_programs_loop_reports_its_unhandled_exceptions(broker):
    import daebug

    async def program():
        daebug.attach(f"http://127.0.0.1:{broker.port}/", name="async-app", namespace={})
        asyncio.get_running_loop().call_exception_handler({"message": "request handler crashed",
                                                           "exception": KeyError("user")})

    try:
        asyncio.run(program())
        broker.accept()
        event = broker.next("event")
        assert event["kind"] == "asyncio" and "job" not in event
        assert event["text"].startswith("request handler crashed\n") and event["text"].endswith("KeyError: 'user'")
    finally:
        daebug.detach()

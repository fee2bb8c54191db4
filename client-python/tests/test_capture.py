import asyncio
import io
import logging
import sys
import threading
import warnings

import pytest

from daebug.capture import Capture, level_kind


@pytest.fixture
def cap(monkeypatch):
    """A Capture installed over fake original streams, so the test sees what still reaches them."""
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    events = []
    c = Capture(events.append)
    c.install()
    c.events, c.out, c.err = events, out, err
    yield c
    c.uninstall()


def texts(c):
    return [(e["kind"], e["text"]) for e in c.events]


def test_print_is_recorded_per_line_and_still_printed(cap):
    print("hello")
    print("a", end="")
    print("b\nc")
    sys.stdout.write("x\n")
    assert texts(cap) == [("log", "hello"), ("log", "ab\nc"), ("log", "x")]
    assert cap.out.getvalue() == "hello\nab\nc\nx\n"
    assert all(isinstance(e["time"], int) and e["time"] > 1_700_000_000_000 for e in cap.events)


def test_stderr_is_an_error_event(cap):
    print("oops", file=sys.stderr)
    assert texts(cap) == [("error", "oops")]
    assert cap.err.getvalue() == "oops\n"


def test_output_of_the_job_thread_belongs_to_the_job(cap):
    cap.job_started("j-1")
    print("in job")
    print("partial", end="")
    cap.job_started(None)  # the job ends: its unfinished line is sent as the job's
    print("after")
    assert [(e.get("job"), e["text"]) for e in cap.events] == [("j-1", "in job"), ("j-1", "partial"), (None, "after")]


def test_other_threads_write_background_events(cap):
    cap.job_started("j-1")
    t = threading.Thread(target=print, args=("from a thread",))
    t.start()
    t.join()
    cap.job_started(None)
    assert cap.events == [{"kind": "log", "time": cap.events[0]["time"], "text": "from a thread"}]


def test_ignored_threads_are_not_recorded(cap):
    cap.ignored_threads.add(threading.get_ident())
    print("realm's own")
    assert cap.events == []
    assert cap.out.getvalue() == "realm's own\n"


def test_logging_by_level(cap):
    log = logging.getLogger("app")
    log.setLevel(logging.DEBUG)
    try:
        log.debug("d")
        log.info("i")
        log.warning("w")
        log.error("e")
        log.critical("c")
    finally:
        log.setLevel(logging.NOTSET)
    assert texts(cap) == [("debug", "DEBUG:app:d"), ("info", "INFO:app:i"), ("warn", "WARNING:app:w"),
                          ("error", "ERROR:app:e"), ("error", "CRITICAL:app:c")]


def test_a_record_no_handler_takes_is_still_printed_as_last_resort(cap):
    logging.getLogger("lonely").warning("nobody listens")
    assert texts(cap) == [("warn", "WARNING:lonely:nobody listens")]  # lastResort's print is not recorded again
    assert cap.err.getvalue() == "nobody listens\n"


def test_logged_exceptions_carry_their_traceback(cap):
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger("app").exception("failed")
    kind, text = texts(cap)[0]
    assert kind == "error" and text.startswith("ERROR:app:failed\nTraceback") and text.endswith("division by zero")


def test_warnings(cap):
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = sys.modules["warnings"].showwarning  # catch_warnings restores ours on exit
        warnings.warn("careful", DeprecationWarning)
    kind, text = texts(cap)[0]
    assert kind == "warn" and "DeprecationWarning: careful" in text
    assert "DeprecationWarning: careful" in cap.err.getvalue()
    assert len(cap.events) == 1


def test_uncaught_exception_in_a_thread(cap):
    def boom():
        raise RuntimeError("thread died")

    t = threading.Thread(target=boom, name="worker-7")
    t.start()
    t.join()
    kind, text = texts(cap)[0]
    assert kind == "threading.excepthook"
    assert text.startswith("Exception in thread worker-7:\nTraceback") and text.endswith("RuntimeError: thread died")
    assert "RuntimeError: thread died" in cap.err.getvalue()  # the original hook still printed it
    assert len(cap.events) == 1


def test_sys_excepthook(cap):
    try:
        raise KeyError("k")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    assert texts(cap)[0][0] == "sys.excepthook" and texts(cap)[0][1].endswith("KeyError: 'k'")


def test_asyncio_unhandled_exception(cap):
    loop = asyncio.new_event_loop()
    try:
        loop.set_exception_handler(cap.loop_exception)

        async def fail():
            raise ValueError("lost task")

        async def main():
            asyncio.get_running_loop().create_task(fail())
            await asyncio.sleep(0.01)

        loop.run_until_complete(main())
        import gc

        gc.collect()  # "Task exception was never retrieved" is reported when the task is collected
    finally:
        loop.close()
    kind, text = texts(cap)[0]
    assert kind == "asyncio" and "lost task" in text
    assert len(cap.events) == 1


def test_uninstall_puts_everything_back(cap):
    tee = sys.stdout
    cap.uninstall()
    assert sys.stdout is cap.out and sys.stderr is cap.err
    assert threading.excepthook is not cap._threading_hook
    print("not recorded")
    assert cap.events == []
    assert tee is not sys.stdout


def test_level_kind():
    assert [level_kind(n) for n in (5, 10, 20, 30, 40, 50)] == ["debug", "debug", "info", "warn", "error", "error"]


def test_huge_event_text_is_cut(cap):
    print("x" * 300_000)
    assert cap.events[0]["text"].endswith("more characters)") and len(cap.events[0]["text"]) < 300_000


def test_the_programs_logging_configuration_still_works_after_install(cap):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers.clear()
    try:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")  # no-op if we had a root handler
        assert root.level == logging.INFO and len(root.handlers) == 1
        logging.getLogger("app").info("configured")
        assert texts(cap) == [("info", "INFO:app:configured")]  # once: the handler's stderr write is not recorded
        assert cap.err.getvalue() == "INFO configured\n"
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)

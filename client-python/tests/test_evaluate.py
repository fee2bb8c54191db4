import queue
import threading
import time

import pytest

from daebug import evaluate
from daebug.evaluate import Cancelled
from daebug.executor import Executor

WAIT = 30  # seconds: generous, the machine may be busy


def wait_until(condition):
    """Polls `condition` until it holds or WAIT seconds pass (then the test fails here, not hangs)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


@pytest.fixture
def run():
    """Runs jobs on a real Executor and returns their result messages."""
    ns = {"__name__": "__main__"}
    results = queue.Queue()
    notes = []
    executor = Executor(ns, warn=notes.append)

    class Runner:
        namespace = ns
        warnings = notes

        def submit(self, code, job_id="j-1", timeout_ms=None):
            executor.submit(job_id, code, timeout_ms, lambda r: results.put((job_id, r)))

        def result(self, job_id=None):
            got_id, r = results.get(timeout=WAIT)
            if job_id is not None:
                assert got_id == job_id
            return r

        def __call__(self, code, **kw):
            self.submit(code, **kw)
            return self.result()

        def stop(self, job_id, kind=Cancelled, message="job stopped by the realm: cancelled by test"):
            return executor.stop(job_id, kind, message)

        def empty(self):
            return results.empty()

    yield Runner()
    executor.close()


def test_last_expression_is_the_value_and_state_persists(run):
    assert run("x = 5\nx * 2")["value"] == 10
    assert run("x + 1")["value"] == 6
    assert run("_")["value"] == 6  # the last value, as in the interactive interpreter


def test_a_block_ending_in_a_statement_has_no_value(run):
    r = run("y = 1")
    assert r == {"ok": True, "value": None, "durationMs": r["durationMs"]}
    assert run("def f():\n    return 3\nf()")["value"] == 3


def test_top_level_await(run):
    assert run("import asyncio\nawait asyncio.sleep(0.01)\nawait asyncio.sleep(0, 'slept')")["value"] == "slept"
    assert run("async def g():\n    return 4\nawait g()")["value"] == 4


def test_code_runs_exactly_once(run):
    run("n = 0")
    run("n += 1\nn")
    assert run("n")["value"] == 1


def test_errors_carry_type_message_and_a_trimmed_traceback(run):
    r = run("def f():\n    return 1 / 0\nf()")
    assert not r["ok"]
    e = r["error"]
    assert e["name"] == "ZeroDivisionError" and e["message"] == "division by zero"
    assert e["stack"].splitlines() == [
        "Traceback (most recent call last):",
        '  File "<job j-1>", line 3, in <module>',
        "    f()",
        '  File "<job j-1>", line 2, in f',
        "    return 1 / 0",
        "           ~~^~~",
        "ZeroDivisionError: division by zero",
    ]
    assert "daebug" not in e["stack"].replace("<job", "")


def test_syntax_errors_name_line_and_column(run):
    e = run("x = 1\ny = (2 +\n")["error"]
    assert e["name"] == "SyntaxError"
    assert e["message"] == "'(' was never closed (line 2, column 5)"
    assert 'File "<job j-1>", line 2' in e["stack"] and "Traceback" not in e["stack"]


def test_system_exit_in_a_job_is_an_error_not_an_exit(run):
    assert run("raise SystemExit(3)")["error"]["name"] == "SystemExit"
    assert run("1")["value"] == 1


def test_the_value_is_encoded(run):
    assert run("float('nan')")["value"] == {"$daebug": "number", "repr": "nan"}


def test_cancel_stops_a_busy_loop_and_the_next_job_runs(run):
    run.submit("started = True\nwhile True:\n    pass", job_id="j-loop")
    wait_until(lambda: run.namespace.get("started"))
    assert run.stop("j-loop")
    r = run.result("j-loop")
    assert r["error"]["name"] == "Cancelled"
    assert r["error"]["message"] == "job stopped by the realm: cancelled by test"
    assert r["error"]["stack"].endswith("Cancelled: job stopped by the realm: cancelled by test")
    assert "while True" in r["error"]["stack"]  # where it was stopped
    assert run("2 + 2")["value"] == 4


def test_except_exception_does_not_swallow_a_stop(run):
    run.submit("started = True\nwhile True:\n    try:\n        pass\n    except Exception:\n        pass", job_id="j-x")
    wait_until(lambda: run.namespace.get("started"))
    run.stop("j-x")
    assert run.result("j-x")["error"]["name"] == "Cancelled"


def test_timeout_stops_a_busy_loop(run):
    r = run("while True:\n    pass", timeout_ms=200)
    assert r["error"]["name"] == "Timeout"
    assert r["error"]["message"] == "job stopped by the realm after 200ms"
    assert run("'alive'")["value"] == "alive"


def test_cancel_of_an_awaiting_job(run):
    run.submit("import asyncio\nstarted = True\nawait asyncio.sleep(3600)", job_id="j-a")
    wait_until(lambda: run.namespace.get("started"))
    run.stop("j-a")
    assert run.result("j-a")["error"]["name"] == "Cancelled"
    assert run("await asyncio.sleep(0, 'loop still usable')")["value"] == "loop still usable"


def test_a_blocking_call_is_reported_and_the_realm_stays_usable(run):
    gate = threading.Event()
    run.namespace["gate"] = gate
    run.submit("started = True\ngate.wait()\n'never'", job_id="j-block")
    wait_until(lambda: run.namespace.get("started"))
    run.stop("j-block")
    wait_until(lambda: run.warnings)
    assert "cannot interrupt" in run.warnings[0] and "j-block" in run.warnings[0]
    assert run("'next job runs'", job_id="j-next") == {"ok": True, "value": "next job runs",
                                                       "durationMs": pytest.approx(0, abs=5000)}
    gate.set()  # the blocking call returns: the stop lands and the stopped job answers
    r = run.result("j-block")
    assert r["error"]["name"] == "Cancelled" and "when its blocking call returned" in r["error"]["message"]


def test_stopping_a_finished_or_unknown_job_does_nothing(run):
    run("1", job_id="j-done")
    assert not run.stop("j-done")
    assert not run.stop("j-never")
    assert run("3")["value"] == 3


def test_compile_cell_splits_the_last_expression():
    stmts, expr = evaluate.compile_cell("a = 1\na", "<t>")
    assert stmts is not None and expr is not None
    assert evaluate.compile_cell("a = 1", "<t>")[1] is None
    assert evaluate.compile_cell("", "<t>") == (None, None)

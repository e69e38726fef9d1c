"""`fill --max-chars` across an interrupted run: a real `transkit fill` process killed (SIGKILL),
interrupted (Ctrl-C) or stopped by DeepL's quota mid-run against the DeepL-compatible server, then
run again with the same budget. What the two runs are billed together stays within the budget."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deepl_server import TEST_KEY
from test_fill import many_strings, write_po
from transkit.catalog import load_catalog

pytest_plugins = ["deepl_fixtures"]

BUDGET = 9000  # about half of what the catalog's 600 strings need; three HTTP batches are ~4650


def journalled_characters() -> int:
    cache = Path(os.environ["TRANSKIT_DATA_DIR"]) / "mtcache.sqlite"
    if not cache.exists():
        return 0
    with sqlite3.connect(cache) as conn:
        return conn.execute("SELECT coalesce(sum(billed_characters), 0) FROM runs").fetchone()[0]


def fill_command(po: Path, *extra: str, budget: int = BUDGET) -> list[str]:
    return [sys.executable, "-m", "transkit.cli.main", "fill", str(po), "--locale", "it_IT",
            "--provider", "deepl", "--max-chars", str(budget), *extra]


@pytest.fixture
def deepl_env(deepl_server):
    return {**os.environ, "DEEPL_AUTH_KEY": TEST_KEY, "DEEPL_SERVER_URL": deepl_server.url}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_the_budget_holds_across_an_interrupted_run_and_its_resume(tmp_path, deepl_server, deepl_env, how):
    po = write_po(tmp_path / "big-it_IT.po", body=many_strings(600))
    # three requests answered, then the server holds every other one unanswered (and unbilled): the
    # interruption comes while nothing DeepL bills is in flight, so the server's count is exact
    faults = deepl_server.faults
    faults.healthy, faults.stall, faults.stall_seconds = 3, 10_000, 2.0
    child = subprocess.Popen(fill_command(po), env=deepl_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60  # a bound for a broken run, not a speed requirement
    while time.monotonic() < deadline and not (
            len(deepl_server.state.translate_requests(200)) == 3 and deepl_server.state.stalled_now
            and journalled_characters() == deepl_server.state.characters_billed):
        time.sleep(0.02)
    billed_before = deepl_server.state.characters_billed
    assert 0 < billed_before < BUDGET and journalled_characters() == billed_before
    child.send_signal(how)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == (-signal.SIGKILL if how == signal.SIGKILL else 130), stderr
    assert "Traceback" not in stderr

    faults.stall = 0
    done = subprocess.run(fill_command(po), env=deepl_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = " ".join((done.stdout + done.stderr).split())
    billed = deepl_server.state.characters_billed
    assert billed_before < billed <= BUDGET  # both runs together: the budget held across the resume
    assert (f"the --max-chars {BUDGET} budget counts the {billed_before} characters the interrupted run 1 "
            "was billed") in out
    assert (f"--max-chars {BUDGET}: {billed} characters billed of the budget "
            f"({billed_before} by the interrupted run 1)") in out
    left = sum(1 for e in load_catalog(po).entries if e.msgid and not e.msgstr)
    assert left > 0 and f"left out by --max-chars: {left} strings" in out


def test_a_quota_stop_then_a_rerun_keeps_the_budget_and_json_says_what_was_used(tmp_path, deepl_server, deepl_env):
    po = write_po(tmp_path / "big-it_IT.po", body=many_strings(600))
    deepl_server.faults.quota_characters = 3000  # the provider raises mid-run: DeepL's 456
    stopped = subprocess.run(fill_command(po, "--json"), env=deepl_env, capture_output=True, text=True)
    assert stopped.returncode == 4, stopped.stderr
    first = json.loads(stopped.stdout)
    billed_before = deepl_server.state.characters_billed
    assert "quota" in first["stopped"] and first["budget_characters_used"] == billed_before > 0

    deepl_server.faults.quota_characters = None  # the account's quota renewed
    done = subprocess.run(fill_command(po, "--json"), env=deepl_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    billed = deepl_server.state.characters_billed
    assert billed <= BUDGET and report["over_budget"] > 0
    assert report["resumed_run"] == 1 and report["earlier_usage"]["deepl"]["characters"] == billed_before
    assert report["budget_characters_used"] == billed and report["max_chars"] == BUDGET
    assert report["billed_characters"] == billed - billed_before

    # that fill finished: the next one is a fill of its own, with a budget of its own
    again = json.loads(subprocess.run(fill_command(po, "--json"), env=deepl_env, capture_output=True,
                                      text=True).stdout)
    assert again["resumed_run"] is None and again["earlier_usage"] == {}


def test_a_ctrl_c_journals_and_keeps_the_answers_that_were_in_flight(tmp_path, deepl_server, deepl_env):
    """Requests in flight at a Ctrl-C are answered (and billed) after it: their answers are journalled
    and written, so the next run neither pays for them again nor leaves them out of its budget."""
    po = write_po(tmp_path / "big-it_IT.po", body=many_strings(600))
    deepl_server.faults.latency = 0.5
    child = subprocess.Popen(fill_command(po, budget=100_000), env=deepl_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60  # a bound for a broken run, not a speed requirement
    while time.monotonic() < deadline and not (
            deepl_server.state.translate_requests(200)
            and any(r.status == 0 for r in deepl_server.state.translate_requests())):
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)  # while requests are in flight
    stdout, stderr = child.communicate(timeout=30)
    assert child.returncode == 130, stderr
    answered = deepl_server.state.texts_translated()
    assert not any(r.status == 0 for r in deepl_server.state.translate_requests())  # none still open
    assert journalled_characters() == deepl_server.state.characters_billed > 0
    written = [e.msgid for e in load_catalog(po).entries if e.msgid and e.msgstr]
    assert sorted(written) == sorted(answered)
    # the interrupted run says what it did and used, and how to go on
    out = " ".join((stdout + stderr).split())
    assert "Traceback" not in stderr and "Ctrl-C again to stop at once" in out
    assert f"--max-chars 100000: {deepl_server.state.characters_billed} characters billed of the budget" in out
    assert (f"stopped: cancelled left untranslated: {600 - len(written)} of 600 entries "
            f"{600 - len(written)} entries not filled: run the same command again to continue") in out

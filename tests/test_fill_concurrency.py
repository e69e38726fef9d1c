"""Two `transkit fill` processes at once: a live run is never "resumed", and no text is billed twice.

Real subprocesses, the real deepl library, the fake DeepL server on 127.0.0.1 (it records every text
it translated, so "billed once" is read off the server, not off transkit's own counters).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from deepl_server import TEST_KEY
from transkit.catalog import load_catalog

pytest_plugins = ["deepl_fixtures"]

HEADER = ('msgid ""\nmsgstr ""\n"Language: it_IT\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')


def write_po(path: Path, texts: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'msgid "{text}"\nmsgstr ""\n\n' for text in texts)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def shared_texts(count: int) -> list[str]:
    return [f"Shared sentence {n} of the settings page" for n in range(count)]


def start_fill(po: Path, server) -> subprocess.Popen:
    env = {**os.environ, "DEEPL_AUTH_KEY": TEST_KEY, "DEEPL_SERVER_URL": server.url}
    command = [sys.executable, "-m", "transkit.cli.main", "fill", str(po), "--locale", "it_IT",
               "--provider", "deepl", "--json"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_claiming(process: subprocess.Popen) -> None:
    """Until the run has claimed texts in the journal (it is live and sending), not a guessed delay."""
    import sqlite3

    cache = Path(os.environ["TRANSKIT_DATA_DIR"]) / "mtcache.sqlite"
    deadline = time.monotonic() + 60  # a bound for a broken run, not a speed requirement
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if cache.exists():
            try:
                with sqlite3.connect(cache, timeout=5) as conn:
                    if conn.execute("SELECT count(*) FROM claims").fetchone()[0]:
                        return
            except sqlite3.OperationalError:  # the tables are not created yet
                pass
        time.sleep(0.02)
    raise AssertionError("the first fill never started sending")


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr


def test_second_fill_over_a_live_run_is_refused_and_sends_nothing(tmp_path, deepl_server):
    texts = shared_texts(600)
    po = write_po(tmp_path / "plugin" / "plugin-it_IT.po", texts)
    # the first run stays live (its requests unanswered) until the second has ended: a fixed
    # latency let a loaded machine start the second only after the first had finished
    deepl_server.faults.hold = answer = threading.Event()
    first = start_fill(po, deepl_server)
    wait_until_claiming(first)
    second = start_fill(po, deepl_server)
    second_result = finish(second)
    answer.set()
    results = [finish(first), second_result]
    refused = [r for r in results if r[0] != 0]
    succeeded = [r for r in results if r[0] == 0]
    assert len(refused) == 1 and len(succeeded) == 1, results
    code, stdout, stderr = refused[0]
    assert code == 7
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "another fill is running over" in lines[0] and "pid" in lines[0], stderr
    refusal = json.loads(stdout)["error"]  # --json: the same refusal on stdout, nothing else
    assert refusal["exit_code"] == 7 and "another fill is running over" in refusal["message"]
    assert "resuming" not in stderr
    assert json.loads(succeeded[0][1])["resumed_run"] is None
    # the server billed every text exactly once
    sent = Counter(deepl_server.state.texts_translated())
    assert set(sent) == set(texts) and max(sent.values()) == 1
    assert deepl_server.state.characters_billed == sum(map(len, texts))
    assert all(e.msgstr and e.fuzzy for e in load_catalog(po).entries)


def test_fills_over_other_catalogs_share_the_texts_they_both_need(tmp_path, deepl_server):
    common = shared_texts(400)
    first_po = write_po(tmp_path / "alpha" / "alpha-it_IT.po", common + ["Only alpha says this"])
    second_po = write_po(tmp_path / "beta" / "beta-it_IT.po", ["Only beta says this"] + common[::-1])
    deepl_server.faults.latency = 1.0
    first = start_fill(first_po, deepl_server)
    wait_until_claiming(first)
    second = start_fill(second_po, deepl_server)
    for code, stdout, stderr in (finish(first), finish(second)):
        assert code == 0, stderr
    sent = Counter(deepl_server.state.texts_translated())
    assert max(sent.values()) == 1, [text for text, n in sent.items() if n > 1][:5]
    assert set(sent) == set(common) | {"Only alpha says this", "Only beta says this"}
    for po in (first_po, second_po):
        entries = load_catalog(po).entries
        assert all(e.msgstr == e.msgid.upper() and e.fuzzy for e in entries)


def test_a_run_whose_process_is_gone_is_resumed(tmp_path):
    """A run journalled as running by a process that no longer exists blocks nothing."""
    from transkit.suggest.cache import MTCache

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    po = str((tmp_path / "x-it_IT.po").resolve())
    with MTCache() as cache:
        run_id, _ = cache.start_run("it_IT", [po])
        cache._conn.execute("UPDATE runs SET pid = ? WHERE id = ?", (gone.pid, run_id))
        cache._conn.commit()
    with MTCache() as cache:
        next_run, unfinished = cache.start_run("it_IT", [po])
        assert unfinished["run"] == run_id and next_run != run_id
        cache.finish_run(next_run)


def test_a_journal_from_before_pids_opens_and_its_unfinished_run_is_resumed(tmp_path):
    import sqlite3

    from transkit.suggest.cache import MTCache

    path = tmp_path / "mtcache.sqlite"
    po = str((tmp_path / "x-it_IT.po").resolve())
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at REAL NOT NULL, finished_at REAL, "
                     "locale TEXT NOT NULL, paths TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running', "
                     "billed_characters INTEGER NOT NULL DEFAULT 0, note TEXT)")
        conn.execute("INSERT INTO runs(started_at, locale, paths) VALUES (?, 'it_IT', ?)",
                     (time.time(), json.dumps([po])))
    with MTCache(path) as cache:
        run_id, unfinished = cache.start_run("it_IT", [po])
        assert unfinished["run"] == 1 and run_id == 2
        cache.finish_run(run_id)

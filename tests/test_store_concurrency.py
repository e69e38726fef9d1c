"""Two processes writing the review database at once: one filling, one approving — on a SQLite
file and on PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from transkit.catalog import load_catalog
from transkit.store import CatalogKey, ReviewState, ReviewStore

ENTRIES = 600


def write_po(path, count: int) -> None:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
             '"Language: nl_NL\\n"', ""]
    for index in range(count):
        # the first half waits to be filled (untranslated), the second half to be approved (fuzzy)
        if index < count // 2:
            lines += [f'msgid "Message number {index}"', 'msgstr ""', ""]
        else:
            lines += ["#, fuzzy", f'msgid "Message number {index}"', f'msgstr "Bericht {index}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


WORKER = textwrap.dedent('''
    import sys, time
    from pathlib import Path
    from transkit.catalog import load_catalog
    from transkit.store import CatalogKey, ReviewState, ReviewStore

    role, db, po, go = sys.argv[1:5]
    catalog = load_catalog(po)
    key = CatalogKey.for_catalog(catalog)
    entries = catalog.entries
    half = len(entries) // 2
    Path(go + "." + role).touch()  # ready: imports done, catalog read
    while not Path(go).exists():  # start together
        time.sleep(0.005)
    other = go + "." + ("approve" if role == "fill" else "fill") + ".first"

    def first_written():
        # both writers have written once before either goes on: their writes overlap however
        # the machine schedules the two processes (a loaded machine may run one to its end first)
        Path(go + "." + role + ".first").touch()
        deadline = time.monotonic() + 90
        while not Path(other).exists():
            if time.monotonic() > deadline:
                sys.exit(f"{role}: the other writer never wrote")
            time.sleep(0.005)

    with ReviewStore.open(db) as store:
        started = time.time()
        if role == "fill":
            for number, entry in enumerate(entries[:half]):
                entry.msgstr = "MT: " + entry.msgid
                entry.fuzzy = True
                store.record(key, entry, ReviewState.SUGGESTED, provider="deepl", who="filler")
                if number == 0:
                    first_written()
        else:
            for number, entry in enumerate(entries[half:]):
                entry.fuzzy = False  # as `transkit review --approve` leaves it in the PO
                assert store.approve(key, [entry], who="approver") == 1
                store.progress(key)  # a reader between writes, as the TUI does
                if number == 0:
                    first_written()
        print(started, time.time())
''')


def test_filling_and_approving_at_once_keep_both(tmp_path, backend):
    po = tmp_path / "demo-nl_NL.po"
    write_po(po, ENTRIES)
    db = backend.target()
    catalog = load_catalog(po)
    key = CatalogKey.for_catalog(catalog)
    with ReviewStore.open(db) as store:
        store.sync_catalog(catalog)
    go = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, role, str(db), str(po), str(go)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for role in ("fill", "approve")]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.{role}").exists() for role in ("fill", "approve")):
        assert time.monotonic() < deadline and all(w.poll() is None for w in workers), "a worker died"
        time.sleep(0.01)
    go.touch()
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err
    spans = [tuple(map(float, out.split())) for out, _err in outputs]
    assert max(start for start, _end in spans) < min(end for _start, end in spans), \
        f"the two writers did not overlap: {spans}"
    with ReviewStore.open(db) as store:
        states = store.states(key)
        progress = store.progress(key)
        events = store.history(key, limit=None, include_sync=False)
    filled = [s for (_c, msgid), s in states.items() if int(msgid.rsplit(" ", 1)[1]) < ENTRIES // 2]
    approved = [s for (_c, msgid), s in states.items() if int(msgid.rsplit(" ", 1)[1]) >= ENTRIES // 2]
    assert {(s.state, s.provider, s.who) for s in filled} == {(ReviewState.SUGGESTED, "deepl", "filler")}
    assert {(s.state, s.who) for s in approved} == {(ReviewState.REVIEWED, "approver")}
    assert len(filled) == len(approved) == ENTRIES // 2
    assert (progress.machine, progress.reviewed) == (ENTRIES // 2, ENTRIES // 2)
    assert len(events) == ENTRIES
    if backend.name == "sqlite":
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()

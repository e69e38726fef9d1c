"""`transkit db status` and `transkit db migrate` at an 80-column terminal (QA: lines of ~200
characters, every migration of a component on one line): one schema step per line under its
component, short descriptions, the location on its own line (a URL with its password masked),
on SQLite files and on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3

from narrow_terminal import assert_fits, transkit_at_80
from transkit.store.schema import COMPONENTS, migrations_of

PASSWORD = "s3cret-Pa55"


def step_lines(text: str, label: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"         {label} ")]


def test_migrate_lists_one_step_per_line_and_fits_80_columns(backend):
    env = dict(os.environ)
    if backend.url:  # a password in the URL: shown masked, as every face shows it
        env["TRANSKIT_DATABASE_URL"] = backend.url.replace("postgresql://transkit@",
                                                           f"postgresql://transkit:{PASSWORD}@")
    done = transkit_at_80("db", "migrate", env=env)
    steps = step_lines(done.stdout, "applied")
    every = [(component, m) for component in COMPONENTS for m in migrations_of(component)]
    assert steps == [f"         applied {m.version}: {m.summary}" for _, m in every]
    assert "review   " in done.stdout and f"schema {len(migrations_of('review'))}/" in done.stdout
    assert_fits(done.stdout, "applied 1: catalogs, entry states, history, daily progress")
    if backend.url:
        assert "transkit:***@" in done.stdout and PASSWORD not in done.stdout + done.stderr
    else:
        assert str(backend.folder / "review.db") in done.stdout
    again = transkit_at_80("db", "migrate", env=env)
    assert again.stdout.count("already up to date") == len(COMPONENTS) and not step_lines(again.stdout, "applied")
    assert_fits(again.stdout)
    status = transkit_at_80("db", "status", env=env)
    assert status.stdout.count("up to date") == len(COMPONENTS)
    assert_fits(status.stdout)


def test_status_lists_the_pending_steps_one_a_line(isolated_home):
    transkit_at_80("db", "migrate")
    memory = isolated_home / "data" / "tm.sqlite"
    with sqlite3.connect(memory) as conn:  # as a store an older transkit made: the steps after 1 not applied
        conn.execute("DELETE FROM schema_migrations WHERE version > 1")
    conn.close()
    shown = transkit_at_80("db", "status").stdout
    pending = [m for m in migrations_of("memory") if m.version > 1]
    assert step_lines(shown, "pending") == [f"         pending {m.version}: {m.summary}" for m in pending]
    assert_fits(shown, f"{len(pending)} steps pending: run `transkit db migrate`", f"pending 2: {pending[0].summary}")
    assert str(memory) in shown

"""Run `transkit` as a person at an 80-column terminal would, and check what it printed fits: every
line at most 80 cells, and the words that matter never broken across two lines."""

from __future__ import annotations

import os
import subprocess
import sys

from rich.cells import cell_len

COLUMNS = 80


def transkit_at_80(*args, env: dict | None = None, cwd=None, returncode: int | None = 0) -> subprocess.CompletedProcess:
    environment = {**(os.environ if env is None else env), "COLUMNS": str(COLUMNS), "TERM": "dumb"}
    done = subprocess.run([sys.executable, "-m", "transkit.cli.main", *map(str, args)], env=environment, cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    if returncode is not None:
        assert done.returncode == returncode, done.stdout + done.stderr
    return done


def assert_fits(text: str, *whole: str) -> None:
    """Every line of ``text`` fits 80 cells, and each of ``whole`` stands on one line (not cut in
    two by a fold)."""
    lines = text.splitlines()
    too_wide = [line for line in lines if cell_len(line) > COLUMNS]
    assert not too_wide, "\n".join(too_wide)
    for words in whole:
        assert any(words in line for line in lines), (words, text)

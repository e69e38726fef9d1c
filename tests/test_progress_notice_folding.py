"""A job's notice on a terminal (a fill's "DeepL: …", a retry, a provider that stopped) is folded
between words with its folded lines indented, as the other messages are (QA: fill's live notices
ran past 80 columns and the terminal cut them anywhere); in a log it stays one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pexpect
import pyte

MESSAGE = ("DeepL refused the request for wp-content/plugins/averyveryverylongpluginname/languages/"
           "averyveryverylongpluginname-de_DE.po: quota exceeded; the entries left are untranslated")
SCRIPT = f"""
from transkit.cli.progress import job_progress
from transkit.jobs.progress import ProgressEvent
with job_progress() as sink:
    sink(ProgressEvent("filling", 1, 2, {MESSAGE!r}, notice=True))
"""


def test_a_notice_on_an_80_column_terminal_is_folded_between_words():
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    child = pexpect.spawn(sys.executable, ["-c", SCRIPT], env=env, dimensions=(24, 80))
    child.expect(pexpect.EOF, timeout=60)
    stream.feed(child.before)
    lines = [line.rstrip() for line in screen.display if line.strip()]
    assert len(lines) > 1 and all(line.startswith("  ") for line in lines[1:]), lines
    joined = lines[0].strip()
    for line in lines[1:]:  # broken only where a space is, or after a path's "/"
        joined += ("" if joined.endswith("/") else " ") + line.strip()
    assert joined == MESSAGE


def test_the_same_notice_in_a_log_is_one_line():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "80"})
    assert result.stderr == MESSAGE + "\n"

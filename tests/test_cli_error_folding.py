"""A command's error on a terminal is folded between words at its width, the folded lines indented
(QA: at 80 columns the terminal cut a long path and the next word anywhere); in a pipe or a log it
stays one line, so a file:line error can be grepped whole."""

from __future__ import annotations

import os
import subprocess
import sys

from tui_pty import Terminal

LONG = "averyveryverylongpluginnamethatkeepsgoing"


def test_an_error_on_an_80_column_terminal_is_folded_between_words(tmp_path):
    (tmp_path / "wp-content" / "plugins" / LONG).mkdir(parents=True)
    terminal = Terminal(["fill", f"wp-content/plugins/{LONG}", "--locale", "de_DE", "--provider", "tm"],
                        cwd=tmp_path, columns=80, lines=24)
    try:
        screen = terminal.wait_for(lambda text: "--locale de_DE`" in text and not terminal.child.isalive())
    finally:
        terminal.close()
    lines = [line for line in screen.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("error: "))
    message = lines[start:]
    assert message[0] == "error: no de_DE catalog under"  # the path did not fit after it: next line
    assert all(line.startswith("  ") and len(line) <= 80 for line in message[1:]), message
    assert " ".join(line.strip() for line in message) == (
        f"error: no de_DE catalog under wp-content/plugins/{LONG}; start one with "
        f"`transkit init wp-content/plugins/{LONG} --locale de_DE`")


def test_the_same_error_in_a_pipe_is_one_line(tmp_path):
    (tmp_path / "wp-content" / "plugins" / LONG).mkdir(parents=True)
    result = subprocess.run([sys.executable, "-m", "transkit.cli.main", "fill", f"wp-content/plugins/{LONG}",
                             "--locale", "de_DE", "--provider", "tm"], cwd=tmp_path, capture_output=True,
                            text=True, env={**os.environ, "COLUMNS": "80"})
    assert result.returncode != 0
    assert (f"error: no de_DE catalog under wp-content/plugins/{LONG}; start one with `transkit init "
            f"wp-content/plugins/{LONG} --locale de_DE`\n") in result.stderr

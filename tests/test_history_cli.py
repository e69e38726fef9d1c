"""`transkit history`: two checkouts of one plugin (same text domain and locale) are two histories,
and the events fit an 80-column terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from transkit.errors import ExitCode

LONG = ("This is a very long source string that a plugin shows in its settings page to explain what the "
        "option does")


def transkit(*args: str, cwd: Path | None = None, columns: int = 80) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS=str(columns), TRANSKIT_TRANSLATOR_NAME="Ada Lovelace-Byron",
               TRANSKIT_TRANSLATOR_EMAIL="ada.lovelace-byron@analytical-engine.example.org")
    return subprocess.run([sys.executable, "-c", "from transkit.cli.main import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture
def two_checkouts(sample_po, tmp_path) -> tuple[Path, Path]:
    """tiny-gallery in two folders; a long translated entry added to both."""
    one, two = tmp_path / "work" / "tiny-gallery", tmp_path / "release" / "tiny-gallery"
    for copy in (one, two):
        shutil.copytree(sample_po / "tiny-gallery", copy)
        po = copy / "languages" / "tiny-gallery-it_IT.po"
        po.write_text(po.read_text(encoding="utf-8") + f'\nmsgid "{LONG}"\nmsgstr "Una stringa molto lunga"\n',
                      encoding="utf-8")
    for copy in (one, two):
        assert transkit("status", str(copy)).returncode == 0
    assert transkit("review", str(one), "--approve", "msgid~long source").returncode == 0
    assert transkit("review", str(two), "--approve", "msgid=Close").returncode == 0
    return one, two


def test_history_of_a_folder_shows_only_that_checkout(two_checkouts):
    one, two = two_checkouts
    first = json.loads(transkit("history", str(one), "--json").stdout)
    assert first["checkout"] == str(one.resolve())
    assert first["events"] and all(e["path"].startswith(str(one.resolve())) for e in first["events"])
    assert {e["msgid"] for e in first["events"]} == {LONG}
    assert first["days"][-1]["reviewed"] == 1
    second = json.loads(transkit("history", str(two), "--json").stdout)
    assert {e["msgid"] for e in second["events"]} == {"Close"}
    assert all(path.startswith(str(two.resolve())) for path in second["catalogs"])
    # the default PLUGIN is the current folder: that checkout
    here = json.loads(transkit("history", "--json", cwd=two).stdout)
    assert {e["msgid"] for e in here["events"]} == {"Close"}


def test_history_by_name_known_in_two_folders_is_refused_naming_both(two_checkouts):
    one, two = two_checkouts
    result = transkit("history", "tiny-gallery")
    assert result.returncode == ExitCode.USAGE
    message = " ".join(result.stderr.split())
    assert str(one.resolve()) in message and str(two.resolve()) in message
    assert "name the folder" in message and "Traceback" not in message
    assert result.stdout == ""


def test_history_lines_fit_80_columns(two_checkouts):
    one, _ = two_checkouts
    result = transkit("history", str(one))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(line for line in lines if len(line) > 80)
    text = "\n".join(lines)
    assert "translated → reviewed" in text and "by Ada Lovelace-Byron" in text
    # the entry is on its own line, folded between words, nothing of it lost but the 60-cell cut
    folded = " ".join(line.strip() for line in lines if line.startswith("    "))
    assert repr(LONG[:59] + "…") in folded
    # a wide terminal keeps one line per event, with the e-mail
    wide = transkit("history", str(one), columns=220).stdout
    assert any(line.startswith("20") and "ada.lovelace-byron@" in line and "long source" in line
               for line in wide.splitlines())

"""Long CLI work is never silent: memory seeding and scanning report their progress when stderr is
not a terminal (periodic lines), and --json prints only its document."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from click.testing import CliRunner

from transkit.cli import progress as cli_progress
from transkit.cli.main import cli
from transkit.suggest.tm import TranslationMemory

PLUGINS = 8


@pytest.fixture
def many_plugins(sample_po, tmp_path):
    """Eight copies of a sample plugin: eight catalogs for the memory to learn."""
    root = tmp_path / "plugins"
    for number in range(PLUGINS):
        shutil.copytree(sample_po / "tiny-gallery", root / f"gallery-{number}")
    return root


@pytest.fixture
def slow_seeding(monkeypatch):
    """Each catalog takes 0.15 s to learn (a large catalog does on a real site): the real seeding
    still runs, only slower, and the lines start after 0.2 s instead of 1 s."""
    original = TranslationMemory.seed_file

    def slow(self, *args, **kwargs):
        time.sleep(0.15)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TranslationMemory, "seed_file", slow)
    monkeypatch.setattr(cli_progress, "QUIET_SECONDS", 0.2)
    monkeypatch.setattr(cli_progress, "LINE_SECONDS", 0.3)


def seeding_counts(stderr: str) -> list[int]:
    return [int(m.group(1)) for m in re.finditer(rf"^seeding memory: (\d+)/{PLUGINS}\b", stderr, re.M)]


def test_scan_reports_the_memory_seeding_in_periodic_lines(many_plugins, slow_seeding):
    result = CliRunner().invoke(cli, ["scan", str(many_plugins)], catch_exceptions=False)
    assert result.exit_code == 0
    counts = seeding_counts(result.stderr)
    assert len(counts) >= 3, result.stderr  # some on the way, then the last count
    assert counts == sorted(counts) and counts[-1] == PLUGINS
    assert 0 < counts[-2] < PLUGINS
    assert "gallery-" in result.stderr  # the line names the catalog being learned
    assert "it_IT" in result.stdout  # the table is still there, on stdout
    with TranslationMemory() as memory:
        assert memory.stats()["segments"] > 0  # the seeding those lines report did happen


def test_fill_reports_the_memory_seeding_before_filling(many_plugins, slow_seeding):
    result = CliRunner().invoke(cli, ["fill", str(many_plugins), "--locale", "it_IT", "--provider", "tm",
                                      "--dry-run"], catch_exceptions=False)
    assert result.exit_code == 0
    counts = seeding_counts(result.stderr)
    assert len(counts) >= 3 and counts[-1] == PLUGINS, result.stderr
    assert "catalogs: 8" in result.stdout


@pytest.mark.parametrize("command", [["scan"], ["fill", "--locale", "it_IT", "--provider", "tm", "--dry-run"],
                                     ["status"]])
def test_json_prints_no_progress(many_plugins, slow_seeding, command):
    result = CliRunner().invoke(cli, [command[0], str(many_plugins), *command[1:], "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    json.loads(result.stdout)


def test_status_reports_the_catalogs_it_examines(many_plugins, monkeypatch):
    monkeypatch.setattr(cli_progress, "QUIET_SECONDS", 0)
    monkeypatch.setattr(cli_progress, "LINE_SECONDS", 0)
    result = CliRunner().invoke(cli, ["status", str(many_plugins)], catch_exceptions=False)
    assert result.exit_code == 0
    assert re.search(rf"^catalogs: {PLUGINS}/{PLUGINS} \(.*gallery-", result.stderr, re.M), result.stderr
    assert re.search(r"^finding catalogs: \d+", result.stderr, re.M), result.stderr


def test_a_short_scan_prints_no_progress(many_plugins):
    result = CliRunner().invoke(cli, ["scan", str(many_plugins)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "seeding memory" not in result.stderr and "reading projects" not in result.stderr


def test_progress_lines_fit_the_log_width(many_plugins, monkeypatch):
    """A line names the item by its end ("…/tiny-gallery-it_IT.po") so it fits 80 columns: the QA
    pass saw 100-column lines in a pipe."""
    from transkit.cli import common

    monkeypatch.setattr(cli_progress, "QUIET_SECONDS", 0)
    monkeypatch.setattr(cli_progress, "LINE_SECONDS", 0)
    monkeypatch.setattr(common.err_console, "width", 80)
    result = CliRunner().invoke(cli, ["status", str(many_plugins)], catch_exceptions=False)
    lines = [line for line in result.stderr.splitlines() if line.startswith("catalogs: ")]
    assert lines and all(len(line) <= 80 for line in lines), lines
    assert any(line.endswith("tiny-gallery-it_IT.po)") for line in lines), lines

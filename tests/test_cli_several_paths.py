"""scan, doctor, status (and the TUI, see test_tui_several_paths) take PATH… like check and fill; scan
exits 3 on a catalog it could not read, as status, check and review do (ExitCode.CATALOG)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.cli.main import cli
from transkit.errors import ExitCode
from plugin_helpers import write_plugin

HEADER = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: {locale}\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    msgid "Save"
    msgstr "{save}"

    msgid "Close"
    msgstr ""
    ''')

BROKEN = 'msgid ""\nmsgstr ""\n"Language: fr_FR\\n"\n\nmsgid "Save"\nmsgstr "Enregistrer\n'


def plugin(root: Path, slug: str, locale: str, save: str = "x", *, text: str | None = None,
           name: str | None = None) -> Path:
    return write_plugin(root, slug, name or f"{slug}-{locale}.po",
                        text if text is not None else HEADER.format(locale=locale, save=save))


@pytest.fixture
def two_sites(tmp_path) -> tuple[Path, Path]:
    """Two plugin folders in two places, and a broken catalog in a third."""
    one, two = tmp_path / "site-one" / "plugins", tmp_path / "site-two" / "plugins"
    plugin(one, "alpha", "de_DE", "Speichern")
    plugin(two, "beta", "it_IT", "Salva")
    return one, two


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def transkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command, as a user runs it (its own process, a pipe for output, COLUMNS=80)."""
    import os

    env = dict(os.environ, COLUMNS="80")
    return subprocess.run([sys.executable, "-c", "from transkit.cli.main import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


# -- scan: exit 3 when a catalog cannot be read -------------------------------------------------------

def test_scan_names_an_unreadable_catalog_and_exits_3(two_sites, tmp_path):
    one, _ = two_sites
    bad = plugin(one, "gamma", "fr_FR", text=BROKEN)
    result = transkit("scan", str(one), cwd=tmp_path)
    assert result.returncode == ExitCode.CATALOG == 3, result.stdout + result.stderr
    # named relative to the current folder, as status and review name files
    assert f"unreadable: {bad.relative_to(tmp_path)}:6: expected a quoted string" in " ".join(result.stdout.split())
    assert "1 catalog(s) could not be read." in result.stdout
    assert "alpha" in result.stdout and "Traceback" not in result.stdout + result.stderr
    # --json: the same exit code, the error in the catalog's row
    as_json = transkit("scan", str(one), "--json")
    assert as_json.returncode == 3
    rows = {locale["locale"]: locale for project in json.loads(as_json.stdout) for locale in project["locales"]}
    assert rows["fr_FR"]["error"].startswith(f"{bad}:6:") and rows["de_DE"]["error"] is None
    assert as_json.stderr == ""


def test_scan_exits_0_when_every_catalog_was_read(two_sites):
    one, _ = two_sites
    assert transkit("scan", str(one)).returncode == 0
    assert transkit("scan", str(one), "--json").returncode == 0


def test_scan_names_an_unreadable_template(two_sites, tmp_path, monkeypatch):
    one, _ = two_sites
    monkeypatch.chdir(tmp_path)
    (one / "alpha" / "languages" / "alpha.pot").write_text('msgid ""\nmsgstr ""\n\nmsgid "a\n', encoding="utf-8")
    result = run("scan", str(one))
    assert result.exit_code == 3
    assert "template unreadable" in result.output
    assert f"unreadable: {(one / 'alpha' / 'languages' / 'alpha.pot').relative_to(tmp_path)}:4:" in result.output
    [project] = json.loads(run("scan", str(one), "--json").output)
    assert project["template_error"].startswith(str(one / "alpha" / "languages" / "alpha.pot") + ":4:")


def test_scan_says_which_l10n_php_the_memory_could_not_read(tmp_path):
    """A language pack WordPress installed as .l10n.php only: scan reads nothing of it itself, the
    memory does; when that fails, the row says unreadable with file and line, and the exit is 3."""
    languages = tmp_path / "wp-content" / "languages" / "plugins"
    languages.mkdir(parents=True)
    plugin(tmp_path / "wp-content" / "plugins", "alpha", "de_DE", "Speichern")
    broken = languages / "alpha-de_DE.l10n.php"
    broken.write_text("<?php\nreturn ['messages' => ['Save' => 'Speichern'", encoding="utf-8")
    result = run("scan", str(tmp_path / "wp-content"), "--json")
    assert result.exit_code == 3, result.output
    rows = [locale for project in json.loads(result.output) for locale in project["locales"]
            if locale["kind"] == "l10n.php"]
    assert rows and rows[0]["error"] and rows[0]["error"].startswith(str(broken))


def test_scan_help_documents_exit_3():
    text = " ".join(run("scan", "--help").output.split())
    assert "3 some catalogs could not be read" in text and "PATH…" in text


# -- several PATHs ------------------------------------------------------------------------------------

def test_scan_takes_several_paths_and_lists_a_project_reached_twice_once(two_sites):
    one, two = two_sites
    result = run("scan", str(one), str(two), str(one / "alpha"), "--json")
    assert result.exit_code == 0, result.output
    names = [project["handle"] for project in json.loads(result.output)]
    assert names == ["alpha", "beta"]
    shown = run("scan", str(one), str(two)).output
    assert "2 project(s) under" in shown and "alpha" in shown and "beta" in shown


def test_status_takes_several_paths(two_sites):
    one, two = two_sites
    result = run("status", str(one), str(two), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sorted(c["project"] for c in data["catalogs"]) == ["alpha", "beta"]
    assert data["roots"] == [str(one), str(two)]
    table = run("status", str(one / "alpha"), str(two)).output
    assert "alpha-de_DE.po" in table and "beta-it_IT.po" in table


def test_status_over_several_paths_exits_3_when_one_holds_an_unreadable_catalog(two_sites, tmp_path):
    one, two = two_sites
    bad = plugin(tmp_path / "third", "gamma", "fr_FR", text=BROKEN)
    result = transkit("status", str(one), str(two), str(bad))
    assert result.returncode == 3
    assert "alpha-de_DE.po" in result.stdout and "beta-it_IT.po" in result.stdout
    assert "1 catalog(s) could not be read." in result.stdout


def test_doctor_takes_several_paths_and_fixes_each(two_sites, tmp_path, monkeypatch):
    one, two = two_sites
    monkeypatch.chdir(tmp_path)
    misnamed_one = plugin(one, "gamma", "uk_UA", name="gamma_uk_UA.po")
    misnamed_two = plugin(two, "delta", "uk_UA", name="delta_uk_UA.po")
    result = run("doctor", "site-one/plugins", "site-two/plugins")
    assert result.exit_code == 1
    flat = " ".join(result.output.split())
    assert "site-one/plugins/gamma/languages/gamma_uk_UA.po: " in flat
    assert "site-two/plugins/delta/languages/delta_uk_UA.po: " in flat
    assert "`transkit doctor site-one/plugins site-two/plugins --fix`" in flat
    fixed = run("doctor", str(one), str(two), "--fix", "--json")
    data = json.loads(fixed.output)
    assert sorted(Path(change["to"]).name for change in data["changes"] if change["done"]) == \
        ["delta-uk_UA.po", "gamma-uk_UA.po"]
    assert (one / "gamma" / "languages" / "gamma-uk_UA.po").is_file() and not misnamed_one.exists()
    assert (two / "delta" / "languages" / "delta-uk_UA.po").is_file() and not misnamed_two.exists()


def test_init_takes_one_plugin_and_says_so(two_sites):
    """init creates one catalog in one project (and may build its template first): two folders are
    a usage error, nothing is written."""
    one, two = two_sites
    result = run("init", str(one / "alpha"), str(two / "beta"), "--locale", "fr_FR")
    assert result.exit_code == ExitCode.USAGE
    assert not list(one.rglob("*fr_FR.po")) and not list(two.rglob("*fr_FR.po"))
    assert "one plugin per run" in " ".join(run("init", "--help").output.split()).lower()
    assert "one plugin per run" in result.output


def test_scan_and_status_warnings_fit_80_columns(two_sites, tmp_path):
    """A catalog whose header names another locale: scan's, status's and doctor's lines are folded at
    the terminal's width (they ran to 150 characters), and name files relative to the current folder."""
    one, _ = two_sites
    plugin(one, "gamma-long-name", "de_DE", name="gamma-long-name_de_DE.po",
           text=HEADER.format(locale="fr_FR", save="Enregistrer"))
    for command, code in (("scan", 0), ("status", 0), ("doctor", 1)):
        result = transkit(command, str(one), cwd=tmp_path)
        assert result.returncode == code, result.stderr
        assert "site-one/plugins/gamma-long-name/languages/gamma-long-name_de_DE.po: " \
            in " ".join(result.stdout.split())
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, result.stdout


def test_init_and_compile_name_files_relative_to_the_current_folder(sample_po, tmp_path):
    """QA: `init` and `compile` printed absolute paths (110-character lines at 80 columns) where
    check and status print them relative to the current folder."""
    result = transkit("init", "sample_po/tiny-gallery", "--locale", "fr_FR", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Created sample_po/tiny-gallery/languages/tiny-gallery-fr_FR.po (13 entries to translate)." \
        in " ".join(result.stdout.split())
    compiled = transkit("compile", "sample_po/tiny-gallery", cwd=tmp_path)
    assert compiled.returncode == 0, compiled.stderr
    assert "sample_po/tiny-gallery/languages/tiny-gallery-it_IT.po: 4 strings → .mo, .l10n.php" \
        in " ".join(compiled.stdout.split())
    assert str(tmp_path) not in result.stdout + compiled.stdout
    assert max(len(line) for line in (result.stdout + compiled.stdout).splitlines()) <= 80


def test_review_table_fits_80_columns_and_breaks_names_between_words(sample_po, tmp_path):
    """QA: at 80 columns the catalog column was cut inside a word ('tiny-gallery-it_' / 'IT.po') and the
    held-back lines ran to 150 characters."""
    copies = tmp_path / "copies"
    for name in ("first-copy-of-the-plugin", "second-copy-of-the-plugin"):
        shutil.copytree(sample_po / "tiny-gallery", copies / name / "tiny-gallery")
    result = transkit("review", "copies", "--approve", "msgid~Gallery", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    table = []
    for line in lines[1:]:  # the table: up to the dry run's list of entries
        if line.startswith(("  ", "held")):
            break
        table.append(line)
    names = [line.split()[0] for line in table]
    # each catalog cell, its lines put together, is the whole relative path; every piece ends at a break
    joined = "".join(names)
    for name in ("first-copy-of-the-plugin", "second-copy-of-the-plugin"):
        assert f"{name}/tiny-gallery/languages/tiny-gallery-it_IT.po" in joined, result.stdout
    assert all(piece.endswith(("/", "-", ".po")) for piece in names), names
    assert "held back: " in result.stdout and "argument 2 is missing" in " ".join(result.stdout.split())

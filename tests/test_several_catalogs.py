"""Commands over several catalogs never leave a half-done job unexplained: `review --approve` goes
catalog by catalog (a malformed one is reported, the others are approved; one saved by an editor
meanwhile is read again), `update` checks every catalog before it writes any."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from plugin_helpers import write_plugin

HEADER = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: {locale}\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    ''')

ENTRIES = textwrap.dedent('''\
    #, fuzzy
    msgid "Save"
    msgstr "{save}"

    #, fuzzy, php-format
    msgid "%d files"
    msgstr "{files}"

    msgid "Close"
    msgstr ""
    ''')

BROKEN = HEADER.format(locale="fr_FR") + 'msgid "Save"\nmsgstr "Enregistrer"\nmsgid\n'


def plugin(root: Path, slug: str, locale: str, save: str, files: str) -> Path:
    return write_plugin(root, slug, f"{slug}-{locale}.po",
                        HEADER.format(locale=locale) + ENTRIES.format(save=save, files=files))


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "plugins"
    plugin(root, "alpha", "de_DE", "Speichern", "%d Dateien")
    plugin(root, "beta", "it_IT", "Salva", "file")  # "%d" lost: an error, held back
    broken = root / "gamma" / "languages"
    broken.mkdir(parents=True)
    (root / "gamma" / "gamma.php").write_text("<?php\n/*\n * Plugin Name: gamma\n */\n", encoding="utf-8")
    (broken / "gamma-fr_FR.po").write_text(BROKEN, encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_approve_reports_each_catalog_and_a_malformed_one_does_not_stop_the_others(site):
    broken = site / "gamma" / "languages" / "gamma-fr_FR.po"
    before = broken.read_bytes()
    result = run("review", str(site), "--approve", "all", "--json")
    assert result.exit_code == 3, result.output  # ExitCode.CATALOG: one catalog failed
    report = json.loads(result.stdout)
    by_name = {Path(c["path"]).name: c for c in report["catalogs"]}
    assert by_name["alpha-de_DE.po"]["status"] == "approved" and by_name["alpha-de_DE.po"]["approved"] == 2
    beta = by_name["beta-it_IT.po"]
    assert beta["approved"] == 1 and [h["msgid"] for h in beta["held_back"]] == ["%d files"]
    assert "format" in beta["held_back"][0]["reason"]
    gamma = by_name["gamma-fr_FR.po"]
    assert gamma["status"] == "failed" and "gamma-fr_FR.po" in gamma["error"]
    assert report["failed"] == 1 and report["approved"] == 3 and report["held_back"] == 1

    # what a person sees: each catalog, and the files as the report says
    alpha = load_catalog(site / "alpha" / "languages" / "alpha-de_DE.po")
    assert not alpha.find("Save").fuzzy and not alpha.find("%d files").fuzzy
    beta_po = load_catalog(site / "beta" / "languages" / "beta-it_IT.po")
    assert not beta_po.find("Save").fuzzy and beta_po.find("%d files").fuzzy
    assert broken.read_bytes() == before


def test_approve_table_names_what_was_written_held_back_and_failed(site):
    result = run("review", str(site), "--approve", "all")
    assert result.exit_code == 3
    out = result.output
    assert "alpha/languages/alpha-de_DE.po" in out and "written" in out
    assert "held back:" in out and "%d files" in out
    assert "failed:" in out and "gamma-fr_FR.po" in out
    assert "Approved 3 entries in 2 catalog(s). Held back 1 with errors. 1 catalog(s) failed" in \
        " ".join(out.split())


def test_approve_reads_a_catalog_again_when_an_editor_saves_it_meanwhile(site, monkeypatch):
    """The TUI saves another entry of the same catalog between approve's read and its write: the
    approval is redone on the file as it is now, and the editor's translation is kept."""
    import transkit.catalog as catalog_module
    from transkit.jobs.review import approve

    po = site / "alpha" / "languages" / "alpha-de_DE.po"
    real_load = catalog_module.load_catalog
    edited = []

    def load_then_editor_saves(path, *args, **kwargs):
        catalog = real_load(path, *args, **kwargs)
        if Path(path) == po and not edited:
            editor = real_load(po)
            editor.find("Close").msgstr = "Schließen"
            editor.save()
            edited.append(True)
        return catalog

    import transkit.jobs.review as review_module  # it imports load_catalog at module level

    monkeypatch.setattr(review_module, "load_catalog", load_then_editor_saves)
    report = approve([site / "alpha"], "all")
    (alpha,) = report.catalogs
    assert alpha.error is None and alpha.attempts == 2
    saved = real_load(po)
    assert saved.find("Close").msgstr == "Schließen"  # the editor's work
    assert not saved.find("Save").fuzzy and not saved.find("%d files").fuzzy  # and the approval
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)


def test_approve_takes_several_paths_and_defaults_to_the_current_folder(site, monkeypatch):
    both = run("review", str(site / "alpha"), str(site / "beta"), "--approve", "all", "--dry-run", "--json")
    assert both.exit_code == 0, both.output
    assert {Path(c["path"]).name for c in json.loads(both.stdout)["catalogs"]} == {
        "alpha-de_DE.po", "beta-it_IT.po"}
    monkeypatch.chdir(site / "alpha")
    here = run("review", "--approve", "all", "--dry-run")
    assert here.exit_code == 0 and "Would approve 2 entries in 1 catalog" in here.output


TEMPLATE = textwrap.dedent('''\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"

    msgid "Save"
    msgstr ""

    msgid "%d files"
    msgstr ""

    msgid "Close the window"
    msgstr ""
    ''')


@pytest.fixture
def three_locales(site) -> Path:
    """alpha with a newer template and catalogs in de_DE, it_IT and a malformed fr_FR."""
    languages = site / "alpha" / "languages"
    (languages / "alpha.pot").write_text(TEMPLATE, encoding="utf-8")
    (languages / "alpha-it_IT.po").write_text(
        HEADER.format(locale="it_IT") + ENTRIES.format(save="Salva", files="%d file"), encoding="utf-8")
    return site / "alpha"


def test_update_with_a_malformed_catalog_writes_none_and_lists_each(three_locales):
    languages = three_locales / "languages"
    (languages / "alpha-fr_FR.po").write_text(BROKEN, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in languages.glob("*.po")}
    result = run("update", str(three_locales))
    assert result.exit_code == 3
    out = " ".join(result.output.split())
    assert "languages/alpha-de_DE.po: would change" in out and "languages/alpha-it_IT.po: would change" in out
    assert "languages/alpha-fr_FR.po: failed" in out and "alpha-fr_FR.po:" in out
    assert "Nothing written: 1 of 3 catalogs could not be read" in out and "Traceback" not in out
    assert {p.name: p.read_bytes() for p in languages.glob("*.po")} == before

    as_json = run("update", str(three_locales), "--json")
    assert as_json.exit_code == 3
    report = json.loads(as_json.stdout)
    assert report["written"] == 0 and report["failed"] == 1
    assert sorted((Path(c["path"]).name, c["status"]) for c in report["catalogs"]) == [
        ("alpha-de_DE.po", "would change"), ("alpha-fr_FR.po", "failed"), ("alpha-it_IT.po", "would change")]
    assert {p.name: p.read_bytes() for p in languages.glob("*.po")} == before


def test_update_of_every_catalog_reports_each_and_msgfmt_accepts_them(three_locales, monkeypatch):
    monkeypatch.chdir(three_locales)
    result = run("update", "--json")  # PATH defaults to the current folder
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["written"] == 2 and [c["added"] for c in report["catalogs"]] == [1, 1]
    for po in (three_locales / "languages").glob("*.po"):
        assert load_catalog(po).find("Close the window") is not None
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)

"""Consistency across the user's catalogs of a locale, in the editor and before export: the same
source (+ msgctxt) translated differently in another catalog, and another source given the same
translation there — each naming the other catalog, its line and its text. The other catalogs come
from what the translation memory was seeded with (no file read when a catalog opens)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.cli.main import cli
from transkit.jobs.edit_session import open_catalog
from transkit.jobs.memory import seed_memory
from transkit.tui.app import TranskitApp
from tui_helpers import SIZE, search, settle

HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: {name} 1.0\\n"\n"Language: {locale}\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def plugin(root: Path, name: str, locale: str, body: str) -> Path:
    folder = root / name
    (folder / "languages").mkdir(parents=True)
    (folder / f"{name}.php").write_text(f"<?php\n/*\nPlugin Name: {name}\nVersion: 1.0\nText Domain: {name}\n*/\n")
    po = folder / "languages" / f"{name}-{locale}.po"
    po.write_text(HEADER.format(name=name, locale=locale) + body, encoding="utf-8")
    return po


@pytest.fixture
def site(tmp_path):
    """Three plugins of de_DE and one of fr_FR, the memory seeded from all of them (as scan does)."""
    mine = plugin(tmp_path, "mine", "de_DE",
                  'msgid "All posts"\nmsgstr "Alle Beiträge"\n\n'           # line 8
                  'msgid "Settings"\nmsgstr "Einstellungen"\n\n'            # line 11
                  'msgctxt "verb"\nmsgid "Post"\nmsgstr "Veröffentlichen"\n\n'  # line 15
                  'msgid "Edit"\nmsgstr "Bearbeiten"\n')                    # line 18
    other = plugin(tmp_path, "other", "de_DE",
                   'msgid "Edit"\nmsgstr "Bearbeiten"\n\n'                  # line 8: agrees
                   'msgid "All posts"\nmsgstr "Alle Artikel"\n\n'           # line 11: differs
                   'msgid "Options"\nmsgstr "Einstellungen"\n\n'            # line 14: same translation
                   'msgid "Post"\nmsgstr "Beitrag"\n')                      # no msgctxt: another source
    fuzzy = plugin(tmp_path, "drafty", "de_DE", '#, fuzzy\nmsgid "All posts"\nmsgstr "Sämtliche Posts"\n')
    french = plugin(tmp_path, "french", "fr_FR", 'msgid "All posts"\nmsgstr "Tous les articles"\n')
    gone = plugin(tmp_path, "gone", "de_DE", 'msgid "All posts"\nmsgstr "Alle Einträge"\n')
    report = seed_memory([mine, other, fuzzy, french, gone])
    assert report.files_read == 5 and not report.unreadable
    gone.unlink()  # removed since it was seeded: nothing is said about it
    return {"mine": mine, "other": other}


def problems_of(session, msgid: str, msgctxt: str | None = None) -> list[str]:
    index = next(i for i, e in enumerate(session.entries) if e.msgid == msgid and e.msgctxt == msgctxt)
    return [p.message for p in session.problems.get(index, []) if p.check == "consistency"]


def test_the_edit_session_names_the_other_catalogs_occurrences(site):
    session = open_catalog(site["mine"])
    session.run_all_checks()
    other = site["other"]
    assert problems_of(session, "All posts") == [f"translated differently elsewhere: 'Alle Artikel' in {other}:11"]
    assert problems_of(session, "Settings") == [f"same translation as another source: 'Options' in {other}:14"]
    assert problems_of(session, "Edit") == []  # translated the same way
    assert problems_of(session, "Post", "verb") == []  # another msgctxt is another source
    assert session.consistency_note == "compared with 1 other de_DE catalog"


def test_an_edit_is_compared_as_it_reads_now(site):
    session = open_catalog(site["mine"])
    session.run_all_checks()
    index = next(i for i, e in enumerate(session.entries) if e.msgid == "All posts")
    session.set_form(index, 0, "Alle Artikel")
    assert problems_of(session, "All posts") == []
    session.set_form(index, 0, "Bearbeiten")  # now the same words as "Edit" here and in the other catalog
    assert problems_of(session, "All posts") == [
        f"translated differently elsewhere: 'Alle Artikel' in {site['other']}:11",
        f"same translation as another source: 'Edit' in {site['mine']}:18, 'Edit' in {site['other']}:8"]


def test_a_catalog_with_no_others_says_nothing(tmp_path):
    po = plugin(tmp_path, "alone", "de_DE", 'msgid "All posts"\nmsgstr "Alle Beiträge"\n')
    session = open_catalog(po)
    session.run_all_checks()
    assert problems_of(session, "All posts") == [] and session.consistency_note == ""


async def test_the_editor_shows_where_else_it_is_translated(site):
    app = TranskitApp(site["mine"])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await search(pilot, screen, "All posts")
        shown = str(screen.editor.query_one("#entry-checks").render())
        assert "translated differently elsewhere: 'Alle Artikel' in" in shown
        assert "other-de_DE.po:11" in shown.replace("\n", "")


def test_export_lists_the_other_catalogs_disagreement_in_message_and_json(site, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", str(site["mine"].parent.parent), "--locale", "de_DE", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads(result.stdout)
    other = site["other"]
    assert {"msgid": "All posts", "msgctxt": None, "line": 8, "form": None, "check": "consistency",
            "message": "translated differently elsewhere: 'Alle Artikel' in other-de_DE.po:11"} in data["terminology"]
    assert data["exported"] == 4  # warnings hold nothing back
    section = (out / "MESSAGE.md").read_text(encoding="utf-8").split("## Terminology to look at", 1)[1]
    # named by file name only: the note leaves the machine
    assert "- \"All posts\" (line 8): translated differently elsewhere: 'Alle Artikel' in other-de_DE.po:11" in section
    assert "- \"Settings\" (line 11): same translation as another source: 'Options' in other-de_DE.po:14" in section
    assert str(other.parent) not in json.dumps(data["terminology"]) + section

"""A catalog no header, name or folder gives a locale is listed as left out, with why and what to do,
by every command and the TUI (it was dropped by the finder without a word: scan, check, fill and
status simply did not show it)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from transkit.cli.main import cli
from transkit.tui.app import TranskitApp

from tui_helpers import settle

HEADER_WITHOUT_LANGUAGE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Hello"
msgstr "Hallo"
"""

GERMAN = """msgid ""
msgstr ""
"Language: de_DE\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=n != 1;\\n"

msgid "Hello"
msgstr "Hallo"

msgid "Bye"
msgstr ""
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    from transkit.cli import common

    monkeypatch.setattr(common.console, "width", 1000)  # one line per item, however long the path
    monkeypatch.setattr(common.err_console, "width", 1000)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A plugin with a well-named de_DE catalog and a `myplugin.po` nothing gives a locale, and a
    gettext project whose only catalog is `po/messages.po` without a Language header."""
    plugin = tmp_path / "wp-content" / "plugins" / "myplugin"
    (plugin / "languages").mkdir(parents=True)
    (plugin / "myplugin.php").write_text("<?php\n/*\n * Plugin Name: My Plugin\n * Text Domain: myplugin\n */\n"
                                         "__('Hello', 'myplugin');\n")
    (plugin / "languages" / "myplugin-de_DE.po").write_text(GERMAN)
    (plugin / "languages" / "myplugin.po").write_text(HEADER_WITHOUT_LANGUAGE)
    (tmp_path / "tool" / "po").mkdir(parents=True)
    (tmp_path / "tool" / "po" / "messages.po").write_text('msgid "Hello"\nmsgstr "Hallo"\n')  # no header at all
    monkeypatch.chdir(tmp_path)
    return tmp_path


LEFT_OUT = {
    "wp-content/plugins/myplugin/languages/myplugin.po":
        "no locale: its header has no Language, and neither its name nor its folder names one",
    "tool/po/messages.po": "no locale: it has no header entry, and neither its name nor its folder names one",
}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def left_out_lines(output: str) -> dict[str, str]:
    lines = [line for line in output.splitlines() if line.startswith("left out: ")]
    return {line.split(": ", 2)[1]: line.split(": ", 2)[2] for line in lines}


def assert_json_left_out(items: list[dict], root) -> None:
    assert {item["path"]: item["reason"] for item in items} == {str(root / p): why for p, why in LEFT_OUT.items()}
    hints = {item["path"].rsplit("/", 1)[-1]: item["hint"] for item in items}
    assert hints["myplugin.po"] == "give it a 'Language: <locale>' header line or a name like myplugin-<locale>.po"
    assert hints["messages.po"] == "give it a 'Language: <locale>' header line or a name like <locale>.po"


def test_scan_lists_each_left_out_file_with_why_and_what_to_do(tree):
    result = run("scan", ".")
    assert result.exit_code == 0, result.output
    lines = left_out_lines(result.output)
    assert set(lines) == set(LEFT_OUT)
    for path, why in LEFT_OUT.items():
        assert lines[path].startswith(why + "; give it a 'Language: <locale>' header line")
    assert "myplugin-de_DE.po" not in lines  # the well-named one is a row of the table, as before

    data = json.loads(run("scan", "--json", ".").output)
    assert_json_left_out([item for project in data for item in project["left_out"]], tree)
    plugin = next(project for project in data if project["handle"] == "myplugin")
    assert [locale["locale"] for locale in plugin["locales"]] == ["de_DE"]


def test_doctor_counts_a_left_out_file_as_a_problem(tree):
    (tree / "wp-content/plugins/myplugin/languages/myplugin-de_DE.mo").write_bytes(b"")  # not the point here
    result = run("doctor", ".")
    assert result.exit_code == 1
    assert set(left_out_lines(result.output)) == set(LEFT_OUT)
    data = json.loads(run("doctor", "--json", ".").output)
    assert_json_left_out(data["left_out"], tree)


def test_check_says_how_many_it_left_out_and_does_not_count_them_as_checked(tree):
    result = CliRunner().invoke(cli, ["check", "."], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert set(left_out_lines(result.output)) == set(LEFT_OUT)
    assert "1 catalog(s): 0 error(s), 0 warning(s); 2 left out (no locale known), not checked" in result.output
    data = json.loads(run("check", "--json", ".").output)
    assert data["catalogs"] == 1
    assert_json_left_out(data["left_out"], tree)


def test_fill_reports_the_left_out_files_and_leaves_them_untouched(tree):
    before = {path: (tree / path).read_bytes() for path in LEFT_OUT}
    result = run("fill", ".", "--locale", "de_DE", "--provider", "tm")
    assert result.exit_code == 0, result.output
    assert set(left_out_lines(result.output)) == set(LEFT_OUT)
    assert "catalogs: 1," in result.output
    report = json.loads(run("fill", ".", "--locale", "de_DE", "--provider", "tm", "--json").stdout)
    assert_json_left_out(report["left_out"], tree)
    assert {path: (tree / path).read_bytes() for path in LEFT_OUT} == before


def test_fill_of_a_locale_with_no_catalog_still_names_the_left_out_files(tree):
    result = run("fill", ".", "--locale", "fr_FR", "--provider", "tm")
    assert result.exit_code != 0
    assert set(left_out_lines(result.output)) == set(LEFT_OUT)  # one of them may be the fr_FR one
    assert "no fr_FR catalog under ." in result.output


def test_status_lists_the_left_out_files(tree):
    result = run("status", ".")
    assert result.exit_code == 0, result.output
    assert set(left_out_lines(result.output)) == set(LEFT_OUT)
    data = json.loads(run("status", "--json", ".").output)
    assert_json_left_out(data["left_out"], tree)


def test_a_header_that_names_the_language_is_still_enough(tree):
    named = tree / "wp-content/plugins/myplugin/languages/myplugin.po"
    named.write_text(GERMAN.replace("de_DE", "fr_FR"))
    data = json.loads(run("scan", "--json", ".").output)
    plugin = next(project for project in data if project["handle"] == "myplugin")
    assert sorted(locale["locale"] for locale in plugin["locales"]) == ["de_DE", "fr_FR"]
    assert [item["path"] for project in data for item in project["left_out"]] == [str(tree / "tool/po/messages.po")]


def test_a_language_header_that_is_no_locale_is_said(tree):
    (tree / "tool/po/messages.po").write_text(HEADER_WITHOUT_LANGUAGE.replace(
        '"Content-Type', '"Language: Deutsch\\n"\n"Content-Type'))
    data = json.loads(run("check", "--json", ".").output)
    reasons = {item["path"].rsplit("/", 1)[-1]: item["reason"] for item in data["left_out"]}
    assert reasons["messages.po"] == ("no locale: its Language header 'Deutsch' is not a locale, and neither "
                                      "its name nor its folder names one")


async def test_the_dashboard_shows_a_row_for_each_left_out_file(tree):
    app = TranskitApp(tree)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        rows = {str(row.key.value): [str(cell) for cell in table.get_row(row.key)] for row in table.ordered_rows}
        for path in LEFT_OUT:
            cells = rows[str(tree / path)]
            assert cells[0] == path.rsplit("/", 1)[-1] and cells[1] == "?"
            assert "left out: no locale" in " ".join(cells), cells
        assert rows[str(tree / "wp-content/plugins/myplugin/languages/myplugin-de_DE.po")][1] == "de_DE"

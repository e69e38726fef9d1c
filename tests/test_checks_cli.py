"""`transkit check` as a user runs it: output lines, JSON, GitHub annotations, exit codes."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from transkit.cli.main import cli

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: de_DE\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, php-format
msgid "Deleted %1$s of %2$s"
msgstr "%1$s gelöscht"

msgid "Fish &amp; chips"
msgstr "Fisch und Pommes"

#, fuzzy
msgid "Saving\\n"
msgstr "\\nSpeichern"
'''


def write(tmp_path, text=PO, name="plugin-de_DE.po"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_human_output_names_file_line_and_problem_and_exits_1(tmp_path):
    path = write(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:8: error [format]" in result.output
    assert f"{path}:11: warning [entities]" in result.output


def test_only_translated_skips_the_fuzzy_entry(tmp_path):
    path = write(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--only", "fuzzy", "--json", str(path)])
    data = json.loads(result.output)
    assert {f["line"] for f in data["findings"]} == {15}
    assert {f["check"] for f in data["findings"]} == {"newline-start", "newline-end"}


def test_json_lists_every_finding(tmp_path):
    path = write(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--json", str(tmp_path)])
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["errors"] == 3 and data["catalogs"] == 1
    finding = next(f for f in data["findings"] if f["check"] == "format")
    assert finding == {**finding, "path": str(path), "line": 8, "msgid": "Deleted %1$s of %2$s",
                       "severity": "error", "form": None}


def test_github_annotations(tmp_path):
    path = write(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "github", str(path)])
    assert f"::error file={path},line=8,title=transkit format::" in result.output
    assert f"::warning file={path},line=11,title=transkit entities::" in result.output


def test_a_clean_catalog_exits_0(tmp_path):
    path = write(tmp_path, PO.split("#, php-format")[0] + 'msgid "Save"\nmsgstr "Speichern"\n')
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output


def test_an_unreadable_catalog_names_file_and_line_and_exits_3(tmp_path):
    path = write(tmp_path, 'msgid "a"\nmsgstr "b\n')
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 3
    assert str(path) in result.output


def test_a_msgid_holding_an_emoji_code_is_printed_as_written(tmp_path):
    # rich turns ":thumbs_up:" into an emoji by default: the user would see a msgid the catalog does not have
    path = write(tmp_path, PO.split("#, php-format")[0] + 'msgid "Great :thumbs_up: %s"\nmsgstr "Super"\n',
                 name=":smile:-de_DE.po")
    result = subprocess.run(["transkit", "check", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert '"Great :thumbs_up: %s"' in result.stdout + result.stderr
    assert ":smile:-de_DE.po" in result.stdout + result.stderr
    assert "\N{THUMBS UP SIGN}" not in result.stdout + result.stderr


def test_a_byte_order_mark_is_reported_on_line_1_as_msgfmt_does(sample_po):
    # was "…-de_DE.po:4: error [syntax] (header): line 1: …": the header's line, not the mark's
    good = sample_po / "quick-notes" / "languages" / "quick-notes-it_IT.po"
    bom = good.with_name("quick-notes-de_DE.po")
    bom.write_bytes(b"\xef\xbb\xbf" + good.read_bytes().replace(b"Language: it_IT", b"Language: de_DE"))
    msgfmt = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(bom)], capture_output=True, text=True)
    assert f"{bom}:1:" in msgfmt.stderr
    runner = CliRunner()
    text = runner.invoke(cli, ["check", str(bom), "--errors-only"])
    assert text.exit_code == 1
    assert f"{bom}:1: error [syntax] (header): line 1: the file starts with a UTF-8 byte-order mark" in text.output
    found = json.loads(runner.invoke(cli, ["check", str(bom), "--json"]).output)["findings"]
    assert [(f["check"], f["line"]) for f in found if f["check"] == "syntax"] == [("syntax", 1)]
    github = runner.invoke(cli, ["check", str(bom), "--format", "github"]).output
    assert f"::error file={bom},line=1,title=transkit syntax::" in github

"""Two messages QA found poor: `transkit history` given a file that is no PO catalog said there was
"no review history" for a made-up name; `transkit check` of an empty .po said only that it had no
header entry."""

from __future__ import annotations

from click.testing import CliRunner

from transkit.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_history_of_a_file_that_is_no_po_catalog_says_what_it_is_and_what_to_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "acme.pot").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    text = run("history", "notes.txt")
    assert text.exit_code == 2
    assert ("notes.txt is not a gettext catalog, and review history is kept for PO catalogs: pass a .po "
            "file, the plugin's folder or its name (slug or text domain)") in " ".join(text.output.split())
    template = run("history", "acme.pot")
    assert template.exit_code == 2
    assert "acme.pot is a template, and review history is kept for PO catalogs" in " ".join(template.output.split())


def test_check_of_an_empty_po_says_it_is_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty-de_DE.po").write_bytes(b"")
    result = run("check", "empty-de_DE.po")
    assert result.exit_code == 1
    assert ("empty-de_DE.po: error [header-missing] (header): the file is empty (no entries at all): the "
            "catalog has no header entry") in " ".join(result.output.split())

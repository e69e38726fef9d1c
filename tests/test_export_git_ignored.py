"""`transkit export --git` commits nothing the repository did not ask for: a plugin that ignores its
compiled files (`*.mo`, `*.l10n.php` in .gitignore, as many do) gets a commit of the PO alone, and the
files left out are said in text, in --json and in the maintainer's note (the export failed, exit 5:
`git add` refuses ignored paths). A compiled file the repository tracks is still committed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_export_git import git
from tests.test_export_git_safety import am_applies, tiny_repo, translate
from transkit.cli.main import cli


@pytest.fixture(autouse=True)
def translator(monkeypatch):
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada Traduttrice")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")


def ignoring(tmp_path: Path, patterns: str, tracked: dict[str, bytes] | None = None) -> Path:
    repo = tiny_repo(tmp_path)
    (repo / ".gitignore").write_text(patterns, encoding="utf-8")
    for relative, data in (tracked or {}).items():
        (repo / relative).write_bytes(data)
    git(repo, "add", ".gitignore")
    if tracked:
        git(repo, "add", "-f", *tracked)
    git(repo, "commit", "-q", "-m", "ignore the compiled files")
    translate(repo, "Bye", "Arrivederci")
    return repo


def export(repo: Path, out: Path):
    return CliRunner().invoke(cli, ["export", str(repo), "-l", "it_IT", "--git", "--out", str(out), "--json"])


def committed_files(repo: Path) -> list[str]:
    return git(repo, "show", "--name-only", "--format=", "translations/it_IT").split()


def test_compiled_files_the_repository_ignores_stay_out_of_the_commit(tmp_path):
    repo = ignoring(tmp_path, "*.mo\n*.l10n.php\n")
    base = git(repo, "rev-parse", "HEAD").strip()
    out = tmp_path / "out"
    result = export(repo, out)
    assert result.exit_code == 0, result.output
    assert committed_files(repo) == ["languages/tiny-it_IT.po"]
    data = json.loads(result.stdout)
    assert [item["file"] for item in data["not_committed"]] == ["languages/tiny-it_IT.l10n.php",
                                                               "languages/tiny-it_IT.mo"]
    assert all(item["reason"] == "the repository ignores it (.gitignore)" for item in data["not_committed"])
    assert ("left out of the commit: languages/tiny-it_IT.l10n.php, languages/tiny-it_IT.mo (the repository "
            "ignores them") in " ".join(result.output.split())
    note = (out / "MESSAGE.md").read_text(encoding="utf-8")
    assert "No `.mo` or `.l10n.php`: the repository ignores them" in note and "`languages/tiny-it_IT.mo`" not in note
    assert 'msgstr "Arrivederci"' in am_applies(tmp_path, repo, base, Path(data["patch"]))
    assert git(repo, "status", "--porcelain") == " M languages/tiny-it_IT.po\n"  # the user's tree: as it was


def test_a_compiled_file_the_repository_tracks_is_still_committed(tmp_path):
    repo = ignoring(tmp_path, "*.mo\n*.l10n.php\n", tracked={"languages/tiny-it_IT.mo": b"old"})
    result = export(repo, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert committed_files(repo) == ["languages/tiny-it_IT.mo", "languages/tiny-it_IT.po"]
    assert [item["file"] for item in json.loads(result.stdout)["not_committed"]] == ["languages/tiny-it_IT.l10n.php"]


def test_a_repository_that_ignores_the_po_itself_is_told_not_failed_in_git(tmp_path):
    repo = tmp_path / "tiny"
    (repo / "languages").mkdir(parents=True)
    (repo / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nText Domain: tiny\nDomain Path: /languages\n*/\n")
    (repo / ".gitignore").write_text("*.po\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Tiny 1.0")
    (repo / "languages" / "tiny-it_IT.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it_IT\\n"\n\n'
        'msgid "Hello"\nmsgstr "Ciao"\n', encoding="utf-8")
    result = export(repo, tmp_path / "out")
    assert result.exit_code == 5, result.output
    assert "Traceback" not in result.output
    assert "languages/tiny-it_IT.po: the repository ignores it" in " ".join(result.output.split())
    assert "translations/it_IT" not in git(repo, "log", "--all", "--format=%D")

"""Exporting again into the same folder: what this export supersedes from an earlier one (a .patch
after a files export, the files after a --git one, a GlotPress PO no longer asked for) is removed
and named; a file changed since transkit wrote it, or one transkit never wrote, is left and named."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from test_export_cli import GOOD, write_plugin

GIT_ENV = {"GIT_AUTHOR_NAME": "Upstream Dev", "GIT_AUTHOR_EMAIL": "dev@example.org",
           "GIT_COMMITTER_NAME": "Upstream Dev", "GIT_COMMITTER_EMAIL": "dev@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
FILES = {"tiny-it_IT.po", "tiny-it_IT.mo", "tiny-it_IT.l10n.php", "MESSAGE.md"}


@pytest.fixture
def plugin(tmp_path, monkeypatch) -> Path:
    """A plugin in a git repository whose committed catalog lacks the translation of "Save"."""
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada Traduttrice")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")
    root = tmp_path / "tiny"
    po = write_plugin(root, GOOD.replace('msgstr "Salva"', 'msgstr ""'))
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "Tiny 1.2"]):
        subprocess.run(["git", *args], cwd=root, check=True, env={**os.environ, **GIT_ENV})
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Save"\nmsgstr ""', 'msgid "Save"\nmsgstr "Salva"'),
                  encoding="utf-8")
    return root


def export(plugin: Path, out: Path, *options: str) -> tuple[dict, str]:
    done = subprocess.run(["transkit", "export", str(plugin), "-l", "it_IT", "--out", str(out), "--json", *options],
                          capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), " ".join(done.stderr.split())


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_switching_between_files_and_git_leaves_only_this_exports_files(plugin, tmp_path):
    out = tmp_path / "out"
    first, _ = export(plugin, out)
    made = names(out)
    assert FILES <= made and any(name.endswith(".json") for name in made)  # the JS strings' file
    (out / "my-notes.txt").write_text("for the maintainer, by me\n", encoding="utf-8")

    second, said = export(plugin, out, "--git")
    # the files of the first export would read as part of the patch: gone, and said so
    assert names(out) == {"tiny-it_IT.patch", "MESSAGE.md", "my-notes.txt"}
    assert sorted(second["removed"]) == sorted(made - {"MESSAGE.md"})
    assert second["replaced"] == ["MESSAGE.md"] and second["not_ours"] == ["my-notes.txt"]
    assert f"removed from {out} what this export supersedes (written by an earlier export): " in said
    assert "tiny-it_IT.mo" in said and "not written by transkit (left alone): my-notes.txt" in said
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "for the maintainer, by me\n"

    third, said = export(plugin, out, "--force")
    assert third["removed"] == ["tiny-it_IT.patch"] and "tiny-it_IT.patch" not in names(out)
    assert FILES <= names(out) and "my-notes.txt" in names(out)


def test_a_file_changed_since_transkit_wrote_it_is_kept_and_named(plugin, tmp_path):
    out = tmp_path / "out"
    export(plugin, out, "--glotpress")
    glotpress = out / "tiny-it_IT.glotpress.po"
    glotpress.write_text(glotpress.read_text(encoding="utf-8") + "\n# checked by me\n", encoding="utf-8")
    mine = glotpress.read_bytes()
    again, said = export(plugin, out, "--force")  # no --glotpress: its PO is not part of this export
    assert glotpress.read_bytes() == mine
    assert again["kept_changed"] == ["tiny-it_IT.glotpress.po"] and again["removed"] == []
    assert ("kept in " + str(out) + ", though not part of this export: tiny-it_IT.glotpress.po "
            "(an earlier export's, changed since); do not send it with this one") in said


def test_a_glotpress_po_no_longer_asked_for_is_removed(plugin, tmp_path):
    out = tmp_path / "out"
    export(plugin, out, "--glotpress")
    assert (out / "tiny-it_IT.glotpress.po").exists()
    again, _ = export(plugin, out, "--force")
    assert again["removed"] == ["tiny-it_IT.glotpress.po"] and not (out / "tiny-it_IT.glotpress.po").exists()


def test_exporting_into_the_catalogs_own_folder_removes_nothing(plugin):
    languages = plugin / "languages"
    po = languages / "tiny-it_IT.po"
    mine = po.read_bytes()
    first, _ = export(plugin, languages)
    made = names(languages)
    json_files = {name for name in made if name.endswith(".json")}
    assert json_files and "MESSAGE.md" not in made and po.read_bytes() == mine
    # the JS string is no longer translated: this export makes no JSON file
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Salva"', 'msgstr ""'), encoding="utf-8")
    mine = po.read_bytes()
    second, _ = export(plugin, languages, "--force")
    # the earlier export's files there are the plugin's files now: all still there
    assert made <= names(languages) and second["removed"] == [] and po.read_bytes() == mine

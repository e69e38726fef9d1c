"""`transkit export --out` the catalog's own folder, or a folder holding a catalog of the user's: the
export never writes over the catalog it exports from (by its real path: symlinks and hard links too),
nor over a catalog transkit did not write; the compiled files go next to the PO (where WordPress
loads them) and what was not written is said, in text and in --json."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.cli.main import cli

from test_export_cli import GOOD, write_plugin

GIT_ENV = {"GIT_AUTHOR_NAME": "Upstream Dev", "GIT_AUTHOR_EMAIL": "dev@example.org",
           "GIT_COMMITTER_NAME": "Upstream Dev", "GIT_COMMITTER_EMAIL": "dev@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def export(*args: str):
    return CliRunner().invoke(cli, ["export", *args])


def said(result) -> str:
    return " ".join(result.output.split())


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def msgunfmt(mo: Path) -> str:
    return subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout


def test_export_into_the_catalogs_own_folder_leaves_the_po_as_it_is(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)  # "Draft" is fuzzy: work the export's copy leaves out
    mine = po.read_bytes()
    languages = po.parent
    result = export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(languages), "--force", "--json")
    assert result.exit_code == 0, result.output
    assert po.read_bytes() == mine  # byte-identical: the fuzzy "Bozza" and its flag are still there
    # the compiled files are written where WordPress loads them
    assert {"tiny-it_IT.mo", "tiny-it_IT.l10n.php"} <= names(languages)
    assert "Ciao" in msgunfmt(languages / "tiny-it_IT.mo") and "Bozza" not in msgunfmt(languages / "tiny-it_IT.mo")
    # the maintainer's note does not land among the plugin's files
    assert "MESSAGE.md" not in names(languages)
    data = json.loads(result.stdout)
    assert str(po) not in data["written"] and data["message"] is None
    assert str(languages / "tiny-it_IT.mo") in data["written"]
    not_written = {item["file"]: item["reason"] for item in data["not_written"]}
    assert set(not_written) == {str(po), str(languages / "MESSAGE.md")}
    assert "the catalog being exported" in not_written[str(po)]
    assert "left as it is" in said(result)  # said on stderr too, not only in the JSON


def test_the_text_output_says_the_po_was_left_and_where_a_copy_to_send_goes(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)
    mine = po.read_bytes()
    result = export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(po.parent))
    assert result.exit_code == 0, result.output
    assert po.read_bytes() == mine
    text = said(result)
    assert f"{po}: left as it is" in text
    assert "compiled files only" in text and "note for the maintainer" not in text
    assert "transkit-export" in text  # where to export for a PO to send upstream


def test_a_symlinked_catalog_is_protected_in_both_its_folders(tmp_path):
    root = tmp_path / "tiny"
    po = write_plugin(root, GOOD)
    real = tmp_path / "real" / "tiny-it_IT.po"
    real.parent.mkdir()
    po.rename(real)
    po.symlink_to(os.path.relpath(real, po.parent))
    mine = real.read_bytes()
    for out in (po.parent, real.parent):  # the link's folder and the real file's folder
        result = export(str(root), "-l", "it_IT", "--out", str(out), "--force", "--json")
        assert result.exit_code == 0, result.output
        assert real.read_bytes() == mine and po.is_symlink()
        assert (out / "tiny-it_IT.mo").exists() and "MESSAGE.md" not in names(out)


def test_a_hard_link_to_the_catalog_in_the_output_folder_is_refused(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)
    mine = po.read_bytes()
    out = tmp_path / "out"
    out.mkdir()
    os.link(po, out / "tiny-it_IT.po")
    result = export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = said(result)
    assert f"{out / 'tiny-it_IT.po'} is the catalog being exported ({po})" in text
    assert po.read_bytes() == mine and names(out) == {"tiny-it_IT.po"}  # nothing written


@pytest.mark.parametrize("option", ["--git", "--glotpress"])
def test_a_patch_or_glotpress_po_into_the_catalogs_own_folder_is_refused(tmp_path, option):
    root = tmp_path / "tiny"
    po = write_plugin(root, GOOD)
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "Tiny 1.2"]):
        subprocess.run(["git", *args], cwd=root, check=True, env={**os.environ, **GIT_ENV})
    before = names(po.parent)
    result = CliRunner(env=GIT_ENV).invoke(cli, ["export", str(root), "-l", "it_IT", "--out", str(po.parent),
                                                 option, "--json"])
    assert result.exit_code == 2, result.output
    text = said(result)
    assert f"--out {po.parent} is the folder of the catalog being exported" in text
    assert "Give --out another folder" in text
    assert names(po.parent) == before  # no patch, GlotPress PO or MESSAGE.md among the plugin's files
    branches = subprocess.run(["git", "branch", "--list"], cwd=root, capture_output=True, text=True).stdout
    assert "translations/" not in branches  # refused before anything was committed


def test_a_catalog_transkit_did_not_write_in_the_output_folder_is_not_overwritten(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)
    site_languages = tmp_path / "wp-content" / "languages" / "plugins"  # a language pack's catalog
    site_languages.mkdir(parents=True)
    pack = site_languages / "tiny-it_IT.po"
    pack.write_bytes(po.read_bytes().replace(b'msgstr "Ciao"', b'msgstr "Salve"'))
    theirs = pack.read_bytes()
    result = export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(site_languages))
    assert result.exit_code == 2, result.output
    assert f"{pack} is already there and transkit did not write it" in said(result)
    assert pack.read_bytes() == theirs and names(site_languages) == {"tiny-it_IT.po"}


def test_exporting_again_into_a_hand_off_folder_still_replaces_its_own_po(tmp_path):
    po = write_plugin(tmp_path / "tiny", GOOD)
    out = tmp_path / "out"
    assert export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(out)).exit_code == 0
    po.write_text(po.read_text(encoding="utf-8").replace('"Bozza"', '"Bozza"\n\nmsgid "New"\nmsgstr "Nuovo"'),
                  encoding="utf-8")
    again = export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(out), "--json")
    assert again.exit_code == 0, again.output
    assert 'msgstr "Nuovo"' in (out / "tiny-it_IT.po").read_text(encoding="utf-8")
    assert json.loads(again.stdout)["not_written"] == []


def test_an_own_folder_export_makes_nothing_there_transkit_s_to_remove(tmp_path):
    """The compiled files in the catalog's folder are the plugin's once written: a later export into
    that folder (of another catalog, from another folder) removes none of them."""
    po = write_plugin(tmp_path / "tiny", GOOD)
    languages = po.parent
    assert export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(languages)).exit_code == 0
    compiled = {"tiny-it_IT.mo", "tiny-it_IT.l10n.php"}
    assert compiled <= names(languages)
    other = write_plugin(tmp_path / "other", GOOD, locale="de_DE")  # its catalog lives elsewhere
    result = export(str(tmp_path / "other"), "-l", "de_DE", "--out", str(languages), "--json")
    assert result.exit_code == 0, result.output
    assert compiled <= names(languages) and json.loads(result.stdout)["removed"] == []
    assert other.exists()


def test_two_plugins_exported_into_one_folder_do_not_remove_each_others_files(tmp_path):
    write_plugin(tmp_path / "tiny", GOOD)
    second = tmp_path / "second"
    write_plugin(second, GOOD)
    (second / "tiny.php").write_text("<?php\n/*\nPlugin Name: Second\nVersion: 1\nText Domain: second\n*/\n")
    (second / "languages" / "tiny-it_IT.po").rename(second / "languages" / "second-it_IT.po")
    shared = tmp_path / "shared"
    assert export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(shared)).exit_code == 0
    first = names(shared)
    result = export(str(second), "-l", "it_IT", "--out", str(shared), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["removed"] == [] and first - {"MESSAGE.md"} <= names(shared)
    assert "tiny-it_IT.po" in data["other_exports"] and "tiny-it_IT.po" not in data["not_ours"]
    assert "written by another export (left alone): " in said(result)


def test_the_upstream_po_is_not_written_over_by_the_glotpress_po(tmp_path):
    write_plugin(tmp_path / "tiny", GOOD)
    out = tmp_path / "out"
    out.mkdir()
    upstream = out / "tiny-it_IT.glotpress.po"  # translate.wordpress.org's export, saved under that name
    upstream.write_text('msgid ""\nmsgstr ""\n"Language: it\\n"\n\nmsgid "Hello"\nmsgstr "Salve"\n', encoding="utf-8")
    theirs = upstream.read_bytes()
    result = export(str(tmp_path / "tiny"), "-l", "it_IT", "--out", str(out), "--glotpress",
                    "--upstream-po", str(upstream))
    assert result.exit_code == 2, result.output
    assert f"{upstream} is the --upstream-po file ({upstream})" in said(result)
    assert upstream.read_bytes() == theirs and names(out) == {"tiny-it_IT.glotpress.po"}

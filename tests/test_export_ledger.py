"""The favour ledger end to end: give a plugin's translation back through git, let upstream move on
(the maintainer applies the patch, then ships a newer template), and check that `transkit status`
says what was given and what changed since, and that `export --since-last` sends only that.

Real parts throughout: corpus catalogs, real git repositories in tmp_path, `git am` on a fresh clone,
GNU msgfmt/msgunfmt as referee, the `transkit` CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from transkit.catalog import Entry, load_catalog, parse_catalog
from transkit.cli.main import cli
from transkit.store.ledger import Ledger

SLUG = "contact-form-7"
PO_NAME = f"{SLUG}-it_IT.po"
POT_NAME = f"{SLUG}.pot"
GIT_ENV = {"GIT_AUTHOR_NAME": "Upstream Dev", "GIT_AUTHOR_EMAIL": "dev@example.org",
           "GIT_COMMITTER_NAME": "Upstream Dev", "GIT_COMMITTER_EMAIL": "dev@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
NEW_UPSTREAM_STRINGS = ["Send a copy of this message to yourself", "Quarantine suspicious submissions",
                        "The webhook could not be delivered", "Export all submissions as CSV"]


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env={**os.environ, **GIT_ENV})
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr.decode(errors='replace')}"
    return result.stdout.decode("utf-8", "replace")


def transkit(*args: str, expect: int = 0) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == expect, result.output
    return result.output


def plugin_header(version: str) -> str:
    return (f"<?php\n/**\n * Plugin Name: Contact Form 7\n * Version: {version}\n"
            f" * Text Domain: {SLUG}\n * Domain Path: /languages\n */\n")


def msgunfmt(mo: Path) -> str:
    return subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def translator(monkeypatch):
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada Traduttrice")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")


@pytest.mark.corpus
def test_status_tracks_a_favour_and_since_last_sends_only_what_changed(tmp_path, corpus_dir, translator):
    source = corpus_dir / "wordpress" / SLUG
    # the translator's copy of the plugin (not a git checkout), brought in line with its template
    plugin = tmp_path / "site" / SLUG
    (plugin / "languages").mkdir(parents=True)
    (plugin / f"{SLUG}.php").write_text(plugin_header("5.1"), encoding="utf-8")
    shutil.copyfile(source / POT_NAME, plugin / "languages" / POT_NAME)
    shutil.copyfile(source / PO_NAME, plugin / "languages" / PO_NAME)
    transkit("update", plugin)
    po = plugin / "languages" / PO_NAME

    # upstream: the same plugin, its Italian catalog lacking 25 of the translator's strings
    upstream = tmp_path / "upstream"
    shutil.copytree(plugin, upstream)
    catalog = load_catalog(upstream / "languages" / PO_NAME)
    for entry in [e for e in catalog.entries if e.is_translated()][:25]:
        entry.msgstr = ""
    catalog.save()
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "Release 5.1")

    # 1. the favour: a git patch against upstream
    out1 = transkit("export", plugin, "-l", "it_IT", "--git", "--repo", upstream, "--force",
                    "--out", tmp_path / "out1")
    with Ledger.open() as ledger:
        [first] = ledger.exports(SLUG, "it_IT")
    assert first.kind == "git" and first.version == "5.1" and first.commit_sha[:12] in out1
    given = first.counts["exported"]
    assert given > 100 and first.counts["added"] == 25
    status = json.loads(transkit("status", plugin, "--json"))["catalogs"][0]
    assert status["last_export"]["commit"] == first.commit_sha
    assert status["last_export"]["patch"] == str(tmp_path / "out1" / f"{SLUG}-it_IT.patch")
    assert status["changes_since_export"] == {"new": 0, "fuzzy": 0, "obsolete": 0, "changed": 0,
                                              "unsent": 0}

    # 2. upstream takes the patch, fixes one of the strings given, and ships a newer template:
    #    3 strings removed, 2 reworded, 4 added
    git(upstream, "am", first.patch_path)
    ours = load_catalog(po)
    sent = [e for e in ours.entries if e.is_translated() and not e.is_plural and e.msgctxt is None
            and len(e.msgid.split()) >= 4]
    removed, reworded, fixed_upstream = sent[:3], sent[3:5], sent[5]
    template = load_catalog(upstream / "languages" / POT_NAME)
    for entry in removed:
        template.remove(template.find(entry.msgid))
    for entry in reworded:
        template.find(entry.msgid).msgid = entry.msgid.rstrip(".") + " now."
    for text in NEW_UPSTREAM_STRINGS:
        template.append(Entry(text, ""))
    template.save()
    upstream_po = load_catalog(upstream / "languages" / PO_NAME)
    maintainer_fix = fixed_upstream.msgstr + " (corretto)"
    upstream_po.find(fixed_upstream.msgid).msgstr = maintainer_fix
    upstream_po.save()
    (upstream / f"{SLUG}.php").write_text(plugin_header("5.2"), encoding="utf-8")
    git(upstream, "commit", "-q", "-a", "-m", "Release 5.2")
    release = git(upstream, "rev-parse", "HEAD").strip()

    # 3. the translator updates the plugin and merges the new template; status says what moved
    shutil.copyfile(upstream / "languages" / POT_NAME, plugin / "languages" / POT_NAME)
    shutil.copyfile(upstream / f"{SLUG}.php", plugin / f"{SLUG}.php")
    update = transkit("update", plugin)
    assert "2 fuzzy, 4 new, 3 obsolete" in update  # msgmerge's own account of the change
    status = json.loads(transkit("status", plugin, "--json"))["catalogs"][0]
    assert status["last_export"]["id"] == first.id
    assert status["changes_since_export"] == {"new": 4, "fuzzy": 2, "obsolete": 3, "changed": 9,
                                              "unsent": 0}
    table = transkit("status", plugin)
    assert "Given back" in table and first.commit_sha[:12] in table
    assert "4 new, 2 fuzzy, 3 obsolete" in table

    # 4. the translator translates what is new and fixes the reworded strings
    ours = load_catalog(po)
    translated_now = {}
    for text in NEW_UPSTREAM_STRINGS:
        ours.find(text).msgstr = translated_now[text] = f"IT: {text}"
    for entry in reworded:
        new = ours.find(entry.msgid.rstrip(".") + " now.")
        assert new.fuzzy and new.previous_msgid == entry.msgid
        new.msgstr = translated_now[new.msgid] = entry.msgstr + " ora"
        new.fuzzy = False
    ours.save()
    status = json.loads(transkit("status", plugin, "--json"))["catalogs"][0]
    assert status["changes_since_export"]["unsent"] == 6
    assert status["changes_since_export"]["new"] == status["changes_since_export"]["fuzzy"] == 0

    # 5. the incremental favour: only those 6 strings, on top of upstream's new release
    before = po.read_bytes()
    out2 = transkit("export", plugin, "-l", "it_IT", "--git", "--repo", upstream, "--since-last", "--force",
                    "--out", tmp_path / "out2")
    assert po.read_bytes() == before
    assert "6 new or changed strings" in out2 and "6 of " in out2
    with Ledger.open() as ledger:
        second = ledger.exports(SLUG, "it_IT")[-1]
    assert second.counts["exported"] == 6 and second.version == "5.2"

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    assert git(clone, "rev-parse", "HEAD").strip() == release
    git(clone, "am", second.patch_path)
    relative = f"languages/{PO_NAME}"
    then = parse_catalog(git(clone, "show", f"{release}:{relative}").encode("utf-8"), relative)
    now = load_catalog(clone / relative)
    moved = {e.msgid: e.msgstr for e in now.entries
             if e.is_translated() and (then.find(e.msgid, e.msgctxt) is None
                                       or then.find(e.msgid, e.msgctxt).translations != e.translations)}
    assert moved == translated_now  # nothing already given is sent again ...
    assert now.find(fixed_upstream.msgid).msgstr == maintainer_fix  # ... nor reverted
    check = subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "gnu.mo"), str(clone / relative)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    # the .mo goes with the committed PO (all its translations), exactly as msgfmt compiles it
    assert msgunfmt(clone / f"languages/{SLUG}-it_IT.mo") == msgunfmt(tmp_path / "gnu.mo")

    status = json.loads(transkit("status", plugin, "--json"))["catalogs"][0]
    assert status["last_export"]["commit"] == second.commit_sha
    assert status["changes_since_export"]["changed"] == status["changes_since_export"]["unsent"] == 0
    assert "nothing changed" in transkit("status", plugin)
    nothing = transkit("export", plugin, "-l", "it_IT", "--git", "--repo", upstream, "--since-last",
                       "--force", "--out", tmp_path / "out3", expect=5)
    assert "nothing new or changed since the last git export" in nothing


def test_since_last_without_git_or_glotpress_is_refused(tmp_path):
    (tmp_path / "p").mkdir()
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "p"), "-l", "it_IT", "--since-last"])
    assert result.exit_code == 2 and "--since-last needs --git or --glotpress" in result.output

"""Giving back through git, on real repositories built in tmp_path from corpus catalogs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from transkit.catalog import load_catalog
from transkit.errors import UpstreamError
from transkit.jobs.export import ExportOptions, export_plugin
from transkit.store.ledger import Ledger

GIT_ENV = {"GIT_AUTHOR_NAME": "Upstream Dev", "GIT_AUTHOR_EMAIL": "dev@example.org",
           "GIT_COMMITTER_NAME": "Upstream Dev", "GIT_COMMITTER_EMAIL": "dev@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env={**os.environ, **GIT_ENV})
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode("utf-8", "replace")


@pytest.fixture
def translator(monkeypatch):
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_NAME", "Ada Traduttrice")
    monkeypatch.setenv("TRANSKIT_TRANSLATOR_EMAIL", "ada@example.org")


def make_plugin_repo(tmp_path: Path, corpus_dir: Path, slug: str, po_name: str, blank: int = 25) -> Path:
    """A plugin repository whose committed PO lacks ``blank`` translations the working tree has.

    Upstream commit: the corpus catalog with the first ``blank`` translated entries emptied.
    Working tree: the corpus catalog as it is (the user's new translations), plus an unrelated
    uncommitted edit and a staged file, which an export must not touch.
    """
    repo = tmp_path / slug
    languages = repo / "languages"
    languages.mkdir(parents=True)
    (repo / f"{slug}.php").write_text(
        f"<?php\n/**\n * Plugin Name: {slug}\n * Version: 5.1\n * Text Domain: {slug}\n"
        " * Domain Path: /languages\n */\n", encoding="utf-8")
    source = corpus_dir / "wordpress" / slug / po_name
    catalog = load_catalog(source)
    emptied = 0
    for entry in catalog.entries:
        if emptied < blank and entry.is_translated():
            entry.msgstr = ""
            emptied += 1
    catalog.save(languages / po_name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Plugin 5.1")
    shutil.copyfile(source, languages / po_name)  # the translator's work, not committed
    with open(repo / f"{slug}.php", "a", encoding="utf-8") as handle:
        handle.write("// work in progress, not committed\n")
    (repo / "staged.txt").write_text("staged but not committed\n", encoding="utf-8")
    git(repo, "add", "staged.txt")
    return repo


def snapshot(repo: Path) -> dict:
    files = {p.relative_to(repo).as_posix(): p.read_bytes()
             for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts}
    return {"head": git(repo, "rev-parse", "HEAD"), "branch": git(repo, "symbolic-ref", "HEAD"),
            "status": git(repo, "status", "--porcelain"), "staged": git(repo, "diff", "--cached"),
            "files": files}


def apply_on_fresh_clone(tmp_path: Path, upstream: Path, base: str, patch: Path,
                         keep_cr: bool = False) -> Path:
    clone = tmp_path / "fresh-clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "--detach", base)
    git(clone, "am", *(["--keep-cr"] if keep_cr else []), str(patch))
    return clone


@pytest.mark.corpus
@pytest.mark.parametrize("slug,po_name", [
    ("contact-form-7", "contact-form-7-it_IT.po"),
    ("contact-form-7", "contact-form-7-cs_CZ.po"),  # CRLF line endings
    ("polylang", "polylang-de_DE.po"),
])
def test_git_export_applies_with_git_am_and_leaves_the_user_alone(tmp_path, corpus_dir, translator,
                                                                  slug, po_name):
    repo = make_plugin_repo(tmp_path, corpus_dir, slug, po_name)
    locale = po_name[len(slug) + 1: -3]
    before = snapshot(repo)
    base = before["head"].strip()

    result = export_plugin(repo, ExportOptions(locale=locale, git=True, out_dir=tmp_path / "out",
                                               force=True))

    assert snapshot(repo) == before  # branch, index, working tree (with the uncommitted edit)
    assert result.branch == f"translations/{locale}"
    assert git(repo, "rev-parse", result.branch).strip() == result.commit
    assert git(repo, "worktree", "list").count("\n") == 1  # the temporary worktree is gone

    crlf = b"\r\n" in (repo / "languages" / po_name).read_bytes()
    assert result.hand_off.keep_cr == crlf
    clone = apply_on_fresh_clone(tmp_path, repo, base, result.patch_path, keep_cr=crlf)
    assert (clone / "languages" / po_name).read_bytes().count(b"\r\n") >= crlf  # CRLF kept
    touched = set(git(clone, "diff", "--name-only", base, "HEAD").split())
    stem = f"languages/{po_name[:-3]}"
    assert {f"{stem}.po", f"{stem}.mo", f"{stem}.l10n.php"} <= touched
    assert all(path.startswith(stem) for path in touched), touched
    assert git(clone, "log", "-1", "--format=%an <%ae>").strip() == "Ada Traduttrice <ada@example.org>"
    assert f"Strings added: {result.hand_off.added}" in git(clone, "log", "-1", "--format=%B")
    assert result.hand_off.added >= 20

    po = clone / f"{stem}.po"
    check = subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "check.mo"), str(po)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    mo_text = subprocess.run(["msgunfmt", str(clone / f"{stem}.mo")], capture_output=True, check=True).stdout
    assert mo_text  # the committed .mo is readable by GNU gettext
    if shutil.which("php"):
        lint = subprocess.run(["php", "-l", str(clone / f"{stem}.l10n.php")], capture_output=True, text=True)
        assert lint.returncode == 0, lint.stdout

    with Ledger.open() as ledger:
        [record] = ledger.exports(slug, locale)
    assert record.commit_sha == result.commit and record.kind == "git" and record.version == "5.1"
    assert record.counts["added"] == result.hand_off.added
    message = result.message_path.read_text(encoding="utf-8")
    assert result.hand_off.am_command in message
    assert result.hand_off.msgfmt_ok is True and "`msgfmt -c` accepts" in message


def _strings(po: Path) -> dict:
    return {e.key: e.translations for e in load_catalog(po).entries}


@pytest.mark.corpus
def test_patch_po_keeps_unexported_entries_as_upstream_had_them(tmp_path, corpus_dir, translator):
    repo = make_plugin_repo(tmp_path, corpus_dir, "contact-form-7", "contact-form-7-it_IT.po", blank=10)
    po = repo / "languages" / "contact-form-7-it_IT.po"
    catalog = load_catalog(po)
    translated = [e for e in catalog.entries if e.is_translated()]
    translated[0].fuzzy = True  # one of the user's new strings is still a draft
    draft_key = translated[0].key
    catalog.save()
    base = git(repo, "rev-parse", "HEAD").strip()
    upstream_strings = {e.key: e.translations for e in load_catalog(
        _checkout_file(tmp_path, repo, base, "languages/contact-form-7-it_IT.po")).entries}

    result = export_plugin(repo, ExportOptions(locale="it_IT", git=True, out_dir=tmp_path / "out", force=True))
    clone = apply_on_fresh_clone(tmp_path, repo, base, result.patch_path)
    exported = load_catalog(clone / "languages" / "contact-form-7-it_IT.po")
    draft = exported.find(draft_key[1], draft_key[0])
    assert draft.translations == upstream_strings[draft_key] and not draft.fuzzy
    assert result.hand_off.added == 9


def _checkout_file(tmp_path: Path, repo: Path, commit: str, relative: str) -> Path:
    target = tmp_path / "upstream-copy.po"
    target.write_bytes(subprocess.run(["git", "show", f"{commit}:{relative}"], cwd=repo,
                                      capture_output=True, check=True).stdout)
    return target


@pytest.mark.corpus
def test_export_from_a_repo_url_clones_it_into_a_work_folder(tmp_path, corpus_dir, translator):
    upstream = make_plugin_repo(tmp_path, corpus_dir, "contact-form-7", "contact-form-7-it_IT.po")
    base = git(upstream, "rev-parse", "HEAD").strip()
    # the user's plugin is a plain folder (a WordPress install), not a repository
    installed = tmp_path / "wp-content" / "plugins" / "contact-form-7"
    shutil.copytree(upstream, installed, ignore=shutil.ignore_patterns(".git"))
    result = export_plugin(installed, ExportOptions(locale="it_IT", git=True, repo=str(upstream),
                                                    out_dir=tmp_path / "out", force=True))
    assert result.repo_root != upstream.resolve()
    assert git(upstream, "branch", "--list", "translations/*") == ""  # the upstream repo is untouched
    apply_on_fresh_clone(tmp_path, upstream, base, result.patch_path)


def test_branch_checked_out_by_the_user_is_refused(tmp_path, translator):
    repo = tmp_path / "tiny"
    (repo / "languages").mkdir(parents=True)
    (repo / "tiny.php").write_text("<?php\n/*\nPlugin Name: Tiny\nText Domain: tiny\n*/\n")
    (repo / "languages" / "tiny-it_IT.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it_IT\\n"\n'
        '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\nmsgid "Hello"\nmsgstr "Ciao"\n', encoding="utf-8")
    git(repo, "init", "-q", "-b", "translations/it_IT")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "init")
    with open(repo / "languages" / "tiny-it_IT.po", "a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Bye"\nmsgstr "Ciao ciao"\n')  # something new to export
    with pytest.raises(UpstreamError, match="checked out"):
        export_plugin(repo, ExportOptions(locale="it_IT", git=True, out_dir=tmp_path / "out"))

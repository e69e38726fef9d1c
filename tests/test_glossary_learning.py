"""`glossary suggest` weighs what it learns by the review store: a translation approved in transkit
(or WordPress core's) counts three times an unreviewed one; fuzzy entries (machine drafts among
them) never count. A term asked for with --accept and not proposed is named with the reason."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from transkit.catalog import load_catalog
from transkit.cli.main import cli
from transkit.jobs.catalogs import catalogs_for
from transkit.store import ReviewState, ReviewStore

HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: {name} 1.0\\n"\n"Language: de_DE\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def plugin(root: Path, name: str, body: str) -> Path:
    folder = root / name / "languages"
    folder.mkdir(parents=True)
    (root / name / f"{name}.php").write_text(f"<?php\n/*\nPlugin Name: {name}\nText Domain: {name}\n*/\n")
    po = folder / f"{name}-de_DE.po"
    po.write_text(HEADER.format(name=name) + body, encoding="utf-8")
    return po


def record(po: Path, state: ReviewState, msgids: list[tuple[str | None, str]]) -> None:
    """Set review states the way the TUI and fill do (the catalog's key from the finder)."""
    (ref,) = catalogs_for([po])
    catalog = load_catalog(po)
    entries = [catalog.find(msgid, msgctxt) for msgctxt, msgid in msgids]
    with ReviewStore.open() as store:
        store.sync_catalog(catalog, ref.key)
        assert state is ReviewState.REVIEWED
        store.approve(ref.key, entries)


def suggestions(root: Path, *extra) -> dict:
    result = invoke("glossary", "suggest", "de_DE", root, "--json", "--limit", "0", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def site(tmp_path: Path) -> dict[str, Path]:
    return {
        "casual": plugin(tmp_path, "casual", 'msgid "Post"\nmsgstr "Artikel"\n\n'
                                             'msgid "Posts"\nmsgstr "Artikel"\n'),
        "careful": plugin(tmp_path, "careful", 'msgid "Post"\nmsgstr "Beitrag"\n\n'
                                               'msgctxt "noun"\nmsgid "Post"\nmsgstr "Beitrag"\n'),
        "drafty": plugin(tmp_path, "drafty", ''.join(f'#, fuzzy\nmsgctxt "c{n}"\nmsgid "Post"\nmsgstr "Eintrag"\n\n'
                                                     for n in range(5))),
    }


def test_reviewed_translations_outweigh_unreviewed_ones_and_fuzzy_never_counts(tmp_path):
    files = site(tmp_path)
    before = suggestions(tmp_path, "--accept", "Post")
    assert "Post" not in {p["term"] for p in before["proposals"]}  # 2 Artikel against 2 Beitrag
    (why,) = before["not_proposed"]
    assert why["term"] == "Post" and why["why"].startswith("translated 2 ways: ")
    assert "Artikel (2)" in why["why"] and "Beitrag (2)" in why["why"] and "50% of the weight" in why["why"]
    assert "5 fuzzy left out" in why["why"]  # five fuzzy "Eintrag" would have won; they do not count

    record(files["careful"], ReviewState.REVIEWED, [(None, "Post"), ("noun", "Post")])
    after = {p["term"]: p for p in suggestions(tmp_path)["proposals"]}
    post = after["Post"]
    assert post["translation"] == "Beitrag" and post["reviewed"] == 2
    assert (post["agreeing"], post["count"], post["agreeing_weight"], post["weight"]) == (2, 4, 6, 8)
    assert post["others"] == [{"translation": "Artikel", "count": 2}]
    assert post["examples"][0].startswith("careful-de_DE.po:")  # a reviewed example first


def test_accepting_a_term_of_an_empty_glossary_says_why_it_was_not_proposed(tmp_path):
    """It said "already in the glossary" for an empty glossary."""
    plugin(tmp_path, "tiny", 'msgid "Post"\nmsgstr "Beitrag"\n\nmsgid "Page"\nmsgstr "Seite"\n')
    result = invoke("glossary", "suggest", "de_DE", tmp_path, "--accept", "Post", "--accept", "Media")
    assert result.exit_code == 0, result.output
    assert "already in the glossary" not in result.output
    assert "not proposed: Post: seen 1 time (Beitrag (1)), weighing 1; --min-count is 3" in result.output
    assert "not proposed: Media: not seen as a whole source" in result.output
    assert json.loads(invoke("glossary", "list", "de_DE", "--json").output)["terms"] == []
    # once it is in the glossary, that is what is said
    invoke("glossary", "add", "de_DE", "Post", "Beitrag")
    result = invoke("glossary", "suggest", "de_DE", tmp_path, "--accept", "posts")
    assert "not proposed: posts: already in the glossary: Post → Beitrag" in result.output

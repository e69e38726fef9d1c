"""Loading and saving real catalogs must not rewrite a maintainer's file."""

from __future__ import annotations

import difflib
import os
import subprocess

import pytest

from conftest import CORPUS_DIR, corpus_files
from transkit.catalog import Entry, load_catalog
from transkit.config import Identity
from transkit.errors import CatalogError

REAL_CATALOGS = corpus_files("wordpress/**/*.po", "wordpress/**/*.pot", "other/**/*.po", "other/**/*.pot")
EDGE_FILES = [p for p in corpus_files("edge/**/*") if p.suffix not in (".mo", ".gmo")]


def _id(path):
    return str(path.relative_to(CORPUS_DIR))


def msgfmt_check(path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def test_corpus_is_there_and_large(corpus_dir):
    assert len(REAL_CATALOGS) >= 250, "the real-data corpus should hold hundreds of catalogs"


@pytest.mark.parametrize("path", REAL_CATALOGS, ids=_id)
def test_load_save_is_byte_identical(path, tmp_path):
    original = path.read_bytes()
    catalog = load_catalog(path)
    target = tmp_path / path.name
    catalog.save(target)
    assert target.read_bytes() == original


@pytest.mark.parametrize("path", REAL_CATALOGS, ids=_id)
def test_editing_one_entry_touches_only_that_entry(path, tmp_path):
    catalog = load_catalog(path)
    live = catalog.entries
    if not live:
        pytest.skip("no entries")
    middle = len(live) // 2
    entry = live[middle]
    # same placeholders as the source, so msgfmt -c stays happy
    if entry.is_plural:
        for index in range(max(catalog.nplurals, 1)):
            entry.msgstr_plural[index] = entry.msgid if index == 0 else entry.msgid_plural
    else:
        entry.msgstr = entry.msgid if entry.msgstr != entry.msgid else entry.msgid + " "
        if entry.msgid.endswith("\n"):
            entry.msgstr = entry.msgid
    target = tmp_path / path.name
    catalog.save(target)

    old_lines = path.read_bytes().split(b"\n")
    new_lines = target.read_bytes().split(b"\n")
    first_allowed = live[middle - 1].lineno + 1 if middle else 1
    last_allowed = live[middle + 1].lineno - 1 if middle + 1 < len(live) else len(old_lines)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a_start, a_end, _, _ in matcher.get_opcodes():
        if tag != "equal":
            assert first_allowed - 1 <= a_start and a_end <= last_allowed, (
                f"change at lines {a_start + 1}-{a_end} outside entry at line {entry.lineno}")
    reloaded = load_catalog(target)
    assert reloaded.find(entry.msgid, entry.msgctxt).translations == entry.translations
    if msgfmt_check(path).returncode == 0:
        result = msgfmt_check(target)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", EDGE_FILES, ids=_id)
def test_edge_files_load_or_fail_with_file_and_line(path):
    try:
        catalog = load_catalog(path)
    except CatalogError as err:
        assert err.path == str(path)
        assert str(err).startswith(str(path))
        assert err.line is None or err.line >= 1
        assert msgfmt_check(path).returncode != 0 or err.line is not None
        return
    assert catalog.to_bytes() == path.read_bytes()


def test_every_file_msgfmt_accepts_parses(corpus_dir):
    rejected = []
    for path in REAL_CATALOGS + EDGE_FILES:
        if subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True).returncode:
            continue
        try:
            load_catalog(path)
        except CatalogError as err:
            rejected.append(str(err))
    assert rejected == []


def test_at_domain_lines_survive_an_edit(corpus_dir, tmp_path):
    path = corpus_dir / "wordpress" / "polylang" / "polylang.pot"
    catalog = load_catalog(path)
    catalog.entries[3].msgstr = "tradotto"
    target = tmp_path / "polylang.pot"
    catalog.save(target)
    assert path.read_bytes().count(b"#@ ") == target.read_bytes().count(b"#@ ") > 0


def test_identity_updates_only_two_header_lines(corpus_dir, tmp_path):
    path = corpus_dir / "wordpress" / "contact-form-7" / "contact-form-7-it_IT.po"
    catalog = load_catalog(path)
    catalog.entries[0].msgstr = "Modulo di contatto"
    target = tmp_path / path.name
    catalog.save(target, identity=Identity("Ada Lovelace", "ada@example.org"))
    diff = [line for line in difflib.unified_diff(path.read_text().splitlines(), target.read_text().splitlines(), n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    changed = sorted(line[1:].split(":")[0] for line in diff)
    assert '"Last-Translator' in changed and '"PO-Revision-Date' in changed
    assert len([c for c in changed if c.startswith('"')]) == 4  # two lines out, two in
    assert 'msgstr "Modulo di contatto"' in diff[-1]
    assert load_catalog(target).header["Last-Translator"] == "Ada Lovelace <ada@example.org>"


def test_non_utf8_catalog_saves_in_its_charset(corpus_dir, tmp_path):
    path = corpus_dir / "edge" / "charsets" / "gnu-indent-zh_TW.Big5.po"
    catalog = load_catalog(path)
    translated = [e for e in catalog.entries if e.msgstr]
    assert any("\u4e00" <= ch <= "\u9fff" for e in translated for ch in e.msgstr), "Big5 decoded to CJK"
    translated[0].msgstr = "新的翻譯"
    target = tmp_path / path.name
    catalog.save(target)
    assert "新的翻譯".encode("big5") in target.read_bytes()
    assert msgfmt_check(target).returncode == 0


def test_unencodable_character_is_a_clear_error_and_nothing_is_written(corpus_dir, tmp_path):
    path = corpus_dir / "edge" / "polib" / "test_iso-8859-15.po"
    target = tmp_path / path.name
    target.write_bytes(path.read_bytes())
    catalog = load_catalog(target)
    catalog.entries[0].msgstr = "日本語"
    with pytest.raises(CatalogError) as err:
        catalog.save()
    assert str(target) in str(err.value) and err.value.line
    assert target.read_bytes() == path.read_bytes()


def test_wp_cli_style_is_kept_for_new_entries(corpus_dir, tmp_path):
    path = corpus_dir / "wordpress" / "woocommerce" / "woocommerce-9.4.0-rc.1.pot"
    catalog = load_catalog(path)
    long_text = "A long new string " * 10
    catalog.append(Entry(msgid=long_text.strip(), references=["a.php:1", "b.php:2"]))
    target = tmp_path / path.name
    catalog.save(target)
    text = target.read_text()
    assert f'#: a.php:1\n#: b.php:2\nmsgid "{long_text.strip()}"\nmsgstr ""\n' in text


def test_msgcat_style_wraps_new_entries_at_79(tmp_path):
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#: a.c:1 b.c:2\nmsgid "x"\nmsgstr ""\n')
    catalog = load_catalog(path)
    catalog.append(Entry(msgid="word " * 30, msgstr="parola " * 30, references=["c.c:3"]))
    catalog.save()
    lines = path.read_text().split("\n")
    assert all(len(line) <= 79 for line in lines)
    assert 'msgid ""' in lines[lines.index("#: c.c:3") + 1]
    assert load_catalog(path).entries[-1].msgstr == "parola " * 30


def test_malformed_file_raises_catalog_error_with_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr "d"\n')
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert err.value.line == 4 and err.value.path == str(path)


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "x.po"
    path.write_text('msgid "a"\nmsgstr "b"\n')
    catalog = load_catalog(path)
    catalog.entries[0].msgstr = "c"

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(CatalogError, match="No space left"):
        catalog.save()
    assert path.read_text() == 'msgid "a"\nmsgstr "b"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]  # no temp file left behind


def test_stats_agree_with_msgfmt_statistics(corpus_dir):
    import re

    disagreements = []
    for path in REAL_CATALOGS:
        result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        if result.returncode:
            continue
        expected = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr)}
        stats = load_catalog(path).stats()
        ours = {"translated": stats.translated, "fuzzy": stats.fuzzy, "untranslated": stats.untranslated}
        if {k: v for k, v in ours.items() if v} != {k: v for k, v in expected.items() if v}:
            disagreements.append((path.name, ours, expected))
    assert disagreements == []

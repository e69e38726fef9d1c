"""Whatever fill or the TUI's DeepL suggestions write, `check` finds no error-level problem in it that
the maintainer's source did not already have — over real catalogs of the corpus, with a DeepL
server that drops, duplicates, reorders and renames the placeholder tokens it was sent."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from conftest import corpus_files
from deepl_server import TEST_KEY
from transkit.catalog import load_catalog
from transkit.checks import CheckContext, check_catalog, run_checks
from transkit.errors import ProviderError
from transkit.jobs.fill import FillOptions, fill
from transkit.suggest.mt import plural_sources

pytest_plugins = ["deepl_fixtures"]

RUSSIAN = "wordpress/contact-form-7/contact-form-7-ru_RU.po"
CATALOGS = corpus_files(RUSSIAN, "wordpress/contact-form-7/contact-form-7-ar.po")
DAMAGE = ["drop", "duplicate", "reorder", "rename", "unknown"]


def untranslated_copy(source, tmp_path):
    """The corpus catalog with every translation removed: what a translator starts from."""
    path = tmp_path / source.name
    shutil.copyfile(source, path)
    catalog = load_catalog(path)
    for entry in catalog.entries:
        if entry.is_plural:
            entry.msgstr_plural = {n: "" for n in entry.msgstr_plural}
        else:
            entry.msgstr = ""
        entry.fuzzy = False
    catalog.save()
    return path


def source_errors(entry, context: CheckContext, plural_forms: str) -> set[tuple[str, int | None]]:
    """The errors the source itself has: checked with each form's source as its translation."""
    if entry.is_plural:
        sources = plural_sources(entry.msgid, entry.msgid_plural, plural_forms)
        copy = replace(entry, msgstr_plural=dict(enumerate(sources)), flags=list(entry.flags))
    else:
        copy = replace(entry, msgstr=entry.msgid, flags=list(entry.flags))
    return {(p.check, p.form) for p in run_checks(copy, context) if p.is_error}


def new_errors(catalog) -> list[tuple[str, str]]:
    context = CheckContext.for_catalog(catalog)
    found = []
    for entry, problem in check_catalog(catalog):
        if entry is None or entry.is_header or not problem.is_error:
            continue
        if (problem.check, problem.form) not in source_errors(entry, context, catalog.plural_forms):
            found.append((entry.msgid, problem.message))
    return found


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("source", CATALOGS, ids=lambda p: p.name)
def test_fill_writes_nothing_check_calls_a_new_error(tmp_path, deepl_provider, deepl_server, source, damage):
    deepl_server.faults.tag_damage = damage
    po = untranslated_copy(source, tmp_path)
    locale = load_catalog(po).language
    events = list(fill([po], FillOptions(locale, ("deepl",)), provider=deepl_provider))
    report = events[-1].report
    catalog = load_catalog(po)
    written = [e for e in catalog.entries if any(e.translations) and not e.is_header]
    assert len(written) == report.from_mt > 100
    assert new_errors(catalog) == []
    # the damaged answers were refused and said so, not silently dropped (a reordering of
    # positional placeholders or of whole tags may well be right: then nothing is refused)
    assert report.skipped or damage == "reorder"
    assert all(s.reason for s in report.skipped)
    assert report.from_mt + len(report.skipped) == report.candidates


@pytest.mark.parametrize("damage", DAMAGE)
def test_tui_suggestions_offer_nothing_check_calls_a_new_error(tmp_path, corpus_dir, deepl_server,
                                                               deepl_settings, monkeypatch, damage):
    from transkit.jobs.suggestions import DeepLSuggestions

    monkeypatch.setenv("DEEPL_AUTH_KEY", TEST_KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", deepl_server.url)
    deepl_server.faults.tag_damage = damage
    catalog = load_catalog(untranslated_copy(corpus_dir / RUSSIAN, tmp_path))
    with_placeholders = [e for e in catalog.entries if "%" in e.msgid or "<" in e.msgid][:25]
    source = DeepLSuggestions(catalog.language, catalog.plural_forms,
                              catalog.header.get("Project-Id-Version"), retry_backoff=0.01)
    offered = refused = 0
    try:
        for entry in with_placeholders:
            try:
                suggestions = source.lookup(entry)
            except ProviderError as error:
                assert "unusable" in str(error)
                refused += 1
                continue
            for suggestion in suggestions:
                if entry.is_plural:
                    entry.msgstr_plural = dict(enumerate(suggestion.forms))
                else:
                    entry.msgstr = suggestion.forms[0]
                offered += 1
    finally:
        source.close()
    assert offered and (refused or damage == "reorder")
    assert new_errors(catalog) == []


def test_memory_suggestions_pass_the_same_checks(tmp_path, corpus_dir):
    """The memory holds the corpus' own Russian translations, half of them with their first
    placeholder lost; fill writes the intact ones and refuses every one `check` would call an error."""
    import re

    from transkit.suggest.tm import TranslationMemory

    original = load_catalog(corpus_dir / RUSSIAN)
    printf = re.compile(r"%(?:\d+\$)?[sd]")
    damaged = 0
    with TranslationMemory() as tm:
        for number, entry in enumerate(e for e in original.entries if e.is_translated() and not e.is_header):
            forms = entry.translations
            if number % 2 and "php-format" in entry.flags and printf.search(forms[0]):
                forms = [printf.sub("", form, count=1) for form in forms]
                damaged += 1
            tm.add(original.language, entry.msgid, forms, origin="elsewhere", msgctxt=entry.msgctxt,
                   source_plural=entry.msgid_plural)
    po = untranslated_copy(corpus_dir / RUSSIAN, tmp_path)
    report = list(fill([po], FillOptions(original.language, ("tm",))))[-1].report
    catalog = load_catalog(po)
    assert damaged > 5 and report.from_memory_exact > 100
    assert new_errors(catalog) == []
    refused = [s for s in report.skipped if "check format" in s.reason]
    assert len(refused) >= damaged - 2, report.skipped[:3]

"""On every real catalog of the corpus, `transkit check` errors agree with GNU msgfmt -c: each line
msgfmt rejects belongs to an entry we report as an error, and on translations msgfmt accepts we
raise (almost) no errors."""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess

import pytest

from transkit.catalog import load_catalog
from transkit.checks import CheckContext, check_catalog, run_checks

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt is not installed")


def msgfmt_rejections(path) -> tuple[set[int], bool]:
    """Lines msgfmt -c reports as fatal, and whether it failed without naming a line."""
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    lines = set()
    for match in re.finditer(rf"^{re.escape(str(path))}:(\d+): (.*)$", result.stderr, re.M):
        message = match.group(2)
        if message.startswith("warning:") or "location of the first definition" in message:
            continue
        lines.add(int(match.group(1)))
    return lines, result.returncode != 0 and not lines


def entry_at(catalog, line):
    """The entry whose text spans ``line`` (msgfmt names the msgstr line, we know the msgid line)."""
    live = sorted((e.lineno, index, e) for index, e in enumerate(catalog.all_entries) if not e.obsolete)
    position = bisect.bisect_right([start for start, _, _ in live], line) - 1
    return live[position][2] if position >= 0 else None


def test_every_msgfmt_rejection_is_an_error_and_accepted_translations_raise_almost_none(corpus_dir):
    files = sorted(p for folder in ("wordpress", "other") for p in (corpus_dir / folder).rglob("*.po"))
    assert len(files) > 200
    missed, false_errors, translated = [], [], 0
    for path in files:
        rejected_lines, failed_without_line = msgfmt_rejections(path)
        catalog = load_catalog(path)
        results = check_catalog(catalog)
        error_entries = {id(entry) for entry, problem in results if problem.is_error and entry is not None}
        rejected_entries = set()
        for line in rejected_lines:
            entry = entry_at(catalog, line)
            rejected_entries.add(id(entry))
            if entry is None or id(entry) not in error_entries:
                missed.append(f"{path}:{line}")
        if failed_without_line and not any(problem.is_error for _, problem in results):
            missed.append(f"{path}: (whole file)")
        translated += sum(1 for entry in catalog.entries if entry.is_translated())
        false_errors += [
            (f"{path}:{entry.lineno}", problem.message) for entry, problem in results
            if problem.is_error and entry is not None and not entry.is_header and entry.is_translated()
            and id(entry) not in rejected_entries
        ]
    assert missed == []
    assert translated > 100_000
    per_thousand = 1000 * len(false_errors) / translated
    print(f"\nfalse errors: {len(false_errors)} on {translated} translated entries ({per_thousand:.2f}/1000)")
    assert per_thousand < 1, false_errors[:20]


def test_the_defects_named_in_the_issue_are_found(corpus_dir):
    def errors_of(relative):
        return [(entry, problem) for entry, problem in check_catalog(load_catalog(corpus_dir / relative))
                if problem.is_error]

    [(entry, problem)] = errors_of("wordpress/wp-super-cache/wp-super-cache-fr_FR.po")
    assert problem.check == "format" and "'q'" in problem.message
    es_errors = errors_of("wordpress/wp-super-cache/wp-super-cache-es_ES.po")
    assert sorted(problem.check for _, problem in es_errors) == ["format"] + ["placeholders"] * 2
    # the permalink tags of the structure /%category%/%postname%/ were translated: they no longer work
    assert {problem.message for _, problem in es_errors if problem.check == "placeholders"} == {
        "placeholder %category% is missing from the translation",
        "placeholder %postname% is missing from the translation"}
    sl_errors = errors_of("wordpress/wordpress-core/3.1-sl_SI/sl_SI.po")
    assert any(problem.check == "format" and problem.form == 0 for _, problem in sl_errors)
    for locale in ("pl_PL", "cs_CZ", "uk", "cy", "gd", "sl_SI"):
        checks = {problem.check for _, problem in errors_of(f"wordpress/jetpack/jetpack-{locale}.po")}
        assert "newline-start" in checks, locale


@pytest.mark.parametrize("locale", ["de_DE", "pl_PL", "uk", "ar", "he_IL", "ga_IE"])
def test_plural_forms_copied_from_japanese_are_reported(corpus_dir, locale):
    catalog = load_catalog(corpus_dir / "wordpress" / "contact-form-7" / f"contact-form-7-{locale}.po")
    messages = [p.message for entry, p in check_catalog(catalog) if p.check == "plural-header"]
    assert any("nplurals=1" in message for message in messages), messages


def test_a_plural_forms_header_that_is_not_one_is_reported(corpus_dir):
    catalog = load_catalog(corpus_dir / "wordpress" / "wp-super-cache" / "wp-super-cache-de_DE.po")
    assert [p.check for _, p in check_catalog(catalog) if p.check == "plural-header"] == ["plural-header"]


def test_only_the_error_checks_find_errors(corpus_dir):
    """fill decides what it may write with the checks that can find an error (``errors_only``):
    on every corpus catalog (60 of them break msgfmt -c), every error the whole set of checks finds
    is found by those alone, so the others only warn."""
    files = sorted(p for folder in ("wordpress", "other") for p in (corpus_dir / folder).rglob("*.po"))
    assert len(files) > 200
    checked = errors = 0
    missed = []
    for path in files:
        catalog = load_catalog(path)
        context = CheckContext.for_catalog(catalog)
        for entry in catalog.entries:
            every = [(p.check, p.form, p.message) for p in run_checks(entry, context) if p.is_error]
            alone = [(p.check, p.form, p.message) for p in run_checks(entry, context, errors_only=True)
                     if p.is_error]
            checked += 1
            errors += len(every)
            if every != alone:
                missed.append((f"{path}:{entry.lineno}", every, alone))
    assert checked > 100_000 and errors > 50
    assert not missed, missed[:5]

"""Quality checks: every broken placeholder, tag, plural and header, before a maintainer sees it.

Each check is a plain function over one entry (seen through an ``EntryView``, which caches what
several checks need) and the catalog's ``CheckContext``; it yields every ``Problem`` it finds.
Severity ``error`` means the string would break the site or be rejected: everything GNU
``msgfmt -c`` rejects is an error here. ``warning`` means "likely wrong" (GlotPress warnings and
pofilter's checks).

    problems = check_catalog(load_catalog("x-de_DE.po"))      # [(entry, Problem), ...]
    problems = run_checks(entry, CheckContext.for_catalog(catalog))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from transkit.checks import glossary, msgfmt, plurals, text
from transkit.checks.context import CheckContext, CheckFunction, EntryView, FormPair
from transkit.checks.header import check_header
from transkit.checks.placeholders import Placeholder, PlaceholderRules, find_placeholders, rules_for_catalog
from transkit.checks.problem import ERROR, WARNING, Problem

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.checks.glossary import Glossary

# every entry check, in the order their problems are listed
ENTRY_CHECKS: tuple[CheckFunction, ...] = (*msgfmt.CHECKS, *plurals.CHECKS, *text.CHECKS, glossary.check_glossary)
# those that can find an error-level problem (the rest only warn): what deciding whether a machine
# suggestion may be written needs (tests/test_checks.py holds every other check to warnings)
ERROR_CHECKS: tuple[CheckFunction, ...] = (*msgfmt.CHECKS, *plurals.CHECKS, *text.ERROR_CHECKS)


def run_checks(entry: "Entry", context: CheckContext | None = None, *, errors_only: bool = False) -> list[Problem]:
    """Every problem of one entry (``errors_only``: only the checks that can find an error run; their
    warnings are still returned). Entries without any translation have none."""
    if entry.obsolete or entry.is_header or not any(entry.translations):
        return []
    context = context or CheckContext()
    view = EntryView(entry, context)
    problems: list[Problem] = []
    for check in ERROR_CHECKS if errors_only else ENTRY_CHECKS:
        problems.extend(check(view, context))
    return problems


ONLY_STATES = ("translated", "fuzzy", "untranslated")


def selected(entry: "Entry", only: str | None) -> bool:
    """Whether ``--only`` keeps this entry."""
    if only is None:
        return True
    if only == "fuzzy":
        return entry.fuzzy
    if only == "translated":
        return entry.is_translated()
    if only == "untranslated":
        return not entry.fuzzy and not entry.is_translated()
    raise ValueError(f"unknown state {only!r}; expected one of {', '.join(ONLY_STATES)}")


def check_catalog(catalog: "Catalog", only: str | None = None,
                  glossary: "Glossary | None" = None) -> list[tuple["Entry | None", Problem]]:
    """Every problem of a catalog: the header and catalog-wide ones first, then entry by entry.

    Catalog-wide problems are tied to the header entry (None when the catalog has none).
    """
    context = CheckContext.for_catalog(catalog, glossary)
    results: list[tuple[Entry | None, Problem]] = []
    header_entry = catalog.header_entry
    for problem in check_header(catalog, context):
        results.append((header_entry, problem))
    for entry, line, message in getattr(catalog, "syntax_problems", ()):
        # what msgfmt calls a syntax error but the catalog keeps verbatim: always an error
        results.append((entry if entry is not None else header_entry,
                        Problem("syntax", ERROR, f"line {line}: {message}", line=line)))
    for entry, problem in _duplicates(catalog):
        results.append((entry, problem))
    for entry, problem in _separators_inside(catalog):
        results.append((entry, problem))
    for entry in catalog.entries:
        if selected(entry, only):
            for problem in run_checks(entry, context):
                results.append((entry, problem))
    return results


_SEPARATORS = {"\x04": "the context separator EOT (\\004), which msgfmt refuses",
               "\x00": "a NUL (\\000), where gettext ends the string: the rest would be lost"}


def _separators_inside(catalog: "Catalog") -> Iterator[tuple["Entry", Problem]]:
    """The .mo format's own separators cannot be inside a string (an escape can put them there)."""
    for entry in catalog.all_entries:
        texts = [entry.msgid, entry.msgid_plural, entry.msgctxt or "", *entry.translations, entry.msgstr]
        for character, what in _SEPARATORS.items():
            if any(character in text for text in texts):
                yield entry, Problem("syntax", ERROR, f"line {entry.lineno}: a string holds {what}")


def _duplicates(catalog: "Catalog") -> Iterator[tuple["Entry", Problem]]:
    """msgfmt refuses two definitions of one (msgctxt, msgid), the header and obsolete (#~) entries
    included: a second header, an obsolete copy of an active entry, two obsolete copies."""
    seen: dict[tuple, "Entry"] = {}
    for entry in catalog.all_entries:
        first = seen.setdefault(entry.key, entry)
        if first is not entry:
            where = f" (first at line {first.lineno})" if first.lineno else ""
            yield entry, Problem("duplicate", ERROR, f"duplicate message definition{where}")


__all__ = ["ENTRY_CHECKS", "ERROR", "ERROR_CHECKS", "WARNING", "CheckContext", "EntryView", "FormPair", "Problem", "check_catalog",
           "run_checks", "selected", "find_placeholders", "Placeholder", "PlaceholderRules",
           "rules_for_catalog"]

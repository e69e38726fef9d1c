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

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from transkit.checks.placeholders import (Placeholder, PlaceholderRules, find_placeholders, rules_for_catalog,
                                         rules_for_entry)

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.checks.glossary import Glossary

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an entry.

    ``check`` is a stable id (``format``, ``newline-start``, ``tags``…); ``form`` the msgstr index
    for plural entries (None for a singular msgstr or the entry as a whole); ``span`` the
    (start, end) characters of the offending part of that translation form, when there is one.
    """

    check: str
    severity: str
    message: str
    form: int | None = None
    span: tuple[int, int] | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        return {"check": self.check, "severity": self.severity, "message": self.message,
                "form": self.form, "span": list(self.span) if self.span else None}


@dataclass
class CheckContext:
    """What checks need to know about the catalog an entry belongs to."""

    language: str = ""
    nplurals: int = 2
    plural_expression: str = "n != 1"
    # per plural form: is it used for many numbers (then it must keep every format argument)?
    often: tuple[bool, ...] = (False, True)
    glossary: "Glossary | None" = None
    charset: str = "utf-8"  # Python codec the catalog is written in: every translation must fit it
    # what the catalog's msgids use as placeholders (``rules_for_catalog``); None: the common styles
    placeholder_rules: PlaceholderRules | None = None

    @classmethod
    def for_catalog(cls, catalog: "Catalog", glossary: "Glossary | None" = None) -> "CheckContext":
        from transkit.checks.plurals import plural_rule_of

        language = catalog.language
        nplurals, expression = plural_rule_of(catalog.plural_forms, language)
        context = cls.for_rule(language, nplurals, expression, glossary, rules_for_catalog(catalog))
        context.charset = getattr(catalog.style, "encoding", "utf-8") or "utf-8"
        return context

    @classmethod
    def for_rule(cls, language: str, nplurals: int, expression: str,
                 glossary: "Glossary | None" = None,
                 placeholder_rules: PlaceholderRules | None = None) -> "CheckContext":
        from transkit.checks.plurals import often_used_forms

        return cls(language=language, nplurals=nplurals, plural_expression=expression,
                   often=often_used_forms(expression, nplurals), glossary=glossary,
                   placeholder_rules=placeholder_rules)

    @cached_property
    def base_language(self) -> str:
        return self.language.replace("-", "_").split("_")[0].split("@")[0].lower()


@dataclass(frozen=True)
class FormPair:
    """One translation form next to the source text it translates."""

    index: int | None  # None for a singular msgstr
    source: str  # msgid for singular / form 0 of a two-form language, msgid_plural otherwise
    translation: str
    # whether this form must keep every argument of the source (see formats.py)
    strict: bool


class EntryView:
    """An entry as the checks see it: its forms paired with sources, placeholders found once."""

    __slots__ = ("entry", "context", "pairs", "rules", "_placeholders")

    def __init__(self, entry: "Entry", context: CheckContext):
        self.entry = entry
        self.context = context
        self._placeholders: dict[str, list[Placeholder]] = {}
        # translations are read with what the source shows, so a token is found the same way in both
        self.rules = rules_for_entry(context.placeholder_rules, (entry.msgid, entry.msgid_plural), entry.flags)
        if entry.is_plural:
            forms = entry.translations
            only_one = len(forms) == 1
            self.pairs = [
                FormPair(index, entry.msgid if index == 0 and context.nplurals > 1 else entry.msgid_plural,
                         text, only_one or (index < len(context.often) and context.often[index]))
                for index, text in enumerate(forms)
            ]
        else:
            self.pairs = [FormPair(None, entry.msgid, entry.msgstr, True)]

    def placeholders(self, text: str) -> list[Placeholder]:
        found = self._placeholders.get(text)
        if found is None:
            found = self._placeholders[text] = find_placeholders(text, self.entry.flags, self.rules)
        return found


CheckFunction = Callable[[EntryView, CheckContext], Iterable[Problem]]


def entry_checks() -> list[CheckFunction]:
    from transkit.checks import glossary, msgfmt, plurals, text

    return [*msgfmt.CHECKS, *plurals.CHECKS, *text.CHECKS, glossary.check_glossary]


_ENTRY_CHECKS: list[CheckFunction] | None = None


def run_checks(entry: "Entry", context: CheckContext | None = None) -> list[Problem]:
    """Every problem of one entry. Entries without any translation have none."""
    global _ENTRY_CHECKS
    if entry.obsolete or entry.is_header or not any(entry.translations):
        return []
    if _ENTRY_CHECKS is None:
        _ENTRY_CHECKS = entry_checks()
    context = context or CheckContext()
    view = EntryView(entry, context)
    problems: list[Problem] = []
    for check in _ENTRY_CHECKS:
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
    from transkit.checks.header import check_header

    context = CheckContext.for_catalog(catalog, glossary)
    results: list[tuple[Entry | None, Problem]] = []
    header_entry = catalog.header_entry
    for problem in check_header(catalog, context):
        results.append((header_entry, problem))
    for entry, line, message in getattr(catalog, "syntax_problems", ()):
        # what msgfmt calls a syntax error but the catalog keeps verbatim: always an error
        results.append((entry if entry is not None else header_entry, Problem("syntax", ERROR, f"line {line}: {message}")))
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


__all__ = ["ERROR", "WARNING", "CheckContext", "EntryView", "FormPair", "Problem", "check_catalog",
           "run_checks", "selected", "find_placeholders", "Placeholder", "PlaceholderRules",
           "rules_for_catalog"]

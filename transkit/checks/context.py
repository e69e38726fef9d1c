"""What the checks see: the catalog's ``CheckContext`` (language, plural rule, glossary, charset,
placeholder styles) and one entry as an ``EntryView`` (its forms paired with their sources,
placeholders found once)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable

from transkit.checks.placeholders import Placeholder, PlaceholderRules, find_placeholders, rules_for_catalog, rules_for_entry
from transkit.checks.plurals import often_used_forms, plural_rule_of
from transkit.checks.problem import Problem

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.checks.glossary import Glossary


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
        language = catalog.language
        nplurals, expression = plural_rule_of(catalog.plural_forms, language)
        context = cls.for_rule(language, nplurals, expression, glossary, rules_for_catalog(catalog))
        context.charset = getattr(catalog.style, "encoding", "utf-8") or "utf-8"
        return context

    @classmethod
    def for_rule(cls, language: str, nplurals: int, expression: str,
                 glossary: "Glossary | None" = None,
                 placeholder_rules: PlaceholderRules | None = None) -> "CheckContext":
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

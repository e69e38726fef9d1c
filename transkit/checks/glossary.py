"""Glossary and do-not-translate list: brand names (WordPress, WooCommerce) stay as they are, and
glossary terms are translated the agreed way.

File format (UTF-8): one term per line; ``term<TAB>translation`` (or ``term,translation`` in a .csv,
as GlotPress exports it with an ``en,<locale>,…`` header) for a glossary term, a lone ``term`` for a
do-not-translate one. ``#`` starts a comment line.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from transkit.checks import WARNING, Problem
from transkit.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from transkit.checks import CheckContext, EntryView


@dataclass
class Glossary:
    # source term -> agreed translation
    terms: dict[str, str] = field(default_factory=dict)
    # terms to keep exactly as written
    keep: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._patterns: list[tuple[re.Pattern, str, str | None]] = []
        for term in self.keep:
            self._patterns.append((_term_pattern(term, ignore_case=False), term, None))
        for term, translation in self.terms.items():
            self._patterns.append((_term_pattern(term, ignore_case=True), term, translation))

    def matches(self, source: str) -> Iterator[tuple[str, str | None]]:
        for pattern, term, translation in self._patterns:
            if pattern.search(source):
                yield term, translation


def _term_pattern(term: str, ignore_case: bool) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE if ignore_case else 0)


def load_glossary(path: str | os.PathLike) -> Glossary:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read glossary: {err}") from None
    terms: dict[str, str] = {}
    keep: list[str] = []
    if path.suffix.lower() == ".csv":
        rows = list(csv.reader(io.StringIO(text)))
        if rows and rows[0] and rows[0][0].strip().lower() == "en":
            rows = rows[1:]
    else:
        rows = [line.split("\t") for line in text.splitlines()]
    for row in rows:
        cells = [cell.strip() for cell in row]
        if not cells or not cells[0] or cells[0].startswith("#"):
            continue
        if len(cells) == 1 or not cells[1]:
            keep.append(cells[0])
        else:
            terms[cells[0]] = cells[1]
    return Glossary(terms=terms, keep=keep)


def check_glossary(view: "EntryView", context: "CheckContext") -> Iterator[Problem]:
    glossary = context.glossary
    if glossary is None:
        return
    for pair in view.pairs:
        if not pair.translation:
            continue
        lowered = pair.translation.lower()
        for term, translation in glossary.matches(pair.source):
            if translation is None:
                if term not in pair.translation:
                    yield Problem("glossary", WARNING, f"{term} must stay untranslated", form=pair.index)
            elif translation.lower() not in lowered:
                yield Problem("glossary", WARNING, f"glossary: {term} should be translated as {translation}",
                              form=pair.index)

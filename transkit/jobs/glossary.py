"""The glossary use cases: import a glossary file into the store, learn terms from the catalogs the
user has, and the consistency checks across those catalogs. Never prints; both faces call these.

Learning (``suggest_terms``): a term is a short source (one to three words, no placeholder) that
the user's catalogs of the locale — WordPress core's translations first among them — translate the
same way nearly every time. Sources and translations are compared by their stems (so "Post" and
"Posts", "Beitrag" and "Beiträge" count together); a proposal names how often it was seen, how
often with its dominant translation, the other translations and where.

Consistency (``consistency_problems``): the same source (and msgctxt) translated differently in
the catalogs of one locale, and different sources given the same translation; each warning names
the other occurrences (file:line).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from transkit.checks import WARNING, Problem, find_placeholders
from transkit.checks.glossary import Glossary, Term, english_stem, read_terms, target_stems
from transkit.errors import CatalogError, ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.store.glossary import GlossaryStore, TermsWritten

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_EDGE_PUNCTUATION = " \t\n:.…!?;,\u3002\uff1a\u061f"


def base_language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].split("@")[0].lower()


# -- import -----------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    path: Path
    format: str
    locale: str
    written: "TermsWritten"
    skipped: list[tuple[int, str]] = field(default_factory=list)
    removed: int = 0  # with replace: terms the locale had before


def import_glossary(store: "GlossaryStore", locale: str, path: str | os.PathLike,
                    file_format: str | None = None, replace: bool = False) -> ImportResult:
    """Read a glossary file (GlotPress CSV, plain CSV, TBX, a term list) into ``locale``'s glossary.
    A file made for another language is refused (ConfigError naming it); nothing is written then."""
    path = Path(path)
    read = read_terms(path, file_format, locale)
    if read.locale and base_language(read.locale) != base_language(locale):
        raise ConfigError(f"{path}: a glossary for {read.locale!r}, not {locale!r} (the header names "
                          f"its language); pass the locale it was made for")
    if not read.terms:
        raise ConfigError(f"{path}: no glossary terms found"
                          + (f" ({len(read.skipped)} rows left out, first at line {read.skipped[0][0]}: "
                             f"{read.skipped[0][1]})" if read.skipped else ""))
    removed = store.clear(locale) if replace else 0
    written = store.add_terms(locale, read.terms, origin=f"{read.format} {path.name}")
    return ImportResult(path, read.format, locale, written, read.skipped, removed)


# -- the catalogs of a locale -----------------------------------------------------------------------
@dataclass
class LocaleCatalogs:
    catalogs: list["Catalog"]
    core: set[int]  # id() of WordPress core's catalogs among them
    unreadable: list[CatalogError]


def catalogs_of_locale(paths: Iterable[str | os.PathLike], locale: str) -> LocaleCatalogs:
    """The PO files of ``locale`` that ``paths`` name (``jobs.catalogs.catalogs_for``), read."""
    from transkit.catalog import load_catalog
    from transkit.jobs.catalogs import catalogs_for

    from transkit.catalog.locales import parse_locale

    info = parse_locale(locale)
    locale = info.code if info else locale
    found = LocaleCatalogs([], set(), [])
    for ref in catalogs_for(list(paths), locale):
        try:
            catalog = load_catalog(ref.path)
        except CatalogError as err:
            found.unreadable.append(err)
            continue
        if catalog.is_template or (ref.locale and ref.locale != locale):
            continue  # a file named directly stands for itself, in any locale: keep only this one's
        found.catalogs.append(catalog)
        if ref.project_kind == "wordpress-core" or is_core(catalog):
            found.core.add(id(catalog))
    return found


def is_core(catalog: "Catalog") -> bool:
    """WordPress's own translations by their header (the finder knows them by their place)."""
    project = (catalog.header.get("Project-Id-Version") or "").strip()
    return project.startswith("WordPress") and not project.startswith(("WordPress Plugin", "WordPress Theme"))


def _trusted(entry: "Entry") -> bool:
    return not (entry.obsolete or entry.is_header or entry.fuzzy) and entry.is_translated()


# -- learning ---------------------------------------------------------------------------------------
@dataclass
class ProposedTerm:
    term: str
    translation: str
    count: int  # entries whose source is the term (any inflection)
    agreeing: int  # of them, translated the dominant way
    core: int  # of the agreeing, in WordPress core's catalogs
    others: list[tuple[str, int]]  # other translations and how often
    examples: list[str]  # "file:line: msgid → msgstr"

    @property
    def share(self) -> float:
        return self.agreeing / self.count if self.count else 0.0

    def as_term(self) -> Term:
        return Term(self.term, "" if self.translation == self.term else self.translation)

    def as_dict(self) -> dict:
        return {"term": self.term, "translation": self.translation, "count": self.count,
                "agreeing": self.agreeing, "core": self.core, "share": round(self.share, 3),
                "others": [{"translation": t, "count": n} for t, n in self.others], "examples": self.examples}


def _strip(text: str) -> str:
    return text.strip(_EDGE_PUNCTUATION)


def suggest_terms(catalogs: Iterable["Catalog"], locale: str, *, core: set[int] = frozenset(),
                  min_count: int = 3, min_share: float = 0.75, max_words: int = 3,
                  known: Iterable[Term] = ()) -> list[ProposedTerm]:
    """Terms the catalogs agree on, most frequent first; ``core``: id() of WordPress core's
    catalogs among them (counted apart); terms already in ``known`` (same source stem) are left out."""
    language = base_language(locale)
    known_stems = {tuple(english_stem(w) for w in _WORD.findall(t.source)) for t in known}
    # source stems -> [(source, translation, translation stems, is_core, where)]
    seen: dict[tuple[str, ...], list[tuple[str, str, tuple[str, ...], bool, str]]] = defaultdict(list)
    for catalog in catalogs:
        in_core = id(catalog) in core
        name = catalog.path.name if catalog.path else "<catalog>"
        for entry in catalog.entries:
            if entry.is_plural or not _trusted(entry) or "slug" in (entry.msgctxt or ""):
                continue  # a URL slug ("product" → "produkt") is no wording
            source, translation = _strip(entry.msgid), _strip(entry.msgstr)
            words = _WORD.findall(source)
            if not words or len(words) > max_words or len(source) > 40 or not translation:
                continue
            if " ".join(words) != source or find_placeholders(entry.msgid, entry.flags):
                continue  # only plain words: no placeholder, markup or sentence punctuation inside
            stems = tuple(english_stem(w) for w in words)
            if stems in known_stems:
                continue
            seen[stems].append((source, translation, tuple(target_stems(translation, language)), in_core,
                                f"{name}:{entry.lineno}"))
    proposals = []
    for stems, found in seen.items():
        if len(found) < min_count:
            continue
        by_translation = Counter(t_stems for _, _, t_stems, _, _ in found)
        dominant, agreeing = by_translation.most_common(1)[0]
        if agreeing / len(found) < min_share or not dominant:
            continue
        agreeing_rows = [row for row in found if row[2] == dominant]
        # the spelling shown: the uninflected source if it occurs ("Post", not "Posts"), with the
        # translation it was given most often
        plain = [row for row in agreeing_rows if tuple(w.casefold() for w in _WORD.findall(row[0])) == stems]
        rows = plain or agreeing_rows
        # the commonest spelling; on a tie the capitalised one ("Product", not "product")
        spellings = Counter(row[0] for row in rows)
        source = max(spellings, key=lambda text: (spellings[text], text[:1].isupper()))
        translations = Counter(row[1] for row in rows if row[0] == source)
        translation = max(translations, key=lambda text: (translations[text], text[:1].isupper()))
        spelled = {row[2]: row[1] for row in found}
        others = [(spelled[t], n) for t, n in by_translation.most_common() if t != dominant]
        examples = [f"{where}: {src} → {tr}" for src, tr, _, _, where in
                    sorted(found, key=lambda row: (not row[3], row[2] != dominant))[:3]]
        proposals.append(ProposedTerm(source, translation, len(found), agreeing,
                                      sum(1 for row in agreeing_rows if row[3]), others, examples))
    proposals.sort(key=lambda p: (-p.agreeing, -p.count, p.term.casefold()))
    return proposals


# -- consistency ------------------------------------------------------------------------------------
def _where(catalog: "Catalog", entry: "Entry", relative_to: Path | None) -> str:
    path = catalog.path or Path("<catalog>")
    if relative_to is not None:
        try:
            path = path.resolve().relative_to(relative_to)
        except ValueError:
            pass
    return f"{path}:{entry.lineno}"


def _quote(text: str, width: int = 50) -> str:
    text = text.replace("\n", "\\n")
    return "'" + (text if len(text) <= width else text[: width - 1] + "…") + "'"


def _others(places: list[str], limit: int = 3) -> str:
    shown = ", ".join(places[:limit])
    return shown + (f" and {len(places) - limit} more" if len(places) > limit else "")


def consistency_problems(catalogs: Iterable["Catalog"], relative_to: str | os.PathLike | None = None
                         ) -> dict[int, list[tuple["Entry", Problem]]]:
    """Consistency warnings of the catalogs of one locale, by ``id(catalog)``: the same source (and
    msgctxt) translated differently, and different sources given the same translation."""
    base = Path(relative_to).resolve() if relative_to is not None else None
    by_source: dict[tuple, list[tuple["Catalog", "Entry"]]] = defaultdict(list)
    by_translation: dict[str, list[tuple["Catalog", "Entry"]]] = defaultdict(list)
    for catalog in catalogs:
        for entry in catalog.entries:
            if not _trusted(entry):
                continue
            by_source[(entry.msgctxt, entry.msgid, entry.msgid_plural)].append((catalog, entry))
            if not entry.is_plural:
                translation = _strip(entry.msgstr).casefold()
                if translation:
                    by_translation[translation].append((catalog, entry))
    problems: dict[int, list[tuple[Entry, Problem]]] = defaultdict(list)
    for found in by_source.values():
        if len({tuple(entry.translations) for _, entry in found}) < 2:
            continue
        for catalog, entry in found:
            other = [f"{_quote(e.translations[0])} in {_where(c, e, base)}" for c, e in found
                     if tuple(e.translations) != tuple(entry.translations)]
            problems[id(catalog)].append((entry, Problem(
                "consistency", WARNING, f"translated differently elsewhere: {_others(other)}")))
    for found in by_translation.values():
        if len({_strip(entry.msgid).casefold() for _, entry in found}) < 2:
            continue
        for catalog, entry in found:
            mine = _strip(entry.msgid).casefold()
            other = [f"{_quote(e.msgid)} in {_where(c, e, base)}" for c, e in found
                     if _strip(e.msgid).casefold() != mine]
            problems[id(catalog)].append((entry, Problem(
                "consistency", WARNING, f"same translation as another source: {_others(other)}")))
    return problems


@lru_cache(maxsize=32)
def glossary_for_locale(locale: str) -> "Glossary | None":
    """The store's glossary of ``locale``, read once per run (``cache_clear`` after it)."""
    from transkit.store.glossary import locale_glossary

    return locale_glossary(locale)


def edit_term(locale: str, text: str) -> str:
    """What the TUI's glossary prompt does: ``term = translation`` adds (or changes) a term,
    ``term =`` adds a do-not-translate one, ``-term`` removes it. Returns what was done, for the
    face to show; a line it cannot read is a ConfigError."""
    from transkit.store.glossary import GlossaryStore

    text = text.strip()
    with GlossaryStore.open() as store:
        if text.startswith("-") and text[1:].strip():
            term = text[1:].strip()
            removed = store.remove(locale, term)
            return f"removed {term} from the {locale} glossary" if removed else f"{locale} has no term {term}"
        source, equals, translation = text.partition("=")
        if not equals or not source.strip():
            raise ConfigError("write 'term = translation' to add a term, 'term =' to keep it as it is, "
                              "'-term' to remove it")
        term = Term(source.strip(), translation.strip())
        store.add_terms(locale, [term], origin="added")
        return f"{term.source} → {term.translation or '(keep as is)'} in the {locale} glossary"

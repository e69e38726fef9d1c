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
from typing import TYPE_CHECKING, Iterable, NamedTuple

from transkit.catalog import load_catalog
from transkit.catalog.locales import parse_locale
from transkit.checks import WARNING, Problem, find_placeholders
from transkit.checks.glossary import Glossary, Term, english_stem, read_terms, target_stems
from transkit.errors import CatalogError, ConfigError
from transkit.jobs.catalogs import catalogs_for
from transkit.store import ReviewState, ReviewStore
from transkit.store.glossary import GlossaryStore, locale_glossary

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.store.glossary import TermsWritten

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
        raise CatalogError("no glossary terms found" + (f" ({len(read.skipped)} rows left out, first at line "
                                                         f"{read.skipped[0][0]}: {read.skipped[0][1]})"
                                                         if read.skipped else ""), path)
    removed = store.clear(locale) if replace else 0
    written = store.add_terms(locale, read.terms, origin=f"{read.format} {path.name}")
    return ImportResult(path, read.format, locale, written, read.skipped, removed)


# -- the catalogs of a locale -----------------------------------------------------------------------
@dataclass
class LocaleCatalogs:
    catalogs: list["Catalog"]
    core: set[int]  # id() of WordPress core's catalogs among them
    unreadable: list[CatalogError]
    keys: dict[int, object] = field(default_factory=dict)  # id() -> its CatalogKey, as status names it

    def review_states(self) -> dict[int, dict]:
        """id(catalog) -> {(msgctxt, msgid): ReviewState} from the review store (synced with each
        file first, as status and export do: a translation changed since its approval is not
        reviewed any more)."""
        states: dict[int, dict] = {}
        with ReviewStore.open() as store:
            for catalog in self.catalogs:
                key = self.keys.get(id(catalog))
                if key is None or id(catalog) in self.core:
                    continue
                store.sync_catalog(catalog, key)
                states[id(catalog)] = {k: v.state for k, v in store.states(key).items()}
        return states


def catalogs_of_locale(paths: Iterable[str | os.PathLike], locale: str) -> LocaleCatalogs:
    """The PO files of ``locale`` that ``paths`` name (``jobs.catalogs.catalogs_for``), read."""


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
        found.keys[id(catalog)] = ref.key
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
# How much one translation tells: an approved one (REVIEWED in the review store, or WordPress core's,
# approved on translate.wordpress.org) counts as three that nobody reviewed; a fuzzy one counts for
# nothing — machine drafts are fuzzy until a person takes them (the store's sync says so too), and a
# term learned from MT would only teach the MT's own choice back.
REVIEWED_WEIGHT = 3
UNREVIEWED_WEIGHT = 1


def translation_weight(entry: "Entry", state=None, in_core: bool = False) -> int:
    if not _trusted(entry):
        return 0
    if in_core or state is ReviewState.REVIEWED:
        return REVIEWED_WEIGHT
    return UNREVIEWED_WEIGHT


@dataclass
class ProposedTerm:
    term: str
    translation: str
    count: int  # entries whose source is the term (any inflection), fuzzy and machine drafts left out
    agreeing: int  # of them, translated the dominant way
    core: int  # of the agreeing, in WordPress core's catalogs
    others: list[tuple[str, int]]  # other translations and how often
    examples: list[str]  # "file:line: msgid → msgstr"
    reviewed: int = 0  # of the agreeing, approved in the review store
    weight: int = 0  # what the entries weigh together (see REVIEWED_WEIGHT)
    agreeing_weight: int = 0

    @property
    def share(self) -> float:
        """The weighted share of the dominant translation."""
        if self.weight:
            return self.agreeing_weight / self.weight
        return self.agreeing / self.count if self.count else 0.0

    def as_term(self) -> Term:
        return Term(self.term, "" if self.translation == self.term else self.translation)

    def as_dict(self) -> dict:
        return {"term": self.term, "translation": self.translation, "count": self.count,
                "agreeing": self.agreeing, "core": self.core, "reviewed": self.reviewed,
                "weight": self.weight, "agreeing_weight": self.agreeing_weight, "share": round(self.share, 3),
                "others": [{"translation": t, "count": n} for t, n in self.others], "examples": self.examples}


def _strip(text: str) -> str:
    return text.strip(_EDGE_PUNCTUATION)


class _Seen(NamedTuple):
    source: str
    translation: str
    stems: tuple[str, ...]  # of the translation
    in_core: bool
    where: str
    weight: int
    reviewed: bool


class TermEvidence:
    """Every short plain source of the catalogs with its translations, grouped by source stems:
    what ``proposals`` learns terms from and ``why_not`` explains a term with."""

    def __init__(self, catalogs: Iterable["Catalog"], locale: str, *, core: set[int] = frozenset(),
                 states: dict[int, dict] | None = None, max_words: int = 3):
        language = base_language(locale)
        states = states or {}
        self.seen: dict[tuple[str, ...], list[_Seen]] = defaultdict(list)
        self.left_out: dict[tuple[str, ...], Counter] = defaultdict(Counter)  # stems -> reason -> entries
        for catalog in catalogs:
            in_core = id(catalog) in core
            of_catalog = states.get(id(catalog), {})
            name = catalog.path.name if catalog.path else "<catalog>"
            for entry in catalog.entries:
                if entry.is_plural or entry.obsolete or entry.is_header or "slug" in (entry.msgctxt or ""):
                    continue  # a URL slug ("product" → "produkt") is no wording
                source, translation = _strip(entry.msgid), _strip(entry.msgstr)
                words = _WORD.findall(source)
                if not words or len(words) > max_words or len(source) > 40 or not translation:
                    continue
                if " ".join(words) != source or find_placeholders(entry.msgid, entry.flags):
                    continue  # only plain words: no placeholder, markup or sentence punctuation inside
                stems = tuple(english_stem(w) for w in words)
                state = of_catalog.get(entry.key)
                weight = translation_weight(entry, state, in_core)
                if not weight:
                    self.left_out[stems]["fuzzy"] += 1
                    continue
                self.seen[stems].append(_Seen(source, translation, tuple(target_stems(translation, language)),
                                              in_core, f"{name}:{entry.lineno}", weight,
                                              state is ReviewState.REVIEWED))

    def proposals(self, *, min_count: int = 3, min_share: float = 0.75,
                  known: Iterable[Term] = ()) -> list[ProposedTerm]:
        known_stems = _stems_of(known)
        proposals = []
        for stems, found in self.seen.items():
            if stems in known_stems:
                continue
            proposal = self._proposal(found)
            if proposal is not None and proposal.weight >= min_count and proposal.share >= min_share:
                proposals.append(proposal)
        proposals.sort(key=lambda p: (-p.agreeing_weight, -p.count, p.term.casefold()))
        return proposals

    @staticmethod
    def _proposal(found: list[_Seen]) -> ProposedTerm | None:
        by_translation: Counter = Counter()
        for row in found:
            by_translation[row.stems] += row.weight
        dominant, agreeing_weight = by_translation.most_common(1)[0]
        if not dominant:
            return None
        agreeing_rows = [row for row in found if row.stems == dominant]
        # the spelling shown: the uninflected source if it occurs ("Post", not "Posts"), with the
        # translation it was given most often
        source_stems = tuple(english_stem(w) for w in _WORD.findall(found[0].source))
        plain = [row for row in agreeing_rows if tuple(w.casefold() for w in _WORD.findall(row.source)) == source_stems]
        rows = plain or agreeing_rows
        # the commonest spelling; on a tie the capitalised one ("Product", not "product")
        spellings = Counter(row.source for row in rows)
        source = max(spellings, key=lambda text: (spellings[text], text[:1].isupper()))
        translations = Counter(row.translation for row in rows if row.source == source)
        translation = max(translations, key=lambda text: (translations[text], text[:1].isupper()))
        spelled = {row.stems: row.translation for row in found}
        counts = Counter(row.stems for row in found)
        others = [(spelled[t], counts[t]) for t, _ in by_translation.most_common() if t != dominant]
        examples = [f"{row.where}: {row.source} → {row.translation}" for row in
                    sorted(found, key=lambda row: (not row.in_core, not row.reviewed, row.stems != dominant))[:3]]
        return ProposedTerm(source, translation, len(found), len(agreeing_rows),
                            sum(1 for row in agreeing_rows if row.in_core), others, examples,
                            reviewed=sum(1 for row in agreeing_rows if row.reviewed),
                            weight=sum(row.weight for row in found), agreeing_weight=agreeing_weight)

    def why_not(self, term: str, *, min_count: int = 3, min_share: float = 0.75,
                known: Iterable[Term] = ()) -> str:
        """Why ``term`` is not among the proposals, in words a person can act on."""
        stems = tuple(english_stem(w) for w in _WORD.findall(term))
        for glossary_term in known:
            if tuple(english_stem(w) for w in _WORD.findall(glossary_term.source)) == stems:
                agreed = glossary_term.translation or "(keep as is)"
                return f"already in the glossary: {glossary_term.source} → {agreed}"
        found = self.seen.get(stems, [])
        left = self.left_out.get(stems, Counter())
        skipped = "".join(f"; {n} {why} left out" for why, n in sorted(left.items()))
        if not found:
            return "not seen as a whole source (one to three plain words) in these catalogs" + skipped
        proposal = self._proposal(found)
        if proposal is None:
            return f"seen {len(found)} times with no usable translation" + skipped
        translations = f"{proposal.translation} ({proposal.agreeing})" + "".join(
            f", {text} ({n})" for text, n in proposal.others[:3])
        if proposal.weight < min_count:
            return (f"seen {len(found)} time{'s' if len(found) != 1 else ''} ({translations}), weighing "
                    f"{proposal.weight}; --min-count is {min_count}" + skipped)
        if proposal.others:
            return (f"translated {len(proposal.others) + 1} ways: {translations} — the commonest has "
                    f"{proposal.share:.0%} of the weight, --min-share is {min_share:.0%}" + skipped)
        return f"seen {len(found)} times ({translations})" + skipped


def _stems_of(terms: Iterable[Term]) -> set[tuple[str, ...]]:
    return {tuple(english_stem(w) for w in _WORD.findall(t.source)) for t in terms}


def suggest_terms(catalogs: Iterable["Catalog"], locale: str, *, core: set[int] = frozenset(),
                  states: dict[int, dict] | None = None, min_count: int = 3, min_share: float = 0.75,
                  max_words: int = 3, known: Iterable[Term] = ()) -> list[ProposedTerm]:
    """Terms the catalogs agree on, most weight first; ``core``: id() of WordPress core's catalogs
    among them; ``states``: their review states by id() (``LocaleCatalogs.review_states``), which
    weigh each translation (``translation_weight``); terms already in ``known`` are left out."""
    return TermEvidence(catalogs, locale, core=core, states=states, max_words=max_words).proposals(
        min_count=min_count, min_share=min_share, known=known)


# -- consistency ------------------------------------------------------------------------------------
def _quote(text: str, width: int = 50) -> str:
    text = text.replace("\n", "\\n")
    return "'" + (text if len(text) <= width else text[: width - 1] + "…") + "'"


def _others(places: list[str], limit: int = 3) -> str:
    shown = ", ".join(places[:limit])
    return shown + (f" and {len(places) - limit} more" if len(places) > limit else "")


class KnownTranslation(NamedTuple):
    """A translation the memory knows from another catalog of the locale (it holds no Entry)."""

    path: Path
    lineno: int | None
    msgctxt: str | None
    msgid: str
    msgid_plural: str
    translations: tuple[str, ...]

    @property
    def is_plural(self) -> bool:
        return bool(self.msgid_plural)

    @property
    def msgstr(self) -> str:
        return self.translations[0] if self.translations else ""


def _translation_key(entry) -> str:
    return "" if entry.is_plural else _strip(entry.msgstr).casefold()


class Consistency:
    """The translations of one locale's catalogs, grouped by source (+ msgctxt, plural) and by
    translation, to say of an entry: the same source is translated differently elsewhere, or
    another source got the same translation — naming the others (file:line and their text).

    Catalogs are added with their live entries (an edited entry is asked about as it is now);
    ``add_known`` adds what the memory remembers of the user's other catalogs."""

    def __init__(self, relative_to: str | os.PathLike | None = None, file_names: bool = False):
        """Other occurrences are named relative to ``relative_to`` (else as they are), or by
        ``file_names`` only (a note that leaves the machine names no local folder)."""
        self._base = Path(relative_to).resolve() if relative_to is not None else None
        self._file_names = file_names
        self._by_source: dict[tuple, list[tuple[Path | None, object]]] = defaultdict(list)
        self._by_translation: dict[str, list[tuple[Path | None, object]]] = defaultdict(list)
        self._keyed: dict[int, str] = {}  # id(entry) -> the translation key it is filed under
        self._shown: dict[Path | None, str] = {}  # path -> as messages name it

    def add_catalog(self, catalog: "Catalog") -> None:
        for entry in catalog.entries:
            if _trusted(entry):
                self._add(catalog.path, entry)

    def add_known(self, rows: Iterable[KnownTranslation]) -> int:
        """The memory's rows (never edited here, so never refiled): the ``_add`` rule, inlined —
        a locale's other catalogs are tens of thousands of rows, added while a catalog opens."""
        by_source, by_translation = self._by_source, self._by_translation
        count = 0
        for row in rows:
            translations = row.translations
            if not translations or not translations[0]:
                continue
            by_source[(row.msgctxt or None, row.msgid, row.msgid_plural)].append((row.path, row))
            if not row.msgid_plural:
                key = translations[0].strip(_EDGE_PUNCTUATION).casefold()
                if key:
                    by_translation[key].append((row.path, row))
            count += 1
        return count

    def _add(self, path: Path | None, entry) -> None:
        self._by_source[(entry.msgctxt or None, entry.msgid, entry.msgid_plural)].append((path, entry))
        key = _translation_key(entry)
        if key:
            self._by_translation[key].append((path, entry))
        self._keyed[id(entry)] = key

    def _refile(self, path: Path | None, entry) -> None:
        """An entry of a live catalog edited since it was added: file it under what it says now."""
        key = _translation_key(entry) if _trusted(entry) else ""
        before = self._keyed.get(id(entry))
        if before == key:
            return
        if before is None:
            self._by_source[(entry.msgctxt or None, entry.msgid, entry.msgid_plural)].append((path, entry))
        elif before:
            self._by_translation[before] = [m for m in self._by_translation[before] if m[1] is not entry]
        if key:
            self._by_translation[key].append((path, entry))
        self._keyed[id(entry)] = key

    def _where(self, path: Path | None, entry) -> str:
        shown = self._shown.get(path)
        if shown is None:
            named = path or Path("<catalog>")
            if self._file_names:
                named = Path(named.name)
            elif self._base is not None:
                try:
                    named = named.resolve().relative_to(self._base)
                except ValueError:
                    pass
            shown = self._shown[path] = str(named)
        return f"{shown}:{entry.lineno}" if entry.lineno else shown

    def problems(self, entry: "Entry", path: Path | None = None) -> list[Problem]:
        """The consistency warnings of one entry (of the catalog at ``path``), as it reads now."""
        self._refile(path, entry)
        if not _trusted(entry):
            return []
        found = []
        mine = tuple(entry.translations)
        others = [f"{_quote(e.translations[0])} in {self._where(p, e)}"
                  for p, e in self._by_source.get((entry.msgctxt or None, entry.msgid, entry.msgid_plural), ())
                  if e is not entry and _is_current(e) and tuple(e.translations) != mine]
        if others:
            found.append(Problem("consistency", WARNING, f"translated differently elsewhere: {_others(others)}"))
        key = self._keyed.get(id(entry))
        if key:
            source = _strip(entry.msgid).casefold()
            others = [f"{_quote(e.msgid)} in {self._where(p, e)}" for p, e in self._by_translation.get(key, ())
                      if e is not entry and _is_current(e) and _translation_key(e) == key
                      and _strip(e.msgid).casefold() != source]
            if others:
                found.append(Problem("consistency", WARNING, f"same translation as another source: {_others(others)}"))
        return found


def _is_current(entry) -> bool:
    """A remembered translation always counts; a live entry while it is translated and not fuzzy."""
    return isinstance(entry, KnownTranslation) or _trusted(entry)


def consistency_problems(catalogs: Iterable["Catalog"], relative_to: str | os.PathLike | None = None
                         ) -> dict[int, list[tuple["Entry", Problem]]]:
    """Consistency warnings of the catalogs of one locale, by ``id(catalog)``: the same source (and
    msgctxt) translated differently, and different sources given the same translation."""
    catalogs = list(catalogs)
    index = Consistency(relative_to)
    for catalog in catalogs:
        index.add_catalog(catalog)
    problems: dict[int, list[tuple[Entry, Problem]]] = defaultdict(list)
    for catalog in catalogs:
        for entry in catalog.entries:
            for problem in index.problems(entry, catalog.path) if _trusted(entry) else ():
                problems[id(catalog)].append((entry, problem))
    return problems


def known_translations(locale: str, exclude: str | os.PathLike | None = None, memory=None
                       ) -> list[KnownTranslation]:
    """What the translation memory remembers of the user's other catalogs of exactly ``locale``
    (every catalog scan, fill or the TUI seeded; not TMX imports): no catalog is read again."""
    own = memory is None
    if own:
        from transkit.suggest.tm import TranslationMemory  # lazy: numpy/rapidfuzz only when the memory is used

        memory = TranslationMemory()
    paths: dict[str, Path] = {}
    try:
        return [KnownTranslation(paths.get(origin) or paths.setdefault(origin, Path(origin)), line,
                                 msgctxt or None, source, plural, targets)
                for origin, line, msgctxt, source, plural, targets in memory.catalog_segments(locale, exclude)]
    finally:
        if own:
            memory.close()


def catalog_consistency(catalog: "Catalog", known: Iterable["KnownTranslation"] = (),
                        relative_to: str | os.PathLike | None = None, file_names: bool = False) -> Consistency:
    """The consistency index an open catalog is checked against: its own entries and the locale's
    other catalogs as the memory knows them."""
    index = Consistency(relative_to, file_names)
    index.add_catalog(catalog)
    index.add_known(known)
    return index


@lru_cache(maxsize=32)
def glossary_for_locale(locale: str) -> "Glossary | None":
    """The store's glossary of ``locale``, read once per run (``cache_clear`` after it)."""
    return locale_glossary(locale)


def edit_term(locale: str, text: str) -> str:
    """What the TUI's glossary prompt does: ``term = translation`` adds (or changes) a term,
    ``term =`` adds a do-not-translate one, ``-term`` removes it. Returns what was done, for the
    face to show; a line it cannot read is a ConfigError."""
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

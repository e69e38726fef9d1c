"""Translation memory: every translation seen before, in embedded SQLite, searched exactly and fuzzily.

The only module that imports rapidfuzz. Segments are (source, plural source, msgctxt, translated
forms, locale, origin) rows, seeded from catalogs (translated, non-fuzzy entries only) and from PO or
TMX files. Exact lookups go straight to SQLite; fuzzy lookups use an in-memory trigram index of the
locale's distinct sources, built on first use:

* the fuzzy score is ``rapidfuzz.fuzz.ratio`` (normalised Indel similarity, 0–100), so a score of 75
  bounds the candidate's length to [0.6, 1.67] × the query's; sources are numbered in length order,
  which turns that bound into one id range, cut out of each sorted posting list with ``bisect``;
* candidates are ranked by how many of the query's (lower-cased, padded) trigrams they share, using
  the rarest trigrams first up to a budget of postings, and only the best-ranked few hundred are
  scored by rapidfuzz. This is a heuristic: ``benchmarks/tm.py`` measures its agreement with a
  brute-force ``process.extract`` over every source.
"""

from __future__ import annotations

import bisect
import json
import os
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from xml.etree import ElementTree

from rapidfuzz import fuzz, process

from transkit.errors import CatalogError

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog

DEFAULT_THRESHOLD = 75  # as pot2po and Weblate
FILE_NAME = "tm.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY,
    locale TEXT NOT NULL,
    msgctxt TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    source_plural TEXT NOT NULL DEFAULT '',
    targets TEXT NOT NULL,           -- JSON list: [msgstr] or [msgstr[0], msgstr[1], ...]
    origin TEXT NOT NULL,            -- the catalog or file it came from
    UNIQUE (locale, source, msgctxt, source_plural, origin)
);
CREATE INDEX IF NOT EXISTS segments_by_source ON segments (locale, source);
CREATE TABLE IF NOT EXISTS seeded_files (
    origin TEXT PRIMARY KEY,         -- resolved path of a catalog the memory was seeded from
    signature TEXT NOT NULL          -- its size and mtime then: unchanged files are not read again
);
"""


@dataclass(frozen=True)
class TMMatch:
    """One suggestion. ``score`` is 100 for an identical source; ``same_context`` says whether the
    msgctxt matched too (an exact match is both)."""

    source: str
    source_plural: str
    msgctxt: str | None
    targets: tuple[str, ...]
    locale: str
    origin: str
    score: float
    same_context: bool

    @property
    def exact(self) -> bool:
        return self.score >= 100 and self.same_context

    @property
    def target(self) -> str:
        return self.targets[0] if self.targets else ""


def _trigrams(text: str) -> set[str]:
    padded = "  " + text.lower() + " "  # padding gives short strings grams of their own (as pg_trgm)
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class _FuzzyIndex:
    """Distinct sources of one locale, numbered by length, with a trigram -> sorted ids index."""

    def __init__(self, sources: Iterable[str], posting_budget: int = 20000, rescore: int = 600):
        self.sources = sorted(set(sources), key=len)
        self.lengths = array("i", (len(s) for s in self.sources))
        postings: dict[str, array] = {}
        for number, source in enumerate(self.sources):
            for gram in _trigrams(source):
                ids = postings.get(gram)
                if ids is None:
                    ids = postings[gram] = array("i")
                ids.append(number)
        self.postings = postings
        self.posting_budget = posting_budget
        self.rescore = rescore

    def search(self, query: str, threshold: float, limit: int) -> list[tuple[str, float]]:
        length = len(query)
        if not length or not self.sources:
            return []
        # ratio >= t implies t/(200-t) <= len(candidate)/len(query) <= (200-t)/t
        low = bisect.bisect_left(self.lengths, int(length * threshold / (200 - threshold) + 0.999999))
        high = bisect.bisect_right(self.lengths, int(length * (200 - threshold) / threshold))
        slices = []
        for gram in _trigrams(query):
            ids = self.postings.get(gram)
            if ids is None:
                continue
            start, end = bisect.bisect_left(ids, low), bisect.bisect_left(ids, high)
            if end > start:
                slices.append((end - start, ids, start, end))
        slices.sort(key=lambda item: item[0])
        chosen, total = [], 0
        for size, ids, start, end in slices:  # rarest grams first, until the budget is spent
            if chosen and total + size > self.posting_budget:
                break
            chosen.append(ids[start:end])
            total += size
        shared = Counter(chain.from_iterable(chosen))
        if len(shared) > self.rescore:
            candidates = [number for number, _ in shared.most_common(self.rescore)]
        else:
            candidates = list(shared)
        if high - low <= len(candidates):  # a narrow window: score all of it instead
            candidates = range(low, high)
        choices = [self.sources[number] for number in candidates]
        found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
        found.sort(key=lambda item: (-item[1], item[0]))
        return [(text, score) for text, score, _ in found[:limit]]


class TranslationMemory:
    """Open with ``TranslationMemory()`` (``<data dir>/tm.sqlite``) or a path; use as a context manager."""

    def __init__(self, path: str | os.PathLike | None = None):
        if path is None:
            from transkit.config import data_dir

            path = data_dir() / FILE_NAME
        self.path = Path(path)
        try:
            self._conn = sqlite3.connect(self.path, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise CatalogError(f"cannot open the translation memory: {error}", self.path) from None
        self._indexes: dict[str, _FuzzyIndex] = {}

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "TranslationMemory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- filling the memory ---------------------------------------------------------------------
    def add(self, locale: str, source: str, targets: Iterable[str], origin: str, msgctxt: str | None = None,
            source_plural: str = "") -> None:
        self.add_many([(locale, msgctxt or "", source, source_plural, json.dumps(list(targets)), origin)])

    def add_many(self, rows: list[tuple]) -> int:
        """Rows of (locale, msgctxt, source, source_plural, targets_json, origin); last one wins."""
        with self._conn:
            self._conn.executemany(
                "INSERT INTO segments(locale, msgctxt, source, source_plural, targets, origin) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(locale, source, msgctxt, source_plural, origin) "
                "DO UPDATE SET targets = excluded.targets", rows)
        for locale in {row[0] for row in rows}:
            self._indexes.pop(locale, None)
        return len(rows)

    def add_catalog(self, catalog: "Catalog", origin: str | None = None, locale: str | None = None) -> int:
        """Remember every translated, non-fuzzy entry of a catalog (plural forms included)."""
        locale = locale or catalog.language
        if not locale:
            raise CatalogError("the catalog has no Language header; give the locale", catalog.path)
        origin = origin or str(catalog.path or "(catalog)")
        rows = [(locale, entry.msgctxt or "", entry.msgid, entry.msgid_plural,
                 json.dumps(entry.translations, ensure_ascii=False), origin)
                for entry in catalog.entries if entry.is_translated()]
        return self.add_many(rows) if rows else 0

    def seed_file(self, path: str | os.PathLike, locale: str | None = None) -> int | None:
        """Remember a catalog file's translations unless it is unchanged since it was last seeded
        (None then). Its earlier segments are replaced, so edits and removals carry over."""
        from transkit.catalog import load_catalog

        path = Path(path).resolve()
        info = path.stat()
        signature = f"{info.st_size}:{info.st_mtime_ns}"
        origin = str(path)
        row = self._conn.execute("SELECT signature FROM seeded_files WHERE origin = ?", (origin,)).fetchone()
        if row is not None and row[0] == signature:
            return None
        catalog = load_catalog(path)
        with self._conn:
            self._conn.execute("DELETE FROM segments WHERE origin = ?", (origin,))
        added = self.add_catalog(catalog, origin=origin, locale=locale) if (locale or catalog.language) else 0
        with self._conn:
            self._conn.execute("INSERT INTO seeded_files(origin, signature) VALUES (?, ?) "
                               "ON CONFLICT(origin) DO UPDATE SET signature = excluded.signature",
                               (origin, signature))
        self._indexes.clear()
        return added

    def import_po(self, path: str | os.PathLike, locale: str | None = None) -> int:
        from transkit.catalog import load_catalog

        catalog = load_catalog(path)
        return self.add_catalog(catalog, origin=str(Path(path).resolve()), locale=locale)

    def import_tmx(self, path: str | os.PathLike) -> int:
        """Every translation unit of a TMX file: the header's ``srclang`` side is the source, each
        other language a target (``it-IT`` is stored as ``it_IT``)."""
        path = Path(path)
        try:
            root = ElementTree.parse(path).getroot()
        except ElementTree.ParseError as error:
            raise CatalogError(f"not a valid TMX file: {error.msg}", path, error.position[0]) from None
        except OSError as error:
            raise CatalogError(f"cannot read: {error.strerror}", path) from None
        if root.tag != "tmx":
            raise CatalogError("not a TMX file (no <tmx> root element)", path, 1)
        header = root.find("header")
        source_lang = _lang_key(header.get("srclang", "en") if header is not None else "en")
        xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
        origin = str(path.resolve())
        rows = []
        for unit in root.iter("tu"):
            segments: dict[str, str] = {}
            for variant in unit.iter("tuv"):
                lang = variant.get(xml_lang) or variant.get("lang") or ""
                seg = variant.find("seg")
                if lang and seg is not None:
                    segments[_lang_key(lang)] = "".join(seg.itertext())
            source = segments.pop(source_lang, None)
            if not source:
                continue
            for lang, text in segments.items():
                if text:
                    rows.append((_locale_name(lang), "", source, "", json.dumps([text], ensure_ascii=False),
                                 origin))
        return self.add_many(rows) if rows else 0

    # -- looking up -----------------------------------------------------------------------------
    def _rows(self, locale: str, source: str) -> list[tuple]:
        return self._conn.execute(
            "SELECT source, source_plural, msgctxt, targets, origin FROM segments "
            "WHERE locale = ? AND source = ? ORDER BY id", (locale, source)).fetchall()

    def related_locales(self, locale: str) -> list[str]:
        """Locales whose translations serve ``locale``, closest first: itself, the same language and
        territory in another variant (de_DE / de_DE_formal), and the bare language (it / it_IT).
        Other territories (pt_PT for pt_BR, zh_CN for zh_TW) differ too much to suggest."""
        from transkit.catalog.locales import parse_locale

        wanted = parse_locale(locale)
        if wanted is None:
            return [locale]
        related = []
        for (stored,) in self._conn.execute("SELECT DISTINCT locale FROM segments"):
            info = parse_locale(stored)
            if stored == locale or info is None or info.language != wanted.language:
                continue
            if info.territory == wanted.territory:
                related.append((1, stored))
            elif not info.territory or not wanted.territory:
                related.append((2, stored))
        return [locale] + [name for _, name in sorted(related)]

    def exact(self, source: str, locale: str, msgctxt: str | None = None, source_plural: str = "") -> TMMatch | None:
        """The best identical-source, same-msgctxt match (plural source equal too, when given)."""
        for related in self.related_locales(locale):
            for match in self._matches(source, related, msgctxt, source_plural, 100.0):
                if match.exact and match.source_plural == source_plural:
                    return match
        return None

    def _matches(self, source: str, locale: str, msgctxt: str | None, source_plural: str,
                 score: float) -> list[TMMatch]:
        matches = []
        for text, plural, ctxt, targets, origin in self._rows(locale, source):
            matches.append(TMMatch(text, plural, ctxt or None, tuple(json.loads(targets)), locale, origin,
                                   score, (ctxt or "") == (msgctxt or "")))
        return matches

    def suggest(self, source: str, locale: str, msgctxt: str | None = None, source_plural: str = "",
                threshold: float = DEFAULT_THRESHOLD, limit: int = 5) -> list[TMMatch]:
        """Suggestions best first: score, then same msgctxt, then same plural shape, then origin."""
        matches: list[TMMatch] = []
        for related in self.related_locales(locale):
            found = self.fuzzy_sources(source, related, threshold, limit)
            for text, score in found:
                matches.extend(self._matches(text, related, msgctxt, source_plural,
                                             100.0 if text == source else round(score, 1)))
            if source not in {text for text, _ in found}:  # always offer identical sources
                matches.extend(self._matches(source, related, msgctxt, source_plural, 100.0))
        matches.sort(key=lambda m: (-m.score, not m.same_context, m.locale != locale,
                                    m.source_plural != source_plural,
                                    bool(source_plural) != (len(m.targets) > 1), m.origin))
        return matches[:limit]

    def fuzzy_sources(self, source: str, locale: str, threshold: float = DEFAULT_THRESHOLD,
                      limit: int = 5) -> list[tuple[str, float]]:
        """The distinct TM sources most like ``source`` with their scores, best first."""
        index = self._indexes.get(locale)
        if index is None:
            rows = self._conn.execute("SELECT DISTINCT source FROM segments WHERE locale = ?", (locale,))
            index = self._indexes[locale] = _FuzzyIndex(row[0] for row in rows)
        return index.search(source, threshold, limit)

    def stats(self) -> dict:
        rows = self._conn.execute("SELECT locale, count(*), count(DISTINCT source), count(DISTINCT origin) "
                                  "FROM segments GROUP BY locale ORDER BY locale").fetchall()
        return {
            "path": str(self.path),
            "segments": sum(row[1] for row in rows),
            "locales": {row[0]: {"segments": row[1], "sources": row[2], "origins": row[3]} for row in rows},
        }


def _lang_key(lang: str) -> str:
    return lang.replace("_", "-").lower()


def _locale_name(lang_key: str) -> str:
    """``it-it`` → ``it_IT``, ``pt-br`` → ``pt_BR``, ``de`` → ``de``."""
    parts = lang_key.split("-")
    if len(parts) >= 2 and len(parts[1]) == 2:
        return f"{parts[0]}_{parts[1].upper()}" + "".join("_" + p for p in parts[2:])
    return "_".join(parts)

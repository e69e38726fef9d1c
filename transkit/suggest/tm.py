"""Translation memory: every translation seen before, in embedded SQLite or a shared PostgreSQL
database, searched exactly and fuzzily.

Segments are (source, plural source, msgctxt, translated forms, locale, origin) rows, seeded from
catalogs (translated, non-fuzzy entries only) and from PO or TMX files. Exact lookups go straight to
SQLite. Fuzzy lookups (``rapidfuzz.fuzz.ratio``, default threshold 75) use a ``FuzzyIndex`` of the
locale's distinct sources (see ``fuzzy_index.py``): the same top-k as a brute-force rapidfuzz
``process.extract``. ``benchmarks/tm.py`` on a shared 2-CPU machine whose speed varies by up to 30%
between runs minutes apart (2026-12-04; brute force 2.6-3.7 s a query at 10M): at 1M segments on
SQLite mean 0.95 ms per query, median 0.68; at 10M on PostgreSQL mean 4.1-4.5 ms (median 2.4-2.6,
p95 9-12) in four runs that loaded the stored index, 5.1 ms in one that had just built it; on SQLite
4.5-4.7 ms. Top-5 identical to brute force on every query compared. At 10M a query reads 1-3M rows
of its length window, about 70% of its time (the compiled scan's first pass reads 16 bytes a row,
2.4 ns, and lets about 4% through), in consecutive parts on both CPUs from 50,000 rows on; the rest
is rapidfuzz scoring the candidates, mostly for the few long queries with no match at 75 (a
word-shuffled sentence): it must score every source whose character bag allows 75, up to 235,000
at 10M, also shared between the CPUs.
The index is stored in the same SQLite file (or the shared database), each blob in parts of at most
``PART_BYTES``, so a new process loads it (0.3 s at 1M, 5-7 s at 10M) instead of building it (7 s
at 1M, 80-130 s at 10M); its compiled scan loads in the background (about 0.5 s).

Every insert or delete of a locale's segments bumps that locale's generation (SQLite triggers, so
no writer can forget); a stored or cached index is used only for the generation it was built from.

On PostgreSQL (``TRANSKIT_DATABASE_URL``) the same index is stored in the shared database (statement
triggers keep the generations there), so every translator's process loads the index another built,
and the answers are the same exact top-k on both backends. Large imports stream into the table with
``COPY``.

Why the database does not search itself: a score ``ratio ≥ c`` only guarantees
``(1-q)(la+lb) + (2q-1)·LCS - q + 1`` shared q-grams, positive only for ``c > 200(q-1)/(2q-1)``:
above 80 for trigrams, so at the default threshold 75 no trigram filter (``pg_trgm`` included) can
be exact — it missed part of the top 10 on 60 of 150 queries. Bigrams (positive above 66.7) allow an
exact prefix filter with a GIN index (``benchmarks/tm_in_database.py``: 30/30 queries identical to
brute force), but at scores 85–90 a third of a query's bigrams must be probed: 25,000 candidate rows
a query on 190,000 sources, median 472 ms — slower than brute force (265 ms) and 400 times the
in-process index (1.1 ms) in the same run; at 1M, 65,000 rows and 633 ms. A GiST nearest-neighbour
walk (``cube``) over 12 character-group counts, stopped by the bag bound, walked 47,000 rows a query
at 1M (median 4.2 s). Count filtering (``pg_trgm``'s GIN, over a string encoding each tagged bigram
as a token) was not built: the best any q-gram count filter can do at 75 is the exact tagged-bigram
count, and that keeps 10.5% of the rows in a query's length window at 1M segments against 2.2% for
the in-process character-bag bound (100 queries, one window row in 40 sampled), before pg_trgm
loosens it further (its similarity is over sets of padded trigrams divided by their union, so one
threshold, about 0.13 for a 40-character query, would have to serve its whole window). The
in-process scan reads a row's bag bound in nanoseconds; the database pays about a microsecond for
every row it looks at.
The schema is ``store/schema.py``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator
from xml.etree import ElementTree

from transkit.errors import CatalogError, StoreError
from transkit.store.db import open_component, store_url
from transkit.store.schema import SEGMENT_CONFLICT
from transkit.store.sql import POSTGRESQL
from transkit.suggest.fuzzy_index import FORMAT_VERSION, FuzzyIndex, scan_kernel_status
from transkit.config import data_dir
from transkit.catalog import load_catalog
from xml.sax.saxutils import escape, quoteattr
from transkit import __version__
from transkit.catalog.locales import parse_locale

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 75  # as pot2po and Weblate
# Scores, best first: 100 only for an identical source with the same msgctxt (an exact match, the
# one ``review --approve 'score>=100'`` and ``fill --trust-exact`` may trust). The same words in
# another msgctxt ("Post" the noun offered for "Post" the verb) score OTHER_CONTEXT_SCORE: usually
# right, sometimes a different word, so never exact — a candidate to review, as msgmerge treats
# it (it fills such entries fuzzy). A different source scores its rapidfuzz ratio, capped at
# FUZZY_MAX_SCORE: a one-letter change in a long text rounds to 100 otherwise. Every consumer sorts
# by score alone, so the ordering 100 > other context > fuzzy holds in the TUI and in fill.
OTHER_CONTEXT_SCORE = 99.0
FUZZY_MAX_SCORE = 98.9
FILE_NAME = "tm.sqlite"
_COPY_FROM = 500  # rows: a batch this large goes through COPY on PostgreSQL
# A stored index is rows of ``fuzzy_index_parts``: each blob of ``FuzzyIndex.to_blobs`` in parts of at
# most this many bytes. SQLite refuses a row over 1 GB, PostgreSQL a value over 1 GB, and a 10M-segment
# index is 1.07 GB (its text alone 0.4 GB): stored whole, it failed and every process rebuilt it (63 s)
PART_BYTES = 256 * 2**20
_TEXT_BLOBS = ("layout", "lengths", "text")  # what the sources are split out of
_SIGNATURE_BLOBS = ("words", "excess")
_SEGMENT_COLUMNS = ("locale", "msgctxt", "source", "source_plural", "targets", "origin", "line")

_CACHED_INDEXES: dict[tuple[str, str], tuple[int, FuzzyIndex]] = {}  # (TM file, locale), per process
_CACHE_SIZE = 4
# A shared memory: how long a process trusts its index before asking the database whether a teammate
# changed the locale's sources (a round trip per lookup otherwise). Writes through this process
# invalidate at once; identical-source matches never wait (they are read from the table).
SHARED_RECHECK_SECONDS = 2.0
_CHECKED_AT: dict[tuple[str, str], float] = {}  # (database, locale) -> monotonic time of the last check


@dataclass(frozen=True)
class TMMatch:
    """One suggestion. ``score`` is 100 for an identical source in the same msgctxt,
    ``OTHER_CONTEXT_SCORE`` for an identical source in another, else the fuzzy ratio (see above)."""

    source: str
    source_plural: str
    msgctxt: str | None
    targets: tuple[str, ...]
    locale: str
    origin: str
    score: float
    same_context: bool
    priority: int = 1  # of its origin: 0 for WordPress core's catalogs, first when scores tie

    @property
    def exact(self) -> bool:
        return self.score >= 100 and self.same_context

    @property
    def target(self) -> str:
        return self.targets[0] if self.targets else ""


def _is_current(row, generation: int) -> bool:
    """Whether a stored index's row (generation, format, …) is the one to load."""
    return row is not None and tuple(row[:2]) == (generation, FORMAT_VERSION)


def _stored_blobs(conn, locale: str, names: tuple[str, ...]) -> tuple[tuple[int, int], dict[str, bytes]] | None:
    """The stored index's blobs ``names``, joined from their parts, and the (generation, format) every
    part was stored with; None when there are none, or parts of two indexes (a writer replaced it
    between two queries)."""
    rows = conn.execute(f"SELECT name, generation, format, data FROM fuzzy_index_parts WHERE locale = ? "
                        f"AND name IN ({', '.join('?' * len(names))}) ORDER BY name, part", (locale, *names),
                        binary=True).fetchall()
    stored = {(generation, format_) for _, generation, format_, _ in rows}
    if len(stored) != 1:
        return None
    parts: dict[str, list[bytes]] = {}
    for name, _, _, data in rows:
        parts.setdefault(name, []).append(bytes(data))
    if set(parts) != set(names):
        return None
    return stored.pop(), {name: chunks[0] if len(chunks) == 1 else b"".join(chunks) for name, chunks in parts.items()}


def _blob_parts(locale: str, generation: int, blobs: dict[str, bytes | str]) -> Iterator[tuple]:
    """The rows that store ``blobs`` (``FuzzyIndex.to_blobs``), each at most ``PART_BYTES``."""
    for name, blob in blobs.items():
        data = memoryview(blob.encode("utf-8") if isinstance(blob, str) else blob)
        for part, start in enumerate(range(0, max(len(data), 1), PART_BYTES)):
            yield locale, name, part, generation, FORMAT_VERSION, data[start:start + PART_BYTES]


def _index_of(stored: tuple[tuple[int, int], dict[str, bytes]] | None, generation: int,
              sources: list[str] | None = None) -> FuzzyIndex | None:
    """The index of ``_stored_blobs``' answer, if it was stored for ``generation`` in this format
    (``sources``: already split out of its text)."""
    if stored is None or not _is_current(stored[0], generation):
        return None
    blobs = stored[1]
    layout = blobs["layout"].decode("utf-8")
    if sources is None:
        return FuzzyIndex.from_blobs(layout, blobs["lengths"], blobs["text"], blobs["words"], blobs["excess"])
    return FuzzyIndex.from_parts(layout, blobs["lengths"], sources, blobs["words"], blobs["excess"])


class TranslationMemory:
    """Open with ``TranslationMemory()`` (the configured PostgreSQL database, else
    ``<data dir>/tm.sqlite``) or a path or URL; use as a context manager."""

    def __init__(self, path: str | os.PathLike | None = None):
        if path is None:
            path = store_url() or data_dir() / FILE_NAME
        self._conn = open_component("memory", path)
        self.path = self._conn.path  # the file, or the URL with its password masked
        self.warnings: list[str] = []  # what went wrong without stopping the lookups (also logged)
        self.shared = self._conn.dialect == POSTGRESQL

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

    def add_many(self, rows: Iterable[tuple], progress: Callable[[int], None] | None = None) -> int:
        """Rows of (locale, msgctxt, source, source_plural, targets_json, origin[, line]); last one
        wins. ``progress(count)`` hears the running count of a large import."""
        conflict = SEGMENT_CONFLICT[self._conn.dialect]
        upsert = ("INSERT INTO segments(locale, msgctxt, source, source_plural, targets, origin, line) "
                  f"VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT {conflict} DO UPDATE SET targets = excluded.targets, "
                  "line = excluded.line")
        rows = [row if len(row) == 7 else (*row, None) for row in rows]
        self._sources_changed()
        with self._conn.transaction("transkit memory"):
            if self.shared and len(rows) >= _COPY_FROM:
                # COPY into a scratch table, then one upsert (the last of duplicate rows wins)
                self._conn.execute("CREATE TEMP TABLE segment_import (seq BIGSERIAL, locale TEXT, msgctxt TEXT, "
                                   "source TEXT, source_plural TEXT, targets TEXT, origin TEXT, line INTEGER) ON COMMIT DROP")
                self._conn.copy_rows("segment_import", _SEGMENT_COLUMNS, rows, progress)
                self._conn.execute(
                    "INSERT INTO segments(locale, msgctxt, source, source_plural, targets, origin, line) "
                    f"SELECT DISTINCT ON {conflict} locale, msgctxt, source, source_plural, targets, origin, line "
                    f"FROM segment_import ORDER BY {conflict[1:-1]}, seq DESC "
                    f"ON CONFLICT {conflict} DO UPDATE SET targets = excluded.targets, line = excluded.line")
            else:
                self._conn.executemany(upsert, rows)
                if progress:
                    progress(len(rows))
        return len(rows)

    def add_catalog(self, catalog: "Catalog", origin: str | None = None, locale: str | None = None) -> int:
        """Remember every translated, non-fuzzy entry of a catalog (plural forms included)."""
        locale = locale or catalog.language
        if not locale:
            raise CatalogError("the catalog has no Language header; give the locale", catalog.path)
        origin = origin or str(catalog.path or "(catalog)")
        rows = [(locale, entry.msgctxt or "", entry.msgid, entry.msgid_plural,
                 json.dumps(entry.translations, ensure_ascii=False), origin, entry.lineno or None)
                for entry in catalog.entries if entry.is_translated()]
        return self.add_many(rows) if rows else 0

    def seed_file(self, path: str | os.PathLike, locale: str | None = None, load=None,
                  priority: int = 1) -> int | None:
        """Remember a catalog file's translations unless it is unchanged since it was last seeded
        (None then). Its earlier segments are replaced, so edits and removals carry over. ``load``
        reads the file into a Catalog (default: a PO; see ``catalog/compiled.py`` for .mo/.l10n.php);
        ``priority`` ranks its segments among equal scores (0: WordPress core, suggested first)."""

        path = Path(path).resolve()
        info = path.stat()
        signature = f"{info.st_size}:{info.st_mtime_ns}"
        origin = str(path)
        row = self._conn.execute("SELECT signature FROM seeded_files WHERE origin = ?", (origin,)).fetchone()
        if row is not None and row[0] == signature:
            return None
        catalog = (load or load_catalog)(path)
        self._sources_changed()
        with self._conn.transaction("transkit memory"):
            self._conn.execute("DELETE FROM segments WHERE origin = ?", (origin,))
        added = self.add_catalog(catalog, origin=origin, locale=locale) if (locale or catalog.language) else 0
        with self._conn.transaction("transkit memory"):
            self._conn.execute("INSERT INTO seeded_files(origin, signature, priority) VALUES (?, ?, ?) "
                               "ON CONFLICT(origin) DO UPDATE SET signature = excluded.signature, "
                               "priority = excluded.priority", (origin, signature, priority))
        return added

    def import_po(self, path: str | os.PathLike, locale: str | None = None,
                  progress: Callable[[int], None] | None = None, skipped: Counter | None = None) -> int:
        """The translated, non-fuzzy entries of a PO file; ``skipped`` counts the others by why."""
        catalog = load_catalog(path)
        locale = locale or catalog.language
        if not locale:
            raise CatalogError("the catalog has no Language header; give its locale with --locale", catalog.path)
        origin = str(Path(path).resolve())
        rows = []
        for entry in catalog.entries:
            if entry.is_translated():
                rows.append((locale, entry.msgctxt or "", entry.msgid, entry.msgid_plural,
                             json.dumps(entry.translations, ensure_ascii=False), origin))
            elif skipped is not None:
                skipped["obsolete" if entry.obsolete else "fuzzy" if entry.fuzzy else "untranslated"] += 1
        return self.add_many(rows, progress) if rows else 0

    def import_tmx(self, path: str | os.PathLike, progress: Callable[[int], None] | None = None,
                   skipped: Counter | None = None) -> int:
        """Every translation unit of a TMX file: the header's ``srclang`` side is the source, each
        other language a target (``it-IT`` is stored as ``it_IT``). The file is read as a stream
        (a large memory never sits in RAM as a tree) and stored in batches. ``skipped`` counts the
        units that gave no segment, by why."""
        path = Path(path)
        total = 0
        batch: list[tuple] = []
        for row in _tmx_rows(path, Counter() if skipped is None else skipped):
            batch.append(row)
            if len(batch) >= 50_000:
                total += self.add_many(batch)
                batch = []
                if progress:
                    progress(total)
        if batch:
            total += self.add_many(batch)
        if progress:
            progress(total)
        return total

    def export_tmx(self, out, locale: str | None = None, source_lang: str = "en") -> int:
        """Write the memory (one locale, or all) as TMX 1.4 to the binary stream ``out``; returns
        the units written. Plural entries give one unit per form (msgid for the first, msgid_plural
        for the others); msgctxt and the origin travel as ``<prop>``s, so an import here restores
        the singular forms as they were."""


        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write(f'  <header creationtool="transkit" creationtoolversion={quoteattr(__version__)} '
                  f'datatype="PlainText" segtype="sentence" adminlang="en" srclang={quoteattr(source_lang)} '
                  f'o-tmf="transkit"/>\n  <body>\n'.encode("utf-8"))
        sql = "SELECT locale, msgctxt, source, source_plural, targets, origin FROM segments"
        params: tuple = ()
        if locale:
            sql, params = sql + " WHERE locale = ?", (locale,)
        units = 0
        for row_locale, msgctxt, source, plural, targets, origin in self._conn.execute(sql + " ORDER BY id", params):
            forms = json.loads(targets)
            for number, target in enumerate(forms):
                if not target:
                    continue
                text = source if number == 0 or not plural else plural
                props = (f'      <prop type="x-context">{escape(msgctxt)}</prop>\n' if msgctxt else "")
                props += f'      <prop type="x-origin">{escape(origin)}</prop>\n'
                if len(forms) > 1:
                    props += f'      <prop type="x-plural-form">{number}</prop>\n'
                out.write((f"    <tu>\n{props}"
                           f"      <tuv xml:lang={quoteattr(source_lang)}><seg>{_xml_text(text)}</seg></tuv>\n"
                           f"      <tuv xml:lang={quoteattr(row_locale.replace('_', '-'))}><seg>{_xml_text(target)}</seg></tuv>\n"
                           "    </tu>\n").encode("utf-8"))
                units += 1
        out.write(b"  </body>\n</tmx>\n")
        return units

    # -- looking up -----------------------------------------------------------------------------
    def _rows(self, locale: str, source: str) -> list[tuple]:
        return self._conn.execute(
            "SELECT s.source, s.source_plural, s.msgctxt, s.targets, s.origin, COALESCE(f.priority, 1) "
            "FROM segments s LEFT JOIN seeded_files f ON f.origin = s.origin "
            "WHERE s.locale = ? AND s.source = ? ORDER BY COALESCE(f.priority, 1), s.id",
            (locale, source)).fetchall()

    def related_locales(self, locale: str) -> list[str]:
        """Locales whose translations serve ``locale``, closest first: itself, the same language and
        territory in another variant (de_DE / de_DE_formal), and the bare language (it / it_IT).
        Other territories (pt_PT for pt_BR, zh_CN for zh_TW) differ too much to suggest."""

        wanted = parse_locale(locale)
        if wanted is None:
            return [locale]
        related = []
        # one row per locale ever stored (the triggers keep it): not a scan of every segment
        for (stored,) in self._conn.execute("SELECT locale FROM source_generations"):
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
        """The memory's rows for ``source``; ``score`` is its fuzzy ratio, 100 when identical."""
        matches = []
        for text, plural, ctxt, targets, origin, priority in self._rows(locale, source):
            same_context = (ctxt or "") == (msgctxt or "")
            if score < 100:
                row_score = min(score, FUZZY_MAX_SCORE)
            else:
                row_score = 100.0 if same_context else OTHER_CONTEXT_SCORE
            matches.append(TMMatch(text, plural, ctxt or None, tuple(json.loads(targets)), locale, origin,
                                   row_score, same_context, priority))
        return matches

    def suggest(self, source: str, locale: str, msgctxt: str | None = None, source_plural: str = "",
                threshold: float = DEFAULT_THRESHOLD, limit: int = 5) -> list[TMMatch]:
        """Suggestions best first: score, then same msgctxt, then the locale itself, then WordPress
        core's (priority), then same plural shape, then origin."""
        matches: list[TMMatch] = []
        for related in self.related_locales(locale):
            found = self.fuzzy_sources(source, related, threshold, limit)
            for text, score in found:
                matches.extend(self._matches(text, related, msgctxt, source_plural,
                                             100.0 if text == source else round(score, 1)))
            if source not in {text for text, _ in found}:  # always offer identical sources
                matches.extend(self._matches(source, related, msgctxt, source_plural, 100.0))
        matches.sort(key=lambda m: (-m.score, not m.same_context, m.locale != locale, m.priority,
                                    m.source_plural != source_plural,
                                    bool(source_plural) != (len(m.targets) > 1), m.origin))
        return matches[:limit]

    def fuzzy_sources(self, source: str, locale: str, threshold: float = DEFAULT_THRESHOLD,
                      limit: int = 5) -> list[tuple[str, float]]:
        """The distinct TM sources most like ``source`` with their scores, best first."""
        return self.fuzzy_index(locale).search(source, threshold, limit)

    def _sources_changed(self) -> None:
        """This process writes: its next fuzzy lookup asks the database again."""
        if self.shared:
            for key in [k for k in _CHECKED_AT if k[0] == self._conn.label]:
                del _CHECKED_AT[key]

    def fuzzy_index(self, locale: str) -> FuzzyIndex:
        """The locale's index: cached in this process, else stored in the database, else built (and
        stored, so the next process — on any machine sharing the database — only loads it)."""
        key = (self._conn.label if self.shared else str(Path(self.path).resolve()), locale)
        cached = _CACHED_INDEXES.get(key)
        if (cached is not None and self.shared
                and time.monotonic() - _CHECKED_AT.get(key, float("-inf")) < SHARED_RECHECK_SECONDS):
            return cached[1]
        generation = self._generation(locale)
        _CHECKED_AT[key] = time.monotonic()
        if cached is not None and cached[0] == generation:
            return cached[1]
        index = self._stored_index(locale, generation)
        if index is None:
            generation, index = self._build_index(locale)
        _CACHED_INDEXES.pop(key, None)
        _CACHED_INDEXES[key] = (generation, index)
        while len(_CACHED_INDEXES) > _CACHE_SIZE:
            del _CACHED_INDEXES[next(iter(_CACHED_INDEXES))]
        return index

    def _stored_index(self, locale: str, generation: int) -> FuzzyIndex | None:
        """The index stored for ``generation``, if it is there in this version's format."""
        if not _is_current(self._stored_version(locale), generation):
            return None
        if self.shared:
            return self._stored_index_in_two(locale, generation)
        return self._stored_index_in_one(locale, generation)

    def _stored_index_in_one(self, locale: str, generation: int) -> FuzzyIndex | None:
        return _index_of(_stored_blobs(self._conn, locale, _TEXT_BLOBS + _SIGNATURE_BLOBS), generation)

    def _stored_index_in_two(self, locale: str, generation: int) -> FuzzyIndex | None:
        """PostgreSQL sends a large value at about 220 MB/s (its TOAST chunks, then the socket): a
        second connection fetches the signatures while this one fetches the text and this thread
        splits it into the sources (at 10M segments, 4.4 s of fetching and 2.4 s of splitting were
        one after the other). The two must be one index: a writer may replace it in between."""
        try:
            other = self._conn.another()
        except StoreError:  # no second connection (the pool's or the server's limit): one query
            return self._stored_index_in_one(locale, generation)
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="transkit-index-load") as pool:
                signatures = pool.submit(_stored_blobs, other, locale, _SIGNATURE_BLOBS)
                text = _stored_blobs(self._conn, locale, _TEXT_BLOBS)
                sources = FuzzyIndex.sources_of(text[1]["lengths"], text[1]["text"]) if text is not None else []
                words = signatures.result()
        finally:
            other.close()
        if text is None or words is None or text[0] != words[0]:
            return self._stored_index_in_one(locale, generation)  # replaced in between: once more, whole
        return _index_of((text[0], {**text[1], **words[1]}), generation, sources)

    def _generation(self, locale: str) -> int:
        row = self._conn.execute("SELECT generation FROM source_generations WHERE locale = ?", (locale,)).fetchone()
        return row[0] if row else 0

    def _build_index(self, locale: str) -> tuple[int, FuzzyIndex]:
        # the generation and the sources from one snapshot
        self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.shared else "BEGIN")
        try:
            generation = self._generation(locale)
            rows = self._conn.execute("SELECT DISTINCT source FROM segments WHERE locale = ?", (locale,))
            started = time.perf_counter()
            index = FuzzyIndex.build(row[0] for row in rows)
            seconds = time.perf_counter() - started
        finally:
            self._conn.execute("COMMIT")
        try:
            with self._conn.transaction():
                self._conn.execute("DELETE FROM fuzzy_index_parts WHERE locale = ?", (locale,))
                self._conn.executemany(
                    "INSERT INTO fuzzy_index_parts(locale, name, part, generation, format, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)", _blob_parts(locale, generation, index.to_blobs()))
        except StoreError as exc:
            # only a cache, so the lookups go on; but unsaid, every new process pays the build again
            # (a minute at 10M segments) and nobody knows why: a read-only role, a busy or full disk
            warning = (f"the fuzzy index of the {locale} memory ({len(index.sources)} sources, built in "
                       f"{seconds:.1f} s) could not be stored, so each new process builds it again: {exc}")
            self.warnings.append(warning)
            log.warning(warning)
        return generation, index

    def index_state(self, locale: str) -> str:
        """Whether a fresh process loads ``locale``'s fuzzy index or builds it: "stored" (current),
        "out of date" (the sources changed since; the next lookup rebuilds and stores it) or "none"."""
        stored = self._stored_version(locale)
        if stored is None:
            return "none"
        return "stored" if _is_current(stored, self._generation(locale)) else "out of date"

    def _stored_version(self, locale: str):
        """(generation, format) of the index stored for ``locale``, or None."""
        return self._conn.execute("SELECT generation, format FROM fuzzy_index_parts WHERE locale = ? "
                                  "AND name = 'layout' AND part = 0", (locale,)).fetchone()

    def catalog_segments(self, locale: str, exclude: str | os.PathLike | None = None
                         ) -> Iterator[tuple[str, int | None, str, str, str, tuple[str, ...]]]:
        """What the memory knows of the user's catalogs of exactly ``locale`` (files it was seeded
        from, not TMX imports), but ``exclude`` (a catalog's path): (origin, line or None, msgctxt,
        source, source_plural, targets) rows; catalogs no longer on disk are left out."""
        excluded = str(Path(exclude).resolve()) if exclude else ""
        seeded = {row[0] for row in self._conn.execute("SELECT origin FROM seeded_files")}
        present: dict[str, bool] = {excluded: False}
        for origin, line, msgctxt, source, plural, targets in self._conn.execute(
                "SELECT origin, line, msgctxt, source, source_plural, targets FROM segments WHERE locale = ?",
                (locale,)):
            keep = present.get(origin)
            if keep is None:
                keep = present[origin] = origin in seeded and os.path.exists(origin)
            if keep:
                yield origin, line, msgctxt, source, plural, _targets(targets)

    def stats(self) -> dict:
        rows = self._conn.execute("SELECT locale, count(*), count(DISTINCT source), count(DISTINCT origin) "
                                  "FROM segments GROUP BY locale ORDER BY locale").fetchall()
        return {
            "path": str(self.path),
            "fuzzy_scan": scan_kernel_status(),
            "segments": sum(row[1] for row in rows),
            "locales": {row[0]: {"segments": row[1], "sources": row[2], "origins": row[3],
                                 "fuzzy_index": self.index_state(row[0])} for row in rows},
        }


def _targets(stored: str) -> tuple[str, ...]:
    """A segment's translated forms from their JSON; one form without escapes (most rows) is read
    without the JSON parser."""
    if stored.startswith('["') and stored.endswith('"]') and "\\" not in stored and '"' not in stored[2:-2]:
        return (stored[2:-2],)
    return tuple(json.loads(stored))


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx_rows(path: Path, skipped: Counter) -> Iterator[tuple]:
    """Segment rows of a TMX file, read as a stream; a broken file is a CatalogError with its line.
    A unit that gives no row is counted in ``skipped`` by why."""
    origin = str(path.resolve())
    source_lang = "en"
    seen_root = False
    try:
        for event, element in ElementTree.iterparse(path, events=("start", "end")):
            if event == "start":
                if not seen_root:
                    if element.tag != "tmx":
                        raise CatalogError("not a TMX file (no <tmx> root element)", path, 1)
                    seen_root = True
                elif element.tag == "header":
                    source_lang = element.get("srclang", "en")
                continue
            if element.tag != "tu":
                continue
            source_key = _lang_key(source_lang)
            segments: dict[str, str] = {}
            msgctxt = ""
            for prop in element.iter("prop"):
                if prop.get("type") == "x-context":
                    msgctxt = prop.text or ""
            for variant in element.iter("tuv"):
                lang = variant.get(_XML_LANG) or variant.get("lang") or ""
                seg = variant.find("seg")
                if lang and seg is not None:
                    segments[_lang_key(lang)] = "".join(seg.itertext())
            element.clear()  # keep memory flat however long the file is
            source = segments.pop(source_key, None)
            if not source:
                skipped[f"no {source_lang} source (the header's srclang)" if source is None else "empty source"] += 1
                continue
            targets = [(lang, text) for lang, text in segments.items() if text]
            if not targets:
                skipped["no translation" if not segments else "empty translation"] += 1
            for lang, text in targets:
                yield (_locale_name(lang), msgctxt, source, "", json.dumps([text], ensure_ascii=False), origin)
    except ElementTree.ParseError as error:
        raise CatalogError(f"not a valid TMX file: {error.msg}", path, error.position[0]) from None
    except OSError as error:
        raise CatalogError(f"cannot read: {error.strerror}", path) from None


_XML_INVALID = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _xml_text(text: str) -> str:
    """``text`` escaped for an XML element; control characters XML 1.0 cannot hold are dropped."""

    return escape(text.translate(_XML_INVALID))


def _lang_key(lang: str) -> str:
    return lang.replace("_", "-").lower()


def _locale_name(lang_key: str) -> str:
    """``it-it`` → ``it_IT``, ``pt-br`` → ``pt_BR``, ``de`` → ``de``."""
    parts = lang_key.split("-")
    if len(parts) >= 2 and len(parts[1]) == 2:
        return f"{parts[0]}_{parts[1].upper()}" + "".join("_" + p for p in parts[2:])
    return "_".join(parts)

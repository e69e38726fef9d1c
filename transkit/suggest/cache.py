"""The machine-translation cache and the fill journal: no character is billed twice.

Every answer a provider gives is written here, one committed transaction per HTTP batch, before the
fill job touches a catalog. The key holds everything that changes DeepL's answer — provider, source
language, target code, effective formality, glossary, context and the text — so a rerun, a run killed
half-way, or another plugin that shares strings finds the answer here instead of paying again.
Unusable answers (a placeholder lost) are cached too: they were billed, and sending the same text
again would most likely fail the same way.

The journal (``runs``) remembers each fill run, so a run that never finished can be named when the
next one resumes it; the cache is what makes the resume free.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from transkit.errors import ProviderError
from transkit.store.db import open_side_database
from transkit.suggest.mt import TranslationRequest, TranslationResult, deepl_target_code, formality_for

FILE_NAME = "mtcache.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target TEXT NOT NULL,
    formality TEXT,
    glossary_id TEXT,
    context TEXT,
    text TEXT NOT NULL,
    translation TEXT,               -- NULL when the answer was unusable (see problem)
    problem TEXT,
    billed_characters INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    finished_at REAL,
    locale TEXT NOT NULL,
    paths TEXT NOT NULL,            -- JSON list
    status TEXT NOT NULL DEFAULT 'running',  -- running | finished | stopped
    billed_characters INTEGER NOT NULL DEFAULT 0,
    note TEXT
);
"""


@dataclass(frozen=True)
class CachedTranslation:
    text: str
    translation: str | None
    problem: str | None
    billed_characters: int


def _target_and_formality(request: TranslationRequest) -> tuple[str, str | None]:
    try:
        return deepl_target_code(request.target_locale), formality_for(request.target_locale, request.formality)
    except ProviderError:  # a language DeepL lacks: still a valid key for other providers
        return request.target_locale, request.formality


def cache_key(provider: str, request: TranslationRequest) -> str:
    target, formality = _target_and_formality(request)
    fields = [provider, request.source_lang.upper(), target, formality, request.glossary_id,
              request.context, request.text]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()


class MTCache:
    """Open with ``MTCache()`` (``<data dir>/mtcache.sqlite``) or a path. One connection per thread."""

    def __init__(self, path: str | os.PathLike | None = None):
        if path is None:
            from transkit.config import data_dir

            path = data_dir() / FILE_NAME
        self.path = Path(path)
        # FULL: a committed batch survives even a power cut, not only a killed process
        self._conn = open_side_database(self.path, "translation cache", _SCHEMA, synchronous="FULL")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "MTCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- translations ---------------------------------------------------------------------------
    def get(self, provider: str, request: TranslationRequest) -> CachedTranslation | None:
        row = self._conn.execute("SELECT text, translation, problem, billed_characters FROM translations "
                                 "WHERE key = ?", (cache_key(provider, request),)).fetchone()
        return CachedTranslation(*row) if row else None

    def put_results(self, provider: str, results: Iterable[TranslationResult]) -> int:
        """Store a finished batch in one durable transaction. Results never sent (nothing to
        translate, or too long to send) are not cached: they cost nothing to recompute."""
        now = time.time()
        rows = []
        for result in results:
            if not result.sent:
                continue
            request = result.request
            target, formality = _target_and_formality(request)
            rows.append((cache_key(provider, request), provider, request.source_lang.upper(), target,
                         formality, request.glossary_id, request.context, request.text, result.text,
                         result.problem, result.billed_characters, now))
        if rows:
            with self._conn:
                # a duplicate within the batch carries billed 0: never let it overwrite the real count
                self._conn.executemany(
                    "INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET translation = excluded.translation, "
                    "problem = excluded.problem, "
                    "billed_characters = max(billed_characters, excluded.billed_characters)", rows)
        return len(rows)

    def stats(self) -> dict:
        count, billed = self._conn.execute(
            "SELECT count(*), coalesce(sum(billed_characters), 0) FROM translations").fetchone()
        return {"path": str(self.path), "translations": count, "billed_characters": billed}

    # -- journal --------------------------------------------------------------------------------
    def start_run(self, locale: str, paths: list[str]) -> tuple[int, dict | None]:
        """Open a run; also return the last unfinished run over the same locale and paths, if any."""
        paths_json = json.dumps(sorted(paths))
        previous = self._conn.execute(
            "SELECT id, started_at, billed_characters FROM runs WHERE locale = ? AND paths = ? "
            "AND status = 'running' ORDER BY id DESC LIMIT 1", (locale, paths_json)).fetchone()
        with self._conn:
            if previous:
                self._conn.execute("UPDATE runs SET status = 'resumed' WHERE id = ?", (previous[0],))
            run_id = self._conn.execute("INSERT INTO runs(started_at, locale, paths) VALUES (?, ?, ?)",
                                        (time.time(), locale, paths_json)).lastrowid
        unfinished = ({"run": previous[0], "started_at": previous[1], "billed_characters": previous[2]}
                      if previous else None)
        return run_id, unfinished

    def add_billed(self, run_id: int, characters: int) -> None:
        if characters:
            with self._conn:
                self._conn.execute("UPDATE runs SET billed_characters = billed_characters + ? WHERE id = ?",
                                   (characters, run_id))

    def finish_run(self, run_id: int, status: str = "finished", note: str | None = None) -> None:
        with self._conn:
            self._conn.execute("UPDATE runs SET status = ?, finished_at = ?, note = ? WHERE id = ?",
                               (status, time.time(), note, run_id))

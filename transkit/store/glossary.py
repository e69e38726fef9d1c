"""The locale glossaries: terms per locale, in the store (component ``glossary`` of ``schema.py``:
glossary.sqlite in the data folder, or the shared PostgreSQL database).

    with GlossaryStore.open() as store:
        store.add_terms("de_DE", [Term("Post", "Beitrag", "noun")], origin="added")
        glossary = store.glossary("de_DE")        # a checks.glossary.Glossary, None when empty
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Iterable

from transkit.catalog.locales import locale_fallbacks
from transkit.checks.glossary import Glossary, Term
from transkit.store.db import component_exists, open_component, utc_now
from transkit.store.sql import Connection


@dataclass
class TermsWritten:
    added: int = 0
    updated: int = 0  # an existing term (same part of speech) given another translation or comment
    unchanged: int = 0


class GlossaryStore:
    def __init__(self, conn: Connection):
        self.conn = conn

    @classmethod
    def open(cls, target: str | os.PathLike | None = None) -> "GlossaryStore":
        """The glossary store at ``target`` (a file or a PostgreSQL URL); by default the configured
        database, else glossary.sqlite in the data folder."""
        return cls(open_component("glossary", target))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "GlossaryStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------------------
    def terms(self, locale: str) -> list[Term]:
        rows = self.conn.query("SELECT term, translation, part_of_speech, comment FROM glossary_terms "
                               "WHERE locale = ? ORDER BY lower(term), term, part_of_speech", (locale,))
        return [Term(row[0], row[1], row[2], row[3]) for row in rows]

    def glossary(self, locale: str) -> Glossary | None:
        terms = self.terms(locale)
        return Glossary(entries=terms, locale=locale) if terms else None

    def glossary_for(self, locale: str) -> Glossary | None:
        """The glossary that serves ``locale``: its own terms, then those of the locales it falls
        back to (``catalog.locales.locale_fallbacks``: de_DE for de_DE_formal, pt_PT for
        pt_PT_ao90), a closer locale's term winning term by term (same term and part of speech,
        any case). ``Glossary.sources`` says which locales gave how many terms; None without terms."""
        terms: dict[tuple[str, str], Term] = {}
        sources: list[tuple[str, int]] = []
        for fallback in locale_fallbacks(locale):
            given = 0
            for term in self.terms(fallback):
                key = (term.source.casefold(), term.part_of_speech)
                if key not in terms:
                    terms[key] = term
                    given += 1
            if given:
                sources.append((fallback, given))
        if not terms:
            return None
        return Glossary(entries=list(terms.values()), locale=locale, sources=sources)

    def locales(self) -> dict[str, int]:
        rows = self.conn.query("SELECT locale, COUNT(*) FROM glossary_terms GROUP BY locale ORDER BY locale")
        return {row[0]: int(row[1]) for row in rows}

    def content_hash(self, locale: str) -> str:
        """Changes whenever a term of the locale is added, removed or changed."""
        data = [[t.source, t.translation, t.part_of_speech] for t in self.terms(locale)]
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    # -- writing ---------------------------------------------------------------------------------
    def add_terms(self, locale: str, terms: Iterable[Term], origin: str) -> TermsWritten:
        written = TermsWritten()
        now = utc_now()
        with self.conn.transaction("transkit glossary") as conn:
            existing = {(row[0], row[1]): (row[2], row[3]) for row in conn.query(
                "SELECT term, part_of_speech, translation, comment FROM glossary_terms WHERE locale = ?",
                (locale,))}
            for term in terms:
                key = (term.source, term.part_of_speech)
                before = existing.get(key)
                if before == (term.translation, term.comment):
                    written.unchanged += 1
                    continue
                if before is None:
                    written.added += 1
                else:
                    written.updated += 1
                existing[key] = (term.translation, term.comment)
                conn.execute(
                    "INSERT INTO glossary_terms(locale, term, part_of_speech, translation, comment, origin, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (locale, term, part_of_speech) "
                    "DO UPDATE SET translation = excluded.translation, comment = excluded.comment, "
                    "origin = excluded.origin, updated_at = excluded.updated_at",
                    (locale, term.source, term.part_of_speech, term.translation, term.comment, origin, now))
        return written

    def remove(self, locale: str, term: str, part_of_speech: str | None = None) -> int:
        """Remove a term (any spelling case; every part of speech unless one is named)."""
        sql = "DELETE FROM glossary_terms WHERE locale = ? AND lower(term) = lower(?)"
        params: tuple = (locale, term)
        if part_of_speech is not None:
            sql += " AND part_of_speech = ?"
            params += (part_of_speech,)
        with self.conn.transaction("transkit glossary") as conn:
            return max(conn.execute(sql, params).rowcount, 0)

    def clear(self, locale: str) -> int:
        with self.conn.transaction("transkit glossary") as conn:
            return max(conn.execute("DELETE FROM glossary_terms WHERE locale = ?", (locale,)).rowcount, 0)


def locale_glossary(locale: str | None) -> Glossary | None:
    """The glossary that serves ``locale`` (its own terms and those it falls back to, see
    ``GlossaryStore.glossary_for``); None when there are none or there is no locale."""
    if not locale or not component_exists("glossary"):  # no glossary was ever added: none to read
        return None
    with GlossaryStore.open() as store:
        return store.glossary_for(locale)

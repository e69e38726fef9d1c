"""Review state of every entry of every catalog: what it is, who or what put it there, and when.

The PO file stays the truth for translations; this store adds what a PO file cannot say — whether a
machine or the memory wrote a string, whether a person approved it, and what changed upstream since.
``sync_catalog`` reconciles the two: the file wins for the text and the fuzzy flag, the store keeps
provenance and the "reviewed" mark as long as neither the source nor the translation changed.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from transkit.store.db import Database, utc_now
from transkit.store.schema import ENTRY_CONFLICT
from transkit.store.states import (
    CatalogKey,
    EntryState,
    HistoryEvent,
    ReviewState,
    SyncReport,
    _split_key,
    default_who,
    entry_key,
    plan_sync,
    previous_key,
    source_hash,
    translation_hash,
)
from transkit.config import data_dir
from transkit.store.db import store_url
from transkit.store.progress import (Progress, daily_points, engine_of, progress_grouped, progress_of_catalog,
                                     progress_where)
from transkit.catalog.model import count_words

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry


# ---------------------------------------------------------------------------------------------
# the store
# ---------------------------------------------------------------------------------------------

class ReviewStore:
    """Review state, provenance, history and daily progress, in one SQLite file or PostgreSQL.

    Open with ``ReviewStore.open()`` (the user's data folder) or ``ReviewStore.open(workspace=dir)``;
    use as a context manager or call ``close()``. Safe to share between threads of one process and to
    use from several processes at once.
    """

    FILE_NAME = "review.db"

    def __init__(self, db: Database):
        self.db = db
        # "INSERT OR REPLACE", written so both SQLite and PostgreSQL run it
        self._upsert_entry = (
            "INSERT INTO entries(catalog_id, entry_key, source_hash, translation_hash, state, provider, "
            "score, words, who, updated_at, previous_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            f"ON CONFLICT {ENTRY_CONFLICT[db.dialect]} DO UPDATE SET source_hash = excluded.source_hash, "
            "translation_hash = excluded.translation_hash, state = excluded.state, "
            "provider = excluded.provider, score = excluded.score, words = excluded.words, "
            "who = excluded.who, updated_at = excluded.updated_at, previous_key = excluded.previous_key")
        self._catalog_ids: dict[str, int] = {}
        self._default_who: str | None = None

    @classmethod
    def open(cls, path: str | os.PathLike | None = None,
             workspace: str | os.PathLike | None = None) -> "ReviewStore":
        """The store at ``path`` (a file or a PostgreSQL URL); by default the configured database
        (``TRANSKIT_DATABASE_URL`` / ``[store] url``), else review.db in the data folder."""
        if path is None:

            path = store_url() or data_dir(workspace) / cls.FILE_NAME
        return cls(Database(path))

    @property
    def path(self) -> Path | str:
        """The file, or the database URL with its password masked."""
        return self.db.path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "ReviewStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def default_who(self) -> str:
        """Who records when the caller does not say: the configured identity (read once)."""
        if self._default_who is None:
            self._default_who = default_who()
        return self._default_who

    def is_empty(self) -> bool:
        return not self.db.query("SELECT 1 FROM catalogs LIMIT 1")

    # -- catalogs -------------------------------------------------------------------------------
    def _catalog_id(self, key: CatalogKey, create: bool = True) -> int | None:
        cached = self._catalog_ids.get(key.path)
        if cached is not None:
            return cached
        rows = self.db.query("SELECT id FROM catalogs WHERE path = ?", (key.path,))
        if rows:
            self._catalog_ids[key.path] = rows[0]["id"]
            return rows[0]["id"]
        if not create:
            return None
        with self.db.write_transaction() as conn:
            # a plugin folder that was moved: adopt the record whose file is gone
            for row in conn.execute(
                    "SELECT id, path FROM catalogs WHERE project = ? AND domain = ? AND locale = ?",
                    (key.project, key.domain, key.locale)).fetchall():
                if not os.path.exists(row[1]):
                    conn.execute("UPDATE catalogs SET path = ? WHERE id = ?", (key.path, row[0]))
                    self._catalog_ids[key.path] = row[0]
                    return row[0]
            conn.execute("INSERT INTO catalogs(path, project, domain, locale, created_at) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO NOTHING",
                         (key.path, key.project, key.domain, key.locale, utc_now()))
            catalog_id = conn.execute("SELECT id FROM catalogs WHERE path = ?",
                                      (key.path,)).fetchone()[0]
        self._catalog_ids[key.path] = catalog_id
        return catalog_id

    def catalogs(self, project: str | None = None, locale: str | None = None) -> list[CatalogKey]:
        sql, params = _where("SELECT path, project, domain, locale FROM catalogs", project, locale)
        return [CatalogKey(r["path"], r["project"], r["domain"], r["locale"])
                for r in self.db.query(sql + " ORDER BY project, locale, path", params)]

    def set_names(self, key: CatalogKey) -> None:
        """Record the project, domain and locale discovery gives the catalog at ``key.path``.
        (``CatalogKey.for_catalog`` only guesses them from the file name; status knows better.)"""
        catalog_id = self._catalog_id(key)
        with self.db.write_transaction() as conn:
            conn.execute("UPDATE catalogs SET project = ?, domain = ?, locale = ? WHERE id = ?",
                         (key.project, key.domain, key.locale, catalog_id))

    def file_signature(self, key: CatalogKey) -> tuple[int, int, dict] | None:
        """(mtime_ns, size, stats) of the file as last synced, or None."""
        rows = self.db.query("SELECT synced_mtime_ns, synced_size, stats_json FROM catalogs "
                             "WHERE path = ?", (key.path,))
        if not rows or rows[0]["synced_mtime_ns"] is None:
            return None
        row = rows[0]
        return row["synced_mtime_ns"], row["synced_size"], json.loads(row["stats_json"] or "{}")

    def file_signatures(self) -> dict[str, tuple[int, int, dict]]:
        """Every catalog's last-synced signature by path: one query for a whole status run."""
        return {r["path"]: (r["synced_mtime_ns"], r["synced_size"], json.loads(r["stats_json"] or "{}"))
                for r in self.db.query("SELECT path, synced_mtime_ns, synced_size, stats_json "
                                       "FROM catalogs WHERE synced_mtime_ns IS NOT NULL")}

    # -- entries --------------------------------------------------------------------------------
    def _stored_states(self, catalog_id: int) -> dict[str, EntryState]:
        rows = self.db.query("SELECT entry_key, state, provider, score, who, updated_at, source_hash, "
                             "translation_hash FROM entries WHERE catalog_id = ?", (catalog_id,))
        return {r["entry_key"]: _entry_state(r) for r in rows}

    def state_of(self, key: CatalogKey, entry: "Entry | tuple[str | None, str]") -> EntryState | None:
        catalog_id = self._catalog_id(key, create=False)
        if catalog_id is None:
            return None
        rows = self.db.query("SELECT state, provider, score, who, updated_at, source_hash, "
                             "translation_hash FROM entries WHERE catalog_id = ? AND entry_key = ?",
                             (catalog_id, entry_key(entry)))
        return _entry_state(rows[0]) if rows else None

    def states(self, key: CatalogKey) -> dict[tuple[str | None, str], EntryState]:
        """Every stored entry state of one catalog, by (msgctxt, msgid) — what the TUI shows."""
        catalog_id = self._catalog_id(key, create=False)
        if catalog_id is None:
            return {}
        return {_split_key(k): v for k, v in self._stored_states(catalog_id).items()}

    def record(self, key: CatalogKey, entry: "Entry", state: ReviewState | str,
               provider: str | None = None, score: float | None = None, who: str | None = None,
               note: str | None = None) -> None:
        """Record that ``entry`` (as it is now, translation included) is in ``state``.

        Fill calls this after writing a suggestion (``SUGGESTED``, provider "deepl"/"memory", score
        0–100); the TUI after an edit (``TRANSLATED``) or an approval (``REVIEWED``)."""
        self.record_many(key, [entry], state, provider, score, who, note)

    def record_many(self, key: CatalogKey, entries: Iterable["Entry"], state: ReviewState | str,
                    provider: str | None = None, score: float | None = None, who: str | None = None,
                    note: str | None = None) -> int:
        state = ReviewState(state)
        who = who or self.default_who
        catalog_id = self._catalog_id(key)
        now = utc_now()
        count = 0
        keyed = [(entry, entry_key(entry)) for entry in entries]
        with self.db.write_transaction() as conn:
            # one query per 500 entries and two batched writes, not three statements per entry
            # (a fill of 12,000 strings spent most of its own time here)
            previous_rows: dict[str, tuple] = {}
            keys = list(dict.fromkeys(k for _, k in keyed))
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                for row in conn.execute(
                        "SELECT entry_key, state, provider, score FROM entries WHERE catalog_id = ? "
                        f"AND entry_key IN ({', '.join('?' * len(chunk))})", (catalog_id, *chunk)).fetchall():
                    previous_rows[row[0]] = (row[1], row[2], row[3])
            entry_rows, event_rows = [], []
            for entry, k in keyed:
                previous = previous_rows.get(k)
                # approving a suggestion keeps where it came from
                keep_provider = state is ReviewState.REVIEWED and provider is None and previous
                row_provider = previous[1] if keep_provider else provider
                row_score = previous[2] if keep_provider else score
                entry_rows.append((catalog_id, k, source_hash(entry), translation_hash(entry), state.value,
                                   row_provider, row_score, _words(entry), who, now, previous_key(entry)))
                event_rows.append((catalog_id, k, state.value, previous[0] if previous else None, row_provider,
                                   row_score, who, note, now))
                previous_rows[k] = (state.value, row_provider, row_score)  # a key listed twice
                count += 1
            if entry_rows:
                conn.executemany(self._upsert_entry, entry_rows)
                conn.executemany(
                    "INSERT INTO events(catalog_id, entry_key, state, previous_state, provider, score, "
                    "who, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
            self._store_progress_point(conn, catalog_id)
        return count

    def approve(self, key: CatalogKey, entries: Iterable["Entry"], who: str | None = None) -> int:
        """Mark entries REVIEWED. The caller has already made them non-fuzzy in the PO and saved it
        (``transkit.jobs.review.approve`` does both); untranslated entries are skipped."""
        translated = [e for e in entries if e.is_translated()]
        return self.record_many(key, translated, ReviewState.REVIEWED, who=who, note="approved")

    def reject(self, key: CatalogKey, entry: "Entry", who: str | None = None) -> None:
        """A suggestion was turned down (the caller cleared the msgstr in the PO)."""
        self.record(key, entry, ReviewState.REJECTED, who=who, note="suggestion rejected")

    # -- team roles (the rules are jobs/team.py's) ----------------------------------------------
    def roles(self) -> dict[str, str]:
        """person -> "translator" or "reviewer"; empty when the team uses no roles."""
        return {row[0]: row[1] for row in self.db.query("SELECT person, role FROM team_roles ORDER BY person")}

    def set_roles(self, changes: dict[str, str | None], by: str,
                  check: Callable[[dict[str, str]], None] | None = None) -> dict[str, str]:
        """Give each person a role (None: take it away), in one write transaction; ``check`` sees
        the roles as they are inside it (another reviewer may have changed them) and may refuse."""
        with self.db.write_transaction() as conn:
            current = {row[0]: row[1] for row in conn.query("SELECT person, role FROM team_roles")}
            if check is not None:
                check(current)
            now = utc_now()
            for person, role in changes.items():
                if role is None:
                    conn.execute("DELETE FROM team_roles WHERE person = ?", (person,))
                else:
                    conn.execute("INSERT INTO team_roles(person, role, set_by, set_at) VALUES (?, ?, ?, ?) "
                                 "ON CONFLICT(person) DO UPDATE SET role = excluded.role, "
                                 "set_by = excluded.set_by, set_at = excluded.set_at", (person, role, by, now))
        return self.roles()

    # -- reconciliation -------------------------------------------------------------------------
    def sync_catalog(self, catalog: "Catalog", key: CatalogKey | None = None,
                     stats: dict | None = None,
                     signature: tuple[int, int] | None = None) -> SyncReport:
        """Bring the store in line with the PO file (the truth for translations).

        New entries get their state from the file (fuzzy → needs review, translated → translated);
        an entry whose source text changed (``msgmerge`` with a new template) drops back to needs
        review, following ``#| msgid`` to carry its history; a reviewed entry edited outside
        transkit becomes translated again. Entries gone from the file are dropped (events stay).

        ``signature`` is the file's (mtime_ns, size) taken *before* it was read, so a file written
        while we parsed it is not mistaken for unchanged next time; by default it is taken now."""
        key = key or CatalogKey.for_catalog(catalog)
        catalog_id = self._catalog_id(key)
        signature = signature or _file_signature(catalog.path)
        if stats is None:
            stats = catalog.stats().as_dict()
        # read, decide and write under one write lock, so a fill recording a suggestion at the same
        # moment is never overwritten by a decision taken on what the store said a moment before
        with self.db.write_transaction() as conn:
            stored = self._stored_states(catalog_id)
            never_synced = conn.execute("SELECT synced_at FROM catalogs WHERE id = ?",
                                        (catalog_id,)).fetchone()[0] is None
            report = SyncReport(key=key, rebuilt=never_synced and not stored)
            rows, events, renamed, gone = plan_sync(catalog, catalog_id, stored, report)
            conn.executemany("DELETE FROM entries WHERE catalog_id = ? AND entry_key = ?",
                             [(catalog_id, k) for k in gone])
            # a reworded entry keeps its past: its old events now answer to the new key
            conn.executemany("UPDATE events SET entry_key = ? WHERE catalog_id = ? AND entry_key = ?",
                             renamed)
            conn.executemany(self._upsert_entry, rows)
            conn.executemany(
                "INSERT INTO events(catalog_id, entry_key, state, previous_state, provider, score, "
                "who, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", events)
            conn.execute("UPDATE catalogs SET synced_mtime_ns = ?, synced_size = ?, synced_at = ?, "
                         "stats_json = ? WHERE id = ?",
                         (signature[0] if signature else None, signature[1] if signature else None,
                          utc_now(), json.dumps(stats), catalog_id))
            self._store_progress_point(conn, catalog_id)
        return report

    # -- progress and history (progress.py holds the counting) ----------------------------------
    def _store_progress_point(self, conn, catalog_id: int) -> None:
        counts = json.dumps(progress_of_catalog(conn, catalog_id).as_dict())
        conn.execute("INSERT INTO progress_points(catalog_id, day, counts_json) VALUES (?, ?, ?) "
                     "ON CONFLICT (catalog_id, day) DO UPDATE SET counts_json = excluded.counts_json",
                     (catalog_id, date.today().isoformat(), counts))
        # the entries changed: what changed since the last export must be counted again
        conn.execute("UPDATE catalogs SET progress_json = ?, changes_since_json = NULL WHERE id = ?",
                     (counts, catalog_id))

    def catalog_progress(self) -> dict:
        """Current ``Progress`` of every catalog by path, from the totals kept with each catalog
        (one small query, however many entries there are)."""

        result = {}
        missing = []
        for row in self.db.query("SELECT id, path, progress_json FROM catalogs"):
            if row["progress_json"] is None:  # a database written before schema 2
                missing.append((row["id"], row["path"]))
            else:
                result[row["path"]] = Progress.from_dict(json.loads(row["progress_json"]))
        if missing:
            with self.db.write_transaction() as conn:
                for catalog_id, path in missing:
                    self._store_progress_point(conn, catalog_id)
            return self.catalog_progress()
        return result

    def reviewers(self) -> dict[str, dict[str, int]]:
        """Who reviewed what: for every catalog path, each reviewer with the number of its entries
        they approved that are still reviewed now (one query)."""
        result: dict[str, dict[str, int]] = {}
        for row in self.db.query(
                "SELECT c.path, COALESCE(e.who, '') AS who, COUNT(*) AS n FROM entries e "
                "JOIN catalogs c ON c.id = e.catalog_id WHERE e.state = 'reviewed' "
                "GROUP BY c.path, COALESCE(e.who, '') ORDER BY c.path, COUNT(*) DESC, COALESCE(e.who, '')"):
            result.setdefault(row["path"], {})[row["who"] or "(unknown)"] = row["n"]
        return result

    def machine_by_engine(self) -> dict[str, dict[str, int]]:
        """Machine drafts not yet reviewed (state suggested) of every catalog by path, counted per
        engine (``store.progress.engine_of``): what `status` splits its machine column by."""

        result: dict[str, dict[str, int]] = {}
        for row in self.db.query("SELECT c.path AS path, e.provider AS provider, COUNT(*) AS n FROM entries e "
                                 "JOIN catalogs c ON c.id = e.catalog_id WHERE e.state = 'suggested' "
                                 "GROUP BY c.path, e.provider"):
            counts = result.setdefault(row["path"], {})
            engine = engine_of(row["provider"])
            counts[engine] = counts.get(engine, 0) + row["n"]
        return result

    def progress(self, key: CatalogKey | None = None, project: str | None = None,
                 locale: str | None = None):
        """Progress (strings and words per state bucket) of one catalog, or summed over the
        catalogs of a project and/or locale (all catalogs when nothing is given)."""

        return progress_where(self.db, path=key.path if key else None, project=project,
                              locale=locale)

    def progress_by(self, group: str = "catalog", project: str | None = None,
                    locale: str | None = None) -> dict:
        """Progress grouped by "catalog" (path), "project" or "locale"."""

        return progress_grouped(self.db, group, project=project, locale=locale)

    def daily_progress(self, project: str | None = None, locale: str | None = None,
                       key: CatalogKey | None = None) -> list:
        """One ``ProgressPoint(day, progress)`` per day with activity, oldest first — for a trend."""

        return daily_points(self.db, path=key.path if key else None, project=project, locale=locale)

    def history(self, key: CatalogKey | None = None, project: str | None = None,
                locale: str | None = None, entry: "Entry | tuple[str | None, str] | None" = None,
                limit: int | None = 100, include_sync: bool = True) -> list[HistoryEvent]:
        """Events, newest first."""
        sql = ("SELECT e.at, c.path, c.project, c.locale, e.entry_key, e.state, e.previous_state, "
               "e.provider, e.score, e.who, e.note FROM events e JOIN catalogs c ON c.id = e.catalog_id")
        sql, params = _where(sql, project, locale, path=key.path if key else None, prefix="c.")
        if entry is not None:
            sql += " AND e.entry_key = ?"
            params += (entry_key(entry),)
        if not include_sync:
            sql += " AND e.who IS NOT NULL"  # changes found in the file by a sync have no author
        sql += " ORDER BY e.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        result = []
        for r in self.db.query(sql, params):
            msgctxt, msgid = _split_key(r["entry_key"])
            result.append(HistoryEvent(
                r["at"], r["path"], r["project"], r["locale"], msgctxt, msgid,
                ReviewState(r["state"]),
                ReviewState(r["previous_state"]) if r["previous_state"] else None,
                r["provider"], r["score"], r["who"], r["note"]))
        return result



def _where(sql: str, project: str | None, locale: str | None, path: str | None = None,
           prefix: str = "") -> tuple[str, tuple]:
    clauses, params = [], []
    for column, value in (("project", project), ("locale", locale), ("path", path)):
        if value is not None:
            clauses.append(f"{prefix}{column} = ?")
            params.append(value)
    return sql + " WHERE " + (" AND ".join(clauses) if clauses else "1=1"), tuple(params)


def _entry_state(row) -> EntryState:
    return EntryState(ReviewState(row["state"]), row["provider"], row["score"], row["who"],
                      row["updated_at"], row["source_hash"], row["translation_hash"])


def _words(entry: "Entry") -> int:
    return count_words(entry.msgid)


def _file_signature(path) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size

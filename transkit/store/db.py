"""The review database: one SQLite file, opened only here.

WAL journal so the TUI can read while a CLI run writes; a busy timeout so two writers queue instead of
failing; writes go through ``BEGIN IMMEDIATE`` so a reader never has to upgrade its lock mid-way (the
usual cause of "database is locked" under WAL). The schema is versioned: each migration is applied once,
in order, and recorded in ``schema_migrations``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from transkit.errors import StoreError

BUSY_TIMEOUT_MS = 15_000


# (version, statements). Append new migrations; never edit one that has shipped.
MIGRATIONS: list[tuple[int, str]] = [
    (1, """
    CREATE TABLE catalogs (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,          -- resolved absolute path of the PO file
        project TEXT NOT NULL,              -- plugin slug / project name
        domain TEXT NOT NULL,
        locale TEXT NOT NULL,
        created_at TEXT NOT NULL,
        -- signature of the file as last synced, so an unchanged file is not parsed again
        synced_mtime_ns INTEGER,
        synced_size INTEGER,
        synced_at TEXT,
        stats_json TEXT                     -- CatalogStats.as_dict() of the file as last synced
    );
    CREATE INDEX catalogs_project_locale ON catalogs(project, locale);

    CREATE TABLE entries (
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,            -- msgctxt + "\\x04" + msgid, as in MO files
        source_hash TEXT NOT NULL,          -- sha1 of msgctxt, msgid, msgid_plural
        translation_hash TEXT,              -- sha1 of the msgstr forms when the state was set
        state TEXT NOT NULL,
        provider TEXT,
        score REAL,
        words INTEGER NOT NULL DEFAULT 0,   -- words of the msgid
        who TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (catalog_id, entry_key)
    ) WITHOUT ROWID;

    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,
        state TEXT NOT NULL,
        previous_state TEXT,
        provider TEXT,
        score REAL,
        who TEXT,
        note TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX events_catalog ON events(catalog_id, id);

    CREATE TABLE progress_points (
        catalog_id INTEGER NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        day TEXT NOT NULL,                  -- YYYY-MM-DD, local time
        counts_json TEXT NOT NULL,          -- Progress.as_dict()
        PRIMARY KEY (catalog_id, day)
    ) WITHOUT ROWID;
    """),
    (2, """
    -- the catalog's current progress, kept with it so status need not count every entry each run
    ALTER TABLE catalogs ADD COLUMN progress_json TEXT;
    """),
    (3, """
    -- the favour ledger: every export given back. Before schema 3 the export code created this table
    -- itself on first use, so a database may already hold it (same shape): adopt it, keep its rows.
    CREATE TABLE IF NOT EXISTS export_ledger (
        id INTEGER PRIMARY KEY,
        plugin TEXT NOT NULL,
        version TEXT,
        locale TEXT NOT NULL,
        kind TEXT NOT NULL,                 -- "git", "glotpress" or "files"
        commit_sha TEXT,
        branch TEXT,
        patch_path TEXT,
        output TEXT,                        -- folder or file written
        counts_json TEXT NOT NULL,
        fingerprints_json TEXT NOT NULL,    -- before schema 3: exported key -> translation fingerprint
        at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS export_ledger_plugin ON export_ledger(plugin, locale, id);
    ALTER TABLE export_ledger ADD COLUMN catalog_path TEXT;  -- resolved PO path, as catalogs.path
    CREATE INDEX export_ledger_catalog ON export_ledger(catalog_path, id);

    -- what the catalog looked like when it was exported, one row per live entry, so status can say
    -- what changed upstream since (new, reworded, gone) and an export can send only what changed
    CREATE TABLE export_entries (
        export_id INTEGER NOT NULL REFERENCES export_ledger(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,            -- as entries.entry_key
        source_hash TEXT NOT NULL,          -- as entries.source_hash
        translation_hash TEXT,              -- as entries.translation_hash
        exported INTEGER NOT NULL,          -- 1: this translation went out with the export
        PRIMARY KEY (export_id, entry_key)
    ) WITHOUT ROWID;

    -- the key of the entry's "#| msgid" (msgmerge matched it to a reworded string), so the ledger can
    -- count a reworded string once, as changed, rather than as one new and one gone
    ALTER TABLE entries ADD COLUMN previous_key TEXT;
    """),
    (4, """
    -- what changed since the catalog's last export, as last counted (export id + counts), so status
    -- recounts only after the catalog's entries changed; every write to its entries clears it
    ALTER TABLE catalogs ADD COLUMN changes_since_json TEXT;
    """),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def open_side_database(path: str | os.PathLike, purpose: str, schema: str,
                       synchronous: str = "NORMAL") -> sqlite3.Connection:
    """Open one of transkit's other SQLite files (translation memory, MT cache): WAL, a busy
    timeout, its ``CREATE ... IF NOT EXISTS`` schema; a broken file is a StoreError naming it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        conn.executescript(schema)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise StoreError(f"{path}: cannot open the {purpose}: {exc}") from None
    return conn


def connect(path: str | os.PathLike) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode: transactions are explicit (see ``write_transaction``)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{path}: cannot open the review database: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # e.g. a network file system: still usable, just slower
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{path}: not a usable review database ({exc}); delete it and run "
            "`transkit status` to rebuild review state from the PO files") from None
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Apply every migration not yet recorded; return the schema version now in force."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    if applied and max(applied) > SCHEMA_VERSION:
        raise StoreError(f"{path}: written by a newer transkit (schema {max(applied)}, "
                         f"this one knows up to {SCHEMA_VERSION})")
    for version, script in MIGRATIONS:
        if version in applied:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while we waited for the lock
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                conn.execute("COMMIT")
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
                         (version, utc_now()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    statements, current = [], []
    for line in script.splitlines():
        current.append(line.split("--", 1)[0] if "--" in line else line)
        candidate = "\n".join(current).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        statements.append(rest)
    return statements


class Database:
    """A connection plus a lock, so TUI worker threads can share one store object."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.conn = connect(self.path)
        self.lock = threading.RLock()
        self._depth = 0

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (nested uses join the outer transaction)."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.path}: {exc}") from None
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self.conn.execute("ROLLBACK")
                    raise StoreError(f"{self.path}: {exc}") from None
            finally:
                self._depth = 0

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self.lock:
            try:
                cursor = self.conn.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: {exc}") from None

    def close(self) -> None:
        with self.lock:
            self.conn.close()

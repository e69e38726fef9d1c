"""transkit's one schema and its one migration history, for SQLite and PostgreSQL.

Why a migration table of our own and not Alembic: the stores write plain SQL through one small
connection class (``sql.py``), there is no ORM model to diff, and the few places where the dialects
differ (identity columns, a ``md5`` unique index where PostgreSQL's b-tree would refuse a long msgid,
row triggers on SQLite and statement triggers on PostgreSQL) are clearer written out than
generated. Each migration is one numbered step with its SQL for both backends, side by side, so a
new table is added once, for both, in one place.

Four components, each with its own numbered steps: ``review`` (review state, history, the favour
ledger), ``memory`` (the translation memory), ``mtcache`` (the MT cache and the fill journal) and
``glossary`` (the locale glossaries). On SQLite each lives in its own file (review.db, tm.sqlite,
mtcache.sqlite, glossary.sqlite) whose
``schema_migrations`` table records its steps; on PostgreSQL all of them share one database and its
``schema_migrations`` table records (component, version). Steps are applied once, in order, inside
a transaction; append new ones, never edit one that has shipped.

Adding a table (e.g. the glossary): append ``Migration("review", N, "what it adds", sqlite=...,
postgresql=...)`` below — or a new component name with its own file name in ``SQLITE_FILES``.
"""

from __future__ import annotations

import sqlite3  # complete_statement only: where a migration script's statement ends
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Union

from transkit.errors import StoreError
from transkit.store.sql import POSTGRESQL, SQLITE, Connection


def utc_now() -> str:
    """A moment as every store records it (UTC, ISO 8601, whole seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


Step = Union[str, Callable[[Connection], None]]


@dataclass(frozen=True)
class Migration:
    component: str
    version: int
    summary: str
    sqlite: Step
    postgresql: Step

    def step(self, dialect: str) -> Step:
        return self.sqlite if dialect == SQLITE else self.postgresql


# where each component lives when the store is SQLite
SQLITE_FILES = {"review": "review.db", "memory": "tm.sqlite", "mtcache": "mtcache.sqlite",
                "glossary": "glossary.sqlite"}

# ON CONFLICT targets of tables keyed by a msgid: PostgreSQL's b-tree refuses index rows over ~2.7 kB
# (a long msgid), so there the unique index is on md5 of the key
ENTRY_CONFLICT = {SQLITE: "(catalog_id, entry_key)", POSTGRESQL: "(catalog_id, md5(entry_key))"}
SEGMENT_CONFLICT = {SQLITE: "(locale, source, msgctxt, source_plural, origin)",
                    POSTGRESQL: "(locale, md5(source), msgctxt, md5(source_plural), origin)"}


def _add_missing_run_columns(conn: Connection) -> None:
    """mtcache 2 on SQLite: files written before this history may already have the columns."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    for column, kind in (("pid", "INTEGER"), ("host", "TEXT"), ("heartbeat_at", "REAL")):
        if column not in present:
            conn.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")


MIGRATIONS: list[Migration] = [
    # -- review ------------------------------------------------------------------------------------
    Migration("review", 1, "catalogs, entry states, history, daily progress", sqlite="""
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
    """, postgresql="""
    CREATE TABLE catalogs (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        project TEXT NOT NULL,
        domain TEXT NOT NULL,
        locale TEXT NOT NULL,
        created_at TEXT NOT NULL,
        synced_mtime_ns BIGINT,
        synced_size BIGINT,
        synced_at TEXT,
        stats_json TEXT
    );
    CREATE INDEX catalogs_project_locale ON catalogs(project, locale);

    CREATE TABLE entries (
        catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        translation_hash TEXT,
        state TEXT NOT NULL,
        provider TEXT,
        score DOUBLE PRECISION,
        words INTEGER NOT NULL DEFAULT 0,
        who TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX entries_key ON entries (catalog_id, md5(entry_key));
    CREATE INDEX entries_by_key ON entries USING hash (entry_key);
    CREATE INDEX entries_catalog ON entries (catalog_id);

    CREATE TABLE events (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,
        state TEXT NOT NULL,
        previous_state TEXT,
        provider TEXT,
        score DOUBLE PRECISION,
        who TEXT,
        note TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX events_catalog ON events(catalog_id, id);

    CREATE TABLE progress_points (
        catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        counts_json TEXT NOT NULL,
        PRIMARY KEY (catalog_id, day)
    );
    """),
    Migration("review", 2, "each catalog's current progress", sqlite="""
    -- the catalog's current progress, kept with it so status need not count every entry each run
    ALTER TABLE catalogs ADD COLUMN progress_json TEXT;
    """, postgresql="ALTER TABLE catalogs ADD COLUMN progress_json TEXT;"),
    Migration("review", 3, "the favour ledger and its snapshots", sqlite="""
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
    """, postgresql="""
    CREATE TABLE export_ledger (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        plugin TEXT NOT NULL,
        version TEXT,
        locale TEXT NOT NULL,
        kind TEXT NOT NULL,
        commit_sha TEXT,
        branch TEXT,
        patch_path TEXT,
        output TEXT,
        counts_json TEXT NOT NULL,
        fingerprints_json TEXT NOT NULL,
        at TEXT NOT NULL,
        catalog_path TEXT
    );
    CREATE INDEX export_ledger_plugin ON export_ledger(plugin, locale, id);
    CREATE INDEX export_ledger_catalog ON export_ledger(catalog_path, id);
    CREATE TABLE export_entries (
        export_id BIGINT NOT NULL REFERENCES export_ledger(id) ON DELETE CASCADE,
        entry_key TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        translation_hash TEXT,
        exported INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX export_entries_key ON export_entries (export_id, md5(entry_key));
    ALTER TABLE entries ADD COLUMN previous_key TEXT;
    """),
    Migration("review", 4, "counts of the changes since the last export", sqlite="""
    -- what changed since the catalog's last export, as last counted (export id + counts), so status
    -- recounts only after the catalog's entries changed; every write to its entries clears it
    ALTER TABLE catalogs ADD COLUMN changes_since_json TEXT;
    """, postgresql="ALTER TABLE catalogs ADD COLUMN changes_since_json TEXT;"),

    Migration("review", 5, "team roles (translator, reviewer)", sqlite="""
    CREATE TABLE team_roles (
        person TEXT PRIMARY KEY,            -- [identity] name (else the login name)
        role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer')),
        set_by TEXT NOT NULL,
        set_at TEXT NOT NULL
    );
    """, postgresql="""
    CREATE TABLE team_roles (
        person TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('translator', 'reviewer')),
        set_by TEXT NOT NULL,
        set_at TEXT NOT NULL
    );
    """),

    Migration("review", 6, "an export names the files it wrote into its folder", sqlite="""
    -- file name -> sha256 of the bytes written into the output folder: a later export into the same
    -- folder removes what it supersedes, and only files still holding bytes transkit wrote
    ALTER TABLE export_ledger ADD COLUMN files_json TEXT;
    """, postgresql="ALTER TABLE export_ledger ADD COLUMN files_json TEXT;"),
    Migration("review", 7, "the text domain of each export", sqlite="""
    -- a plugin's catalogs of a second domain (acme-blocks-de_DE.po in plugin acme) share its plugin
    -- and locale: an export is the last one of its catalog only for the same domain (NULL: before 7)
    ALTER TABLE export_ledger ADD COLUMN domain TEXT;
    """, postgresql="ALTER TABLE export_ledger ADD COLUMN domain TEXT;"),

    # -- memory ------------------------------------------------------------------------------------
    # SQLite files written before this history have these tables already (IF NOT EXISTS adopts them)
    Migration("memory", 1, "segments, seeded files, stored fuzzy indexes",
              sqlite="""
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
    CREATE TABLE IF NOT EXISTS source_generations (
        locale TEXT PRIMARY KEY,
        generation INTEGER NOT NULL      -- bumped by every insert or delete of the locale's segments
    );
    CREATE TRIGGER IF NOT EXISTS segments_inserted AFTER INSERT ON segments BEGIN
        INSERT INTO source_generations(locale, generation) VALUES (NEW.locale, 1)
        ON CONFLICT(locale) DO UPDATE SET generation = generation + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS segments_deleted AFTER DELETE ON segments BEGIN
        INSERT INTO source_generations(locale, generation) VALUES (OLD.locale, 1)
        ON CONFLICT(locale) DO UPDATE SET generation = generation + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS segments_moved AFTER UPDATE OF locale, source ON segments BEGIN
        INSERT INTO source_generations(locale, generation) VALUES (OLD.locale, 1), (NEW.locale, 1)
        ON CONFLICT(locale) DO UPDATE SET generation = generation + 1;
    END;
    CREATE TABLE IF NOT EXISTS fuzzy_indexes (
        locale TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,     -- the source generation it was built from
        format INTEGER NOT NULL,
        layout TEXT NOT NULL,
        lengths BLOB NOT NULL,
        text BLOB NOT NULL,
        words BLOB NOT NULL,
        excess BLOB NOT NULL
    );
    """, postgresql="""
    CREATE TABLE segments (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        locale TEXT NOT NULL,
        msgctxt TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,
        source_plural TEXT NOT NULL DEFAULT '',
        targets TEXT NOT NULL,
        origin TEXT NOT NULL
    );
    CREATE UNIQUE INDEX segments_unique ON segments (locale, md5(source), msgctxt, md5(source_plural), origin);
    CREATE INDEX segments_by_source ON segments USING hash (source);
    CREATE INDEX segments_origin ON segments (origin);
    CREATE TABLE seeded_files (
        origin TEXT PRIMARY KEY,
        signature TEXT NOT NULL
    );
    CREATE TABLE source_generations (
        locale TEXT PRIMARY KEY,
        generation BIGINT NOT NULL
    );
    -- one bump per statement and locale (a COPY of a million rows is one bump, not a million)
    CREATE FUNCTION transkit_segments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO source_generations(locale, generation) SELECT DISTINCT locale, 1 FROM new_rows
            ON CONFLICT (locale) DO UPDATE SET generation = source_generations.generation + 1;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO source_generations(locale, generation) SELECT DISTINCT locale, 1 FROM old_rows
            ON CONFLICT (locale) DO UPDATE SET generation = source_generations.generation + 1;
        ELSE  -- only a changed locale or source moves the index (an upsert of targets does not)
            INSERT INTO source_generations(locale, generation)
            SELECT DISTINCT changed.locale, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id,
                LATERAL (VALUES (o.locale), (n.locale)) AS changed(locale)
            WHERE o.locale <> n.locale OR o.source <> n.source
            ON CONFLICT (locale) DO UPDATE SET generation = source_generations.generation + 1;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER segments_inserted AFTER INSERT ON segments REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION transkit_segments_changed();
    CREATE TRIGGER segments_deleted AFTER DELETE ON segments REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION transkit_segments_changed();
    CREATE TRIGGER segments_moved AFTER UPDATE ON segments REFERENCING OLD TABLE AS old_rows
        NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION transkit_segments_changed();
    CREATE TABLE fuzzy_indexes (
        locale TEXT PRIMARY KEY,
        generation BIGINT NOT NULL,
        format INTEGER NOT NULL,
        layout TEXT NOT NULL,
        lengths BYTEA NOT NULL,
        text BYTEA NOT NULL,
        words BYTEA NOT NULL,
        excess BYTEA NOT NULL
    );
    -- the index's columns are large and already dense: store them uncompressed
    ALTER TABLE fuzzy_indexes ALTER COLUMN text SET STORAGE EXTERNAL, ALTER COLUMN words SET STORAGE EXTERNAL,
        ALTER COLUMN excess SET STORAGE EXTERNAL, ALTER COLUMN lengths SET STORAGE EXTERNAL;
    """),

    # WordPress core's translations win a tie
    Migration("memory", 2, "a priority for each seeded file",
              sqlite="ALTER TABLE seeded_files ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;",
              postgresql="ALTER TABLE seeded_files ADD COLUMN IF NOT EXISTS priority INTEGER NOT NULL DEFAULT 1;"),
    # consistency warnings name file:line; every seeded file is read once more to fill it in
    Migration("memory", 3, "each segment's line in its catalog",
              sqlite="ALTER TABLE segments ADD COLUMN line INTEGER;\nUPDATE seeded_files SET signature = '';",
              postgresql="ALTER TABLE segments ADD COLUMN IF NOT EXISTS line INTEGER; "
                         "UPDATE seeded_files SET signature = '';"),

    # a 10M-segment index is 1.07 GB, over what SQLite takes in a row (and PostgreSQL in a value): stored
    # whole it failed, and every process rebuilt it; now each blob in parts (tm.PART_BYTES). The old
    # table is only a cache: dropped, the next lookup stores the index again
    Migration("memory", 4, "the stored fuzzy index in parts", sqlite="""
    CREATE TABLE IF NOT EXISTS fuzzy_index_parts (
        locale TEXT NOT NULL,
        name TEXT NOT NULL,              -- layout, lengths, text, words or excess (FuzzyIndex.to_blobs)
        part INTEGER NOT NULL,           -- 0, 1, …: joined in this order
        generation INTEGER NOT NULL,     -- the source generation it was built from
        format INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (locale, name, part)
    );
    DROP TABLE IF EXISTS fuzzy_indexes;
    """, postgresql="""
    CREATE TABLE IF NOT EXISTS fuzzy_index_parts (
        locale TEXT NOT NULL,
        name TEXT NOT NULL,
        part INTEGER NOT NULL,
        generation BIGINT NOT NULL,
        format INTEGER NOT NULL,
        data BYTEA NOT NULL,
        PRIMARY KEY (locale, name, part)
    );
    -- large and already dense: stored uncompressed
    ALTER TABLE fuzzy_index_parts ALTER COLUMN data SET STORAGE EXTERNAL;
    DROP TABLE IF EXISTS fuzzy_indexes;
    """),

    # -- mtcache -----------------------------------------------------------------------------------
    Migration("mtcache", 1, "MT answers, fill runs, claims", sqlite="""
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
        status TEXT NOT NULL DEFAULT 'running',  -- running | finished | stopped | resumed
        billed_characters INTEGER NOT NULL DEFAULT 0,
        note TEXT
    );
    CREATE TABLE IF NOT EXISTS claims (
        key TEXT PRIMARY KEY,           -- cache key a live run is translating right now
        run_id INTEGER NOT NULL,
        claimed_at REAL NOT NULL
    );
    """, postgresql="""
    CREATE TABLE translations (
        key TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        source_lang TEXT NOT NULL,
        target TEXT NOT NULL,
        formality TEXT,
        glossary_id TEXT,
        context TEXT,
        text TEXT NOT NULL,
        translation TEXT,
        problem TEXT,
        billed_characters BIGINT NOT NULL DEFAULT 0,
        created_at DOUBLE PRECISION NOT NULL
    );
    CREATE TABLE runs (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        started_at DOUBLE PRECISION NOT NULL,
        finished_at DOUBLE PRECISION,
        locale TEXT NOT NULL,
        paths TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'running',
        billed_characters BIGINT NOT NULL DEFAULT 0,
        note TEXT
    );
    CREATE TABLE claims (
        key TEXT PRIMARY KEY,
        run_id BIGINT NOT NULL,
        claimed_at DOUBLE PRECISION NOT NULL
    );
    """),
    Migration("mtcache", 2, "fill runs: process, host, heartbeat",
              sqlite=_add_missing_run_columns, postgresql="""
    ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid BIGINT,
        ADD COLUMN IF NOT EXISTS host TEXT,
        ADD COLUMN IF NOT EXISTS heartbeat_at DOUBLE PRECISION;
    """),

    Migration("mtcache", 3, "fill runs: usage per model, the run resumed", sqlite="""
    ALTER TABLE runs ADD COLUMN resumed_from INTEGER;
    CREATE TABLE run_usage (
        run_id INTEGER NOT NULL,
        provider TEXT NOT NULL,         -- deepl, llm:<api>/<model>: what the review store records
        characters INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, provider)
    );
    """, postgresql="""
    ALTER TABLE runs ADD COLUMN IF NOT EXISTS resumed_from BIGINT;
    CREATE TABLE run_usage (
        run_id BIGINT NOT NULL,
        provider TEXT NOT NULL,
        characters BIGINT NOT NULL DEFAULT 0,
        input_tokens BIGINT NOT NULL DEFAULT 0,
        output_tokens BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, provider)
    );
    """),

    # -- glossary ----------------------------------------------------------------------------------
    Migration("glossary", 1, "the locale glossaries", sqlite="""
    -- one row per term of a locale's glossary; an empty translation (or the term itself) means
    -- "keep as it is" (brand names). The same term may have one translation per part of speech.
    CREATE TABLE glossary_terms (
        id INTEGER PRIMARY KEY,
        locale TEXT NOT NULL,
        term TEXT NOT NULL,
        part_of_speech TEXT NOT NULL DEFAULT '',
        translation TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL,               -- "glotpress <file>", "csv <file>", "tbx <file>", "added", "learned"
        updated_at TEXT NOT NULL,
        UNIQUE (locale, term, part_of_speech)
    );
    """, postgresql="""
    CREATE TABLE glossary_terms (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        locale TEXT NOT NULL,
        term TEXT NOT NULL,
        part_of_speech TEXT NOT NULL DEFAULT '',
        translation TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (locale, term, part_of_speech)
    );
    """),
]

COMPONENTS = tuple(dict.fromkeys(m.component for m in MIGRATIONS))


def migrations_of(component: str) -> list[Migration]:
    return [m for m in MIGRATIONS if m.component == component]


def latest_version(component: str) -> int:
    return max(m.version for m in migrations_of(component))


# ---------------------------------------------------------------------------------------------
# the runner
# ---------------------------------------------------------------------------------------------

def _ensure_table(conn: Connection) -> None:
    if conn.dialect == SQLITE:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    elif not conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0]:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, "
                     "version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (component, version))")


def applied_versions(conn: Connection, component: str) -> dict[int, str]:
    """Version -> when it was applied, of ``component``'s steps recorded in this database."""
    if conn.dialect == SQLITE:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchone():
            return {}
        rows = conn.execute("SELECT version, applied_at FROM schema_migrations")
    else:
        if not conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0]:
            return {}
        rows = conn.execute("SELECT version, applied_at FROM schema_migrations WHERE component = ?",
                            (component,))
    return {row[0]: row[1] for row in rows}


def pending(conn: Connection, component: str) -> list[Migration]:
    applied = applied_versions(conn, component)
    newest = latest_version(component)
    if applied and max(applied) > newest:
        raise StoreError(f"{conn.label}: written by a newer transkit ({component} schema {max(applied)}, "
                         f"this one knows up to {newest})")
    return [m for m in migrations_of(component) if m.version not in applied]


def migrate(conn: Connection, component: str) -> list[Migration]:
    """Apply every step of ``component`` not yet recorded, each in its own transaction; return
    those applied. Opening a store calls this, so a plain role that may not create tables works
    as long as the schema is current (its owner ran ``transkit db migrate``)."""
    todo = pending(conn, component)
    if not todo:
        return []
    done = []
    try:
        with conn.transaction("transkit schema"):
            _ensure_table(conn)
    except StoreError as exc:
        raise _privilege_hint(conn, exc) from None
    for migration in todo:
        try:
            with conn.transaction("transkit schema"):
                if migration.version in applied_versions(conn, component):
                    continue  # another process migrated while we waited for the lock
                step = migration.step(conn.dialect)
                if callable(step):
                    step(conn)
                elif conn.dialect == SQLITE:
                    for statement in statements(step):
                        conn.execute(statement)
                else:
                    conn.execute(step)
                if conn.dialect == SQLITE:
                    conn.execute("INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
                                 (migration.version, utc_now()))
                else:
                    conn.execute("INSERT INTO schema_migrations(component, version, applied_at) "
                                 "VALUES (?, ?, ?)", (component, migration.version, utc_now()))
        except StoreError as exc:
            raise _privilege_hint(conn, exc) from None
        done.append(migration)
    return done


def _privilege_hint(conn: Connection, exc: StoreError) -> StoreError:
    if conn.dialect == POSTGRESQL and "permission denied" in str(exc).lower():
        return StoreError(f"{exc} — the schema is not up to date and this role may not change it; "
                          "run `transkit db migrate` as the role that owns the schema")
    return exc


def statements(script: str) -> list[str]:
    """Split a SQLite script into statements (executescript would commit our transaction)."""
    result, current = [], []
    for line in script.splitlines():
        current.append(line.split("--", 1)[0] if "--" in line else line)
        candidate = "\n".join(current).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            result.append(candidate)
            current = []
    rest = "\n".join(current).strip()
    if rest:
        result.append(rest)
    return result

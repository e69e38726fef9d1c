"""The review database (review state, history, the favour ledger): a SQLite file, or PostgreSQL.

On SQLite: WAL journal so the TUI can read while a CLI run writes; a busy timeout so two writers
queue instead of failing; writes go through ``BEGIN IMMEDIATE`` so a reader never has to upgrade
its lock mid-way (the usual cause of "database is locked" under WAL). On PostgreSQL a write
transaction takes the store's advisory lock, so writers queue the same way (see ``sql.py``).
The schema and its migrations are in ``schema.py`` (component ``review``).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from transkit.config import data_dir, load_config
from transkit.errors import ConfigError, StoreError, mask_url
from transkit.store import schema
from transkit.store.schema import utc_now  # noqa: F401  (re-exported: the stores import it from here)
from transkit.store.sql import Connection, Row, connect as open_connection, is_url

# The review component's steps as (version, SQLite script), as earlier releases exposed them.
MIGRATIONS: list[tuple[int, str]] = [(m.version, m.sqlite) for m in schema.migrations_of("review")]
SCHEMA_VERSION = schema.latest_version("review")
_statements = schema.statements


def store_url(explicit: str | None = None) -> str | None:
    """The PostgreSQL URL every store uses, if any: ``TRANSKIT_DATABASE_URL``, else the config's
    ``[store] url``; None means the embedded SQLite files in the data folder."""
    if explicit:
        return _checked_url(explicit, "--url")
    url = os.environ.get("TRANSKIT_DATABASE_URL", "").strip()
    if url:
        return _checked_url(url, "TRANSKIT_DATABASE_URL")
    return load_config().store.url or None


def _checked_url(url: str, where: str) -> str:
    # anything else (a libpq "host=… password=…" string) would name a SQLite file in the current
    # folder, password and all, and the team would each fill a private store in silence
    if not is_url(url):
        raise ConfigError(f"{where} must be a postgresql:// URL, not {mask_url(url)!r}")
    return url


def store_options() -> dict[str, str]:
    """Connection options from the config's ``[store]`` section (TLS files and mode), passed to
    libpq as they are."""
    return dict(load_config().store.options)


def component_exists(component: str) -> bool:
    """Whether ``component``'s store may hold anything: always with a PostgreSQL URL, else when its
    SQLite file is there (opening one that is not would create it, migrations and all, to find it
    empty: a read-only look-up need not)."""
    return bool(store_url()) or (data_dir() / schema.SQLITE_FILES[component]).exists()


def open_component(component: str, target: str | os.PathLike | None = None,
                   synchronous: str = "NORMAL", purpose: str | None = None) -> Connection:
    """A migrated connection to ``component``: the file or URL ``target``; else the configured
    PostgreSQL database; else the component's SQLite file in the data folder."""
    purpose = purpose or {"review": "review database", "memory": "translation memory",
                          "mtcache": "translation cache", "glossary": "glossary"}.get(component, component)
    if target is None:
        url = store_url()
        if url:
            target = url
        else:
            target = data_dir() / schema.SQLITE_FILES[component]
    try:
        conn = open_connection(target, purpose, synchronous,
                               options=store_options() if is_url(target) else None)
    except StoreError as exc:
        raise _rebuild_hint(component, target, exc) from None
    try:
        schema.migrate(conn, component)
    except StoreError as exc:
        conn.close()
        raise _rebuild_hint(component, target, exc) from None
    return conn


def _rebuild_hint(component: str, target, exc: StoreError) -> StoreError:
    if is_url(str(target)) or component != "review" or "newer transkit" in str(exc):
        return exc
    message = str(exc) if "not a usable" in str(exc) else f"{exc}; not a usable review database"
    return StoreError(f"{message}; delete it and run `transkit status` to rebuild review state "
                      "from the PO files")


def connect(path: str | os.PathLike) -> Connection:
    """Open (creating if needed) and migrate the review database at ``path`` (a file or a URL)."""
    return open_component("review", path)


class Database:
    """The review database's connection, shared by the threads of one process."""

    def __init__(self, path: str | os.PathLike):
        self.conn = connect(path)
        self.path = self.conn.path if is_url(str(path)) else Path(path)

    @property
    def dialect(self) -> str:
        return self.conn.dialect

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[Connection]:
        """One writer at a time (nested uses join the outer transaction)."""
        with self.conn.transaction("transkit review") as conn:
            yield conn

    def query(self, sql: str, params: tuple = ()) -> list[Row]:
        return self.conn.query(sql, params)

    def close(self) -> None:
        self.conn.close()


# ---------------------------------------------------------------------------------------------
# `transkit db status` / `transkit db migrate`
# ---------------------------------------------------------------------------------------------

@dataclass
class ComponentStatus:
    """Where one component lives and how far its schema is migrated."""

    component: str
    backend: str                # "sqlite" or "postgresql"
    location: str               # the file, or the URL with its password masked
    applied: list[int] = field(default_factory=list)
    pending: list[schema.Migration] = field(default_factory=list)
    latest: int = 0
    exists: bool = True         # False: a SQLite file not created yet

    def as_dict(self) -> dict:
        return {"component": self.component, "backend": self.backend, "location": self.location,
                "exists": self.exists, "version": max(self.applied, default=0), "latest": self.latest,
                "pending": [{"version": m.version, "summary": m.summary} for m in self.pending]}


def _targets(url: str | None) -> dict[str, str | Path]:
    url = store_url(url)
    if url:
        return {component: url for component in schema.COMPONENTS}
    return {component: data_dir() / schema.SQLITE_FILES[component] for component in schema.COMPONENTS}


def schema_status(url: str | None = None) -> list[ComponentStatus]:
    """Every component's location and migration state, changing nothing (a SQLite file that does
    not exist yet is reported, not created)."""
    result = []
    for component, target in _targets(url).items():
        backend = "postgresql" if is_url(str(target)) else "sqlite"
        latest = schema.latest_version(component)
        if backend == "sqlite" and not Path(target).exists():
            result.append(ComponentStatus(component, backend, str(target), [], schema.migrations_of(component),
                                          latest, exists=False))
            continue
        conn = open_connection(target, component, options=store_options() if backend == "postgresql" else None)
        try:
            applied = sorted(schema.applied_versions(conn, component))
            pending = schema.pending(conn, component)
        finally:
            conn.close()
        result.append(ComponentStatus(component, backend, conn.label, applied, pending, latest))
    return result


def migrate_all(url: str | None = None) -> list[tuple[ComponentStatus, list[schema.Migration]]]:
    """Apply every pending step of every component; what each component is now and what was applied."""
    done = []
    for component, target in _targets(url).items():
        conn = open_connection(target, component, options=store_options() if is_url(str(target)) else None)
        try:
            applied_now = schema.migrate(conn, component)
            status = ComponentStatus(component, conn.dialect, conn.label,
                                     sorted(schema.applied_versions(conn, component)), [],
                                     schema.latest_version(component))
        finally:
            conn.close()
        done.append((status, applied_now))
    return done

"""The favour ledger: every translation given back (plugin, version, locale, commit or patch, counts).

It lives in the review database next to review state, in its own table created here on first use
(``CREATE TABLE IF NOT EXISTS``), so it needs no migration of its own. Each record also keeps a
fingerprint of every exported string (entry key -> hash of its translation), which is what lets a
later export say how much changed since, or send only that.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from transkit.store.db import Database, utc_now
from transkit.store.states import entry_key

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Entry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS export_ledger (
    id INTEGER PRIMARY KEY,
    plugin TEXT NOT NULL,
    version TEXT,
    locale TEXT NOT NULL,
    kind TEXT NOT NULL,             -- "git", "glotpress" or "files"
    commit_sha TEXT,
    branch TEXT,
    patch_path TEXT,
    output TEXT,                    -- folder or file written
    counts_json TEXT NOT NULL,
    fingerprints_json TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS export_ledger_plugin ON export_ledger(plugin, locale, id);
"""


@dataclass
class ExportRecord:
    plugin: str
    locale: str
    kind: str
    version: str | None = None
    commit_sha: str | None = None
    branch: str | None = None
    patch_path: str | None = None
    output: str | None = None
    counts: dict = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    at: str = ""
    id: int | None = None


def fingerprint(entry: "Entry") -> str:
    forms = "\x00".join(entry.translations)
    return hashlib.sha1(f"{entry.msgid_plural}\x00{forms}".encode("utf-8")).hexdigest()[:16]


def fingerprints(entries: Iterable["Entry"]) -> dict[str, str]:
    return {entry_key(e): fingerprint(e) for e in entries}


class Ledger:
    FILE_NAME = "review.db"  # shared with the review store

    def __init__(self, db: Database):
        self.db = db
        with self.db.write_transaction() as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "Ledger":
        if path is None:
            from transkit.config import data_dir

            path = data_dir() / cls.FILE_NAME
        return cls(Database(Path(path)))

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def record(self, record: ExportRecord) -> ExportRecord:
        record.at = record.at or utc_now()
        with self.db.write_transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO export_ledger (plugin, version, locale, kind, commit_sha, branch, patch_path,"
                " output, counts_json, fingerprints_json, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (record.plugin, record.version, record.locale, record.kind, record.commit_sha,
                 record.branch, record.patch_path, record.output, json.dumps(record.counts),
                 json.dumps(record.fingerprints, ensure_ascii=False), record.at))
            record.id = cursor.lastrowid
        return record

    def exports(self, plugin: str | None = None, locale: str | None = None) -> list[ExportRecord]:
        """Recorded exports, oldest first."""
        sql, params = "SELECT * FROM export_ledger WHERE 1=1", []
        if plugin is not None:
            sql += " AND plugin = ?"
            params.append(plugin)
        if locale is not None:
            sql += " AND locale = ?"
            params.append(locale)
        rows = self.db.query(sql + " ORDER BY id", tuple(params))
        return [ExportRecord(
            plugin=r["plugin"], locale=r["locale"], kind=r["kind"], version=r["version"],
            commit_sha=r["commit_sha"], branch=r["branch"], patch_path=r["patch_path"], output=r["output"],
            counts=json.loads(r["counts_json"]), fingerprints=json.loads(r["fingerprints_json"]),
            at=r["at"], id=r["id"]) for r in rows]

    def last_export(self, plugin: str, locale: str, kind: str | None = None) -> ExportRecord | None:
        records = [r for r in self.exports(plugin, locale) if kind is None or r.kind == kind]
        return records[-1] if records else None

    def changed_since(self, record: ExportRecord | None, entries: Iterable["Entry"]) -> list["Entry"]:
        """The entries whose translation is new or different since ``record`` (all when None)."""
        if record is None:
            return list(entries)
        return [e for e in entries if record.fingerprints.get(entry_key(e)) != fingerprint(e)]

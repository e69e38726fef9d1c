"""The favour ledger: every translation given back (plugin, version, locale, commit or patch, counts).

It lives in the review database (tables ``export_ledger`` and ``export_entries``, schema 3 in
``db.py``). With each export it keeps a snapshot of the catalog as it was — every live entry's source
hash and translation hash, and whether that translation went out — using the same hashes as the review
store's ``entries`` table. Comparing the two says, without parsing a PO file, what changed since the
export: strings new upstream, strings reworded (fuzzy now), strings gone, translations not yet sent.

Records written before schema 3 have no snapshot, only ``fingerprints`` (exported key -> hash of its
translation); they still drive an incremental export, but status cannot say what changed since them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from transkit.store.db import Database, utc_now
from transkit.store.states import entry_key, source_hash, translation_hash
from transkit.config import data_dir
from transkit.store.db import store_url

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Entry

KINDS = ("git", "glotpress", "files")


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
    catalog_path: str | None = None  # resolved path of the PO exported (None before schema 3)
    counts: dict = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)  # only records from before schema 3
    # file name -> sha256 of what the export wrote into ``output`` (a folder); empty before review 6
    files: dict[str, str] = field(default_factory=dict)
    domain: str | None = None  # the text domain of the catalog exported (None before review 7)
    at: str = ""
    id: int | None = None

    @property
    def has_snapshot(self) -> bool:
        """Records written since schema 3 name their catalog and keep a snapshot of it."""
        return self.catalog_path is not None and not self.fingerprints

    def as_dict(self) -> dict:
        return {"id": self.id, "plugin": self.plugin, "locale": self.locale, "kind": self.kind,
                "version": self.version, "commit": self.commit_sha, "branch": self.branch,
                "patch": self.patch_path, "output": self.output, "catalog": self.catalog_path,
                "domain": self.domain, "counts": self.counts, "files": sorted(self.files), "at": self.at}


@dataclass(frozen=True)
class SnapshotEntry:
    source_hash: str
    translation_hash: str | None
    exported: bool


@dataclass
class ChangesSince:
    """What changed in a catalog since an export, counted from the review store's entry states.

    ``new``: strings added upstream since, untranslated now. ``fuzzy``: strings needing work because
    of a change since (reworded upstream, so msgmerge made them fuzzy; or exported then, fuzzy now).
    ``obsolete``: strings live at export time and gone now. ``unsent``: translations (non-fuzzy) that
    the export did not carry — what an incremental export would send, before checks."""

    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    unsent: int = 0

    @property
    def upstream(self) -> int:
        """Strings changed by the template since the export."""
        return self.new + self.fuzzy + self.obsolete

    def as_dict(self) -> dict:
        return {"new": self.new, "fuzzy": self.fuzzy, "obsolete": self.obsolete,
                "changed": self.upstream, "unsent": self.unsent}


def fingerprint(entry: "Entry") -> str:
    """The pre-schema-3 translation fingerprint, kept to read old records."""
    forms = "\x00".join(entry.translations)
    return hashlib.sha1(f"{entry.msgid_plural}\x00{forms}".encode("utf-8")).hexdigest()[:16]


def fingerprints(entries: Iterable["Entry"]) -> dict[str, str]:
    return {entry_key(e): fingerprint(e) for e in entries}


def _record_from_row(row) -> ExportRecord:
    return ExportRecord(
        plugin=row["plugin"], locale=row["locale"], kind=row["kind"], version=row["version"],
        commit_sha=row["commit_sha"], branch=row["branch"], patch_path=row["patch_path"],
        output=row["output"], catalog_path=row["catalog_path"], counts=json.loads(row["counts_json"]),
        fingerprints=json.loads(row["fingerprints_json"] or "{}"), files=json.loads(row["files_json"] or "{}"),
        domain=row["domain"], at=row["at"], id=row["id"])


class Ledger:
    """Read and write the favour ledger. Shares the review database (and may share its connection:
    ``Ledger(store.db)``)."""

    FILE_NAME = "review.db"  # the review store's file

    def __init__(self, db: Database, own_db: bool = False):
        self.db = db
        self._own_db = own_db

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "Ledger":
        if path is None:

            path = store_url() or data_dir() / cls.FILE_NAME
        return cls(Database(path), own_db=True)

    def close(self) -> None:
        if self._own_db:
            self.db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------------
    def record(self, record: ExportRecord, live_entries: Iterable["Entry"] = (),
               exported_entries: Iterable["Entry"] = ()) -> ExportRecord:
        """Add ``record`` with its snapshot: every live entry of the catalog, and which of them went
        out (for an incremental export: everything given back so far that is still current)."""
        record.at = record.at or utc_now()
        exported_keys = {entry_key(e) for e in exported_entries}
        rows: dict[str, tuple] = {}
        for entry in live_entries:
            key = entry_key(entry)
            rows.setdefault(key, (key, source_hash(entry), translation_hash(entry), int(key in exported_keys)))
        with self.db.write_transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO export_ledger (plugin, version, locale, kind, commit_sha, branch, patch_path,"
                " output, catalog_path, counts_json, fingerprints_json, files_json, domain, at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (record.plugin, record.version, record.locale, record.kind, record.commit_sha,
                 record.branch, record.patch_path, record.output, record.catalog_path,
                 json.dumps(record.counts), json.dumps(record.fingerprints, ensure_ascii=False),
                 json.dumps(record.files, ensure_ascii=False) if record.files else None, record.domain,
                 record.at))
            record.id = cursor.fetchone()[0]
            conn.executemany("INSERT INTO export_entries (export_id, entry_key, source_hash, "
                             "translation_hash, exported) VALUES (?, ?, ?, ?, ?)",
                             [(record.id, *row) for row in rows.values()])
        return record

    # -- reading ----------------------------------------------------------------------------------
    def exports(self, plugin: str | None = None, locale: str | None = None) -> list[ExportRecord]:
        """Recorded exports, oldest first."""
        sql, params = "SELECT * FROM export_ledger WHERE 1=1", []
        if plugin is not None:
            sql += " AND plugin = ?"
            params.append(plugin)
        if locale is not None:
            sql += " AND locale = ?"
            params.append(locale)
        return [_record_from_row(r) for r in self.db.query(sql + " ORDER BY id", tuple(params))]

    def last_export(self, plugin: str, locale: str, kinds: str | Iterable[str] | None = None,
                    catalog_path: str | None = None, domain: str | None = None) -> ExportRecord | None:
        """The latest export of ``plugin``/``locale`` (of one of ``kinds``); with ``catalog_path``, one
        of that very catalog is preferred (two copies of a plugin are two catalogs). With ``domain``,
        only exports of that text domain (or recorded before the ledger kept it): a plugin's catalog
        of a second domain is not its own catalog's export."""
        wanted = {kinds} if isinstance(kinds, str) else set(kinds or KINDS)
        records = [r for r in self.exports(plugin, locale) if r.kind in wanted
                   and (domain is None or r.domain is None or r.domain == domain)]
        same_file = [r for r in records if catalog_path is not None and r.catalog_path == catalog_path]
        chosen = same_file or [r for r in records if r.catalog_path is None or catalog_path is None] or records
        return chosen[-1] if chosen else None

    def latest_exports(self) -> tuple[dict[str, ExportRecord], dict[tuple[str, str, str | None], ExportRecord]]:
        """The latest export of every catalog path, and of every (plugin, locale, domain) — domain
        None for records from before review 7: one query, for status."""
        by_path: dict[str, ExportRecord] = {}
        by_plugin: dict[tuple[str, str, str | None], ExportRecord] = {}
        for row in self.db.query("SELECT * FROM export_ledger ORDER BY id"):
            record = _record_from_row(row)
            if record.catalog_path:
                by_path[record.catalog_path] = record
            by_plugin[(record.plugin, record.locale, record.domain)] = record
        return by_path, by_plugin

    def snapshot(self, record: ExportRecord) -> dict[str, SnapshotEntry]:
        rows = self.db.query("SELECT entry_key, source_hash, translation_hash, exported FROM export_entries "
                             "WHERE export_id = ?", (record.id,))
        return {r["entry_key"]: SnapshotEntry(r["source_hash"], r["translation_hash"], bool(r["exported"]))
                for r in rows}

    def files_written_in(self, folder: str, plugin: str | None = None, locale: str | None = None,
                         domain: str | None = None) -> dict[str, set[str]]:
        """Every file the recorded exports wrote into ``folder`` (a resolved path): name -> the
        sha256 of each version transkit wrote there. With ``plugin`` and ``locale``: only what the
        exports of that catalog wrote (of its ``domain``, or from before exports kept one)."""
        query = "SELECT files_json FROM export_ledger WHERE output = ? AND files_json IS NOT NULL"
        parameters: tuple = (folder,)
        if plugin is not None:
            query += " AND plugin = ? AND locale = ?"
            parameters += (plugin, locale)
        if domain is not None:
            query += " AND (domain IS NULL OR domain = ?)"
            parameters += (domain,)
        written: dict[str, set[str]] = {}
        for row in self.db.query(query, parameters):
            for name, digest in json.loads(row["files_json"]).items():
                written.setdefault(name, set()).add(digest)
        return written

    def sent_keys(self, record: ExportRecord | None) -> set[str]:
        """Entry keys whose translation ``record`` carried."""
        if record is None:
            return set()
        if record.fingerprints:
            return set(record.fingerprints)
        return {key for key, then in self.snapshot(record).items() if then.exported}

    def changed_since(self, record: ExportRecord | None, entries: Iterable["Entry"]) -> list["Entry"]:
        """The entries whose translation the export ``record`` did not carry as it is now — new
        strings, reworded ones, new or edited translations (all of them when ``record`` is None)."""
        if record is None:
            return list(entries)
        if record.fingerprints:  # a record from before schema 3
            return [e for e in entries if record.fingerprints.get(entry_key(e)) != fingerprint(e)]
        snapshot = self.snapshot(record)
        changed = []
        for entry in entries:
            then = snapshot.get(entry_key(entry))
            if (then is None or not then.exported or then.source_hash != source_hash(entry)
                    or then.translation_hash != translation_hash(entry)):
                changed.append(entry)
        return changed

    def changes_since(self, record: ExportRecord, catalog_path: str) -> ChangesSince | None:
        """What changed in the catalog at ``catalog_path`` since ``record``, from the review store's
        entry states (so the PO file is not parsed); None when the record has no snapshot or the
        store does not know the catalog."""
        return self.changes_since_many({catalog_path: record})[catalog_path]

    def changes_since_many(self, records: dict[str, ExportRecord]) -> dict[str, ChangesSince | None]:
        """``changes_since`` for many catalogs (path -> its last export). Counts kept with a catalog
        are reused until its entries change (the review store clears them then), so a status run
        recounts only the catalogs that moved."""
        result: dict[str, ChangesSince | None] = {path: None for path in records}
        wanted = {path: record for path, record in records.items() if record.has_snapshot}
        if not wanted:
            return result
        stale: dict[int, tuple[str, ExportRecord]] = {}
        for row in self.db.query("SELECT id, path, changes_since_json FROM catalogs"):
            record = wanted.get(row["path"])
            if record is None:
                continue
            cached = json.loads(row["changes_since_json"] or "null")
            if cached is not None and cached.pop("export_id", None) == record.id:
                result[row["path"]] = ChangesSince(**cached)
            else:
                stale[row["id"]] = (row["path"], record)
        if stale:
            # counted and kept under the write lock, so a fill writing entries meanwhile (which clears
            # the kept counts) cannot leave counts taken before its change
            with self.db.write_transaction() as conn:
                for catalog_id, (path, record) in stale.items():
                    changes = self._count_changes(record, catalog_id)
                    conn.execute("UPDATE catalogs SET changes_since_json = ? WHERE id = ?",
                                 (json.dumps({"export_id": record.id, **dataclasses.asdict(changes)}),
                                  catalog_id))
                    result[path] = changes
        return result

    def _count_changes(self, record: ExportRecord, catalog_id: int) -> ChangesSince:
        now = self.db.query("SELECT entry_key, source_hash, translation_hash, state, previous_key "
                            "FROM entries WHERE catalog_id = ?", (catalog_id,))
        snapshot = self.snapshot(record)
        live = {row["entry_key"] for row in now}
        changes = ChangesSince()
        for row in now:
            then = snapshot.pop(row["entry_key"], None)
            if then is None and row["previous_key"] is not None and row["previous_key"] not in live:
                # reworded upstream: msgmerge matched it to a string the export had (``#| msgid``)
                then = snapshot.pop(row["previous_key"], None)
            state = row["state"]
            if state in ("untranslated", "rejected"):
                changes.new += then is None
            elif state in ("fuzzy", "suggested"):
                changes.fuzzy += (then is None or then.exported
                                  or then.source_hash != row["source_hash"])
            elif (then is None or not then.exported or then.source_hash != row["source_hash"]
                  or then.translation_hash != row["translation_hash"]):
                changes.unsent += 1
        changes.obsolete = len(snapshot)  # live at export time, gone from the catalog now
        return changes

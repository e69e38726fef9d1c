"""Use case: the status of every catalog under a folder — PO counts, review progress, and the favour
ledger (the last export of each catalog and what changed since).

The first run parses every PO file and (re)builds the review store from it; later runs parse only the
files whose size or mtime changed, so a folder of many plugins answers in well under a second. What
changed since an export is counted from the store's entry states, never by parsing the file again.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from transkit.catalog.discover import LeftOut
from transkit.errors import CatalogError
from transkit.jobs.catalogs import CatalogRef, find_catalogs
from transkit.jobs.progress import ProgressReporter, ProgressSink
from transkit.store import Progress, ReviewStore
from transkit.store.progress import machine_split
from transkit.store.ledger import ChangesSince, ExportRecord, Ledger
from transkit.catalog import load_catalog

# called as on_progress(done, total, path) while catalogs are examined
ProgressCallback = Callable[[int, int, Path], None]


@dataclass
class CatalogStatus:
    ref: CatalogRef
    stats: dict = field(default_factory=dict)   # CatalogStats.as_dict() of the PO file
    review: Progress = field(default_factory=Progress)
    machine_by_engine: dict = field(default_factory=dict)  # review.machine split: memory / deepl / llm
    error: str | None = None
    parsed: bool = False                        # False: served from the cache, file unchanged
    rebuilt: bool = False                       # review state built from the PO just now
    source_changed: int = 0                     # entries sent back to review by this run
    last_export: ExportRecord | None = None     # the latest time this catalog was given back
    changes_since: ChangesSince | None = None   # since that export (None: no export, or no snapshot)
    reviewed_by: dict[str, int] = field(default_factory=dict)  # reviewer -> entries they approved

    @property
    def machine_split(self) -> tuple[int, int, int]:
        """``(memory, deepl, llm)``: the machine column as `status` and the TUI dashboard split it."""
        return machine_split(self.machine_by_engine)

    def as_dict(self) -> dict:
        return {"path": str(self.ref.path), "project": self.ref.project, "domain": self.ref.domain,
                "locale": self.ref.locale, "locale_source": self.ref.locale_source,
                "project_kind": self.ref.project_kind, "project_name": self.ref.project_name,
                "origin": self.ref.origin,
                "problems": [problem.as_dict() for problem in self.ref.problems], "stats": self.stats, "review": self.review.as_dict(),
                "machine_by_engine": self.machine_by_engine,
                "error": self.error, "rebuilt": self.rebuilt, "source_changed": self.source_changed,
                "last_export": self.last_export.as_dict() if self.last_export else None,
                "changes_since_export": self.changes_since.as_dict() if self.changes_since else None,
                "reviewed_by": self.reviewed_by}


@dataclass
class FolderStatus:
    root: Path  # the first of ``roots``
    store_path: Path
    catalogs: list[CatalogStatus] = field(default_factory=list)
    store_was_empty: bool = False
    parsed: int = 0
    cached: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    roots: list[Path] = field(default_factory=list)  # every folder or file asked about
    left_out: list[LeftOut] = field(default_factory=list)  # catalog files no locale is known for, bundled folders

    @property
    def rebuilt(self) -> list[CatalogStatus]:
        return [c for c in self.catalogs if c.rebuilt]

    @property
    def errors(self) -> list[CatalogStatus]:
        return [c for c in self.catalogs if c.error]

    @property
    def given_back(self) -> list[CatalogStatus]:
        return [c for c in self.catalogs if c.last_export is not None]

    def as_dict(self) -> dict:
        return {"root": str(self.root), "roots": [str(root) for root in self.roots or [self.root]],
                "store": str(self.store_path),
                "store_was_empty": self.store_was_empty, "rebuilt": len(self.rebuilt),
                "parsed": self.parsed, "cached": self.cached, "seconds": round(self.seconds, 3),
                "catalogs": [c.as_dict() for c in self.catalogs],
                "left_out": [item.as_dict() for item in self.left_out]}


def folder_status(paths: str | os.PathLike | Iterable[str | os.PathLike], store: ReviewStore | None = None,
                  on_progress: ProgressCallback | None = None,
                  cancel: threading.Event | None = None, *,
                  progress: ProgressSink | None = None) -> FolderStatus:
    """Counts and review progress of every PO catalog under ``paths`` (one or several), syncing the store with files
    that changed since the last run (or that it has never seen). ``progress`` hears the search,
    then one tick per catalog examined (``on_progress`` is the older per-catalog callback)."""
    started = time.perf_counter()
    own_store = store is None
    store = store or ReviewStore.open()
    try:
        roots = [Path(paths)] if isinstance(paths, (str, os.PathLike)) else [Path(p) for p in paths]
        found = find_catalogs(roots, progress=progress)
        refs = found.refs
        steps = ProgressReporter(progress, "catalogs", total=len(refs), cancel=cancel)
        result = FolderStatus(roots[0] if roots else Path("."), store.path, store_was_empty=store.is_empty(),
                              roots=roots, left_out=found.left_out)
        signatures = store.file_signatures()
        names = {key.path: key for key in store.catalogs()}
        for done, ref in enumerate(refs, 1):
            if cancel is not None and cancel.is_set():
                result.cancelled = True
                break
            known = names.get(ref.key.path)
            if known is not None and known != ref.key:  # first recorded by fill or the TUI, which guess
                store.set_names(ref.key)
            result.catalogs.append(_catalog_status(store, ref, signatures))
            if result.catalogs[-1].parsed:
                result.parsed += 1
            elif not result.catalogs[-1].error:
                result.cached += 1
            if on_progress is not None:
                on_progress(done, len(refs), ref.path)
            steps.advance(message=str(ref.path))
        steps.finish()
        review = store.catalog_progress()
        reviewers = store.reviewers()
        engines = store.machine_by_engine()
        for status in result.catalogs:
            status.review = review.get(status.ref.key.path, Progress())
            status.reviewed_by = reviewers.get(status.ref.key.path, {})
            status.machine_by_engine = engines.get(status.ref.key.path, {})
        _add_exports(Ledger(store.db), result.catalogs)
        result.seconds = time.perf_counter() - started
        return result
    finally:
        if own_store:
            store.close()


def _add_exports(ledger: Ledger, catalogs: list[CatalogStatus]) -> None:
    """The latest export of each catalog and what changed since (one query for the ledger; counts
    are kept with each catalog and recounted only for those whose entries changed)."""
    by_path, by_plugin = ledger.latest_exports()
    if not by_plugin:
        return
    for status in catalogs:
        path = status.ref.key.path
        record = by_path.get(path)
        if record is None:
            # a record naming no file, or a file that is gone (the plugin folder moved): match by name
            # (of the same text domain: a plugin's second-domain catalog is not its own catalog)
            record = (by_plugin.get((status.ref.project, status.ref.locale, status.ref.domain))
                      or by_plugin.get((status.ref.project, status.ref.locale, None)))
            if record is not None and record.catalog_path and os.path.exists(record.catalog_path):
                record = None  # another copy of the plugin, given back from there
        status.last_export = record
    changes = ledger.changes_since_many({c.ref.key.path: c.last_export for c in catalogs if c.last_export})
    for status in catalogs:
        status.changes_since = changes.get(status.ref.key.path)


def _catalog_status(store: ReviewStore, ref: CatalogRef, signatures: dict) -> CatalogStatus:
    key = ref.key
    status = CatalogStatus(ref)
    try:
        st = os.stat(ref.path)
    except OSError as exc:
        status.error = f"{ref.path}: {exc.strerror}"
        return status
    signature = (st.st_mtime_ns, st.st_size)
    known = signatures.get(key.path)
    if known is not None and (known[0], known[1]) == signature:
        status.stats = known[2]
        return status
    try:
        catalog = load_catalog(ref.path)
    except CatalogError as err:
        status.error = str(err)
        return status
    status.stats = catalog.stats().as_dict()
    report = store.sync_catalog(catalog, key, stats=status.stats, signature=signature)
    status.parsed = True
    status.rebuilt = report.rebuilt
    status.source_changed = len(report.source_changed)
    return status

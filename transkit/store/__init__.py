"""Review state, provenance, history and progress, kept in an embedded SQLite database.

This package is the only place that opens the review database (see ``db.py``).
"""

from transkit.errors import StoreError
from transkit.store.db import SCHEMA_VERSION
from transkit.store.progress import Progress, ProgressPoint
from transkit.store.review import ReviewStore
from transkit.store.states import (
    CatalogKey,
    EntryState,
    HistoryEvent,
    ReviewState,
    SyncReport,
    entry_key,
    reconcile,
    source_hash,
)

__all__ = [
    "SCHEMA_VERSION", "CatalogKey", "EntryState", "HistoryEvent", "Progress", "ProgressPoint",
    "ReviewState", "ReviewStore", "StoreError", "SyncReport", "entry_key", "reconcile", "source_hash",
]

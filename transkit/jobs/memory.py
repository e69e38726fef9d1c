"""Use case: keep the translation memory seeded from every catalog transkit has scanned.

Scan, fill and the TUI call ``seed_memory`` with the catalogs they found; files unchanged since the
last seeding are skipped by signature, so calling it on every scan costs a stat per file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from transkit.errors import CatalogError


@dataclass
class SeedReport:
    files_read: int = 0
    files_unchanged: int = 0
    segments_added: int = 0
    unreadable: list[str] = field(default_factory=list)  # "file:line: why" for catalogs skipped


def seed_memory(po_paths: Iterable[str | os.PathLike], memory=None) -> SeedReport:
    """Add the translated, non-fuzzy entries of each PO file to the translation memory."""
    from transkit.suggest.tm import TranslationMemory

    report = SeedReport()
    own = memory is None
    memory = TranslationMemory() if own else memory
    try:
        for path in po_paths:
            try:
                added = memory.seed_file(Path(path))
            except (CatalogError, OSError) as err:
                report.unreadable.append(str(err))
                continue
            if added is None:
                report.files_unchanged += 1
            else:
                report.files_read += 1
                report.segments_added += added
    finally:
        if own:
            memory.close()
    return report


def po_files_of(projects) -> list[Path]:
    return [f.path for project in projects for f in project.files if f.kind == "po"]

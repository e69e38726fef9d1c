"""Use case: keep the translation memory seeded from every catalog the user has.

Seeding is a step of its own: scan, fill and the TUI call ``seed_memory`` (or ``seed_from`` for
folders) after finding catalogs; finding never seeds. The memory learns from each project's PO,
else its .mo, else its .l10n.php (language packs WordPress installed without their PO), filed
under the locale ``catalog_locale`` answered, WordPress core's first. Files unchanged since the last
seeding are skipped by signature, so calling it on every scan costs a stat per file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from transkit.catalog.compiled import load_l10n_php_as_catalog, load_mo_as_catalog
from transkit.catalog.locales import catalog_stem
from transkit.errors import CatalogError
from transkit.jobs.catalogs import memory_sources, projects_for
from transkit.jobs.progress import CancelToken, ProgressReporter, ProgressSink

SEEDING_STAGE = "seeding memory"  # the label both faces show while the memory learns the catalogs


@dataclass(frozen=True)
class SeedFailure:
    """A catalog the memory could not learn from: which file, where in it, and why."""

    path: Path
    line: int | None
    reason: str

    def __str__(self) -> str:
        return f"{self.path}{'' if self.line is None else f':{self.line}'}: {self.reason}"

    def as_dict(self) -> dict:
        return {"path": str(self.path), "line": self.line, "reason": self.reason}


@dataclass
class SeedReport:
    files_read: int = 0
    files_unchanged: int = 0
    segments_added: int = 0
    failures: list[SeedFailure] = field(default_factory=list)  # catalogs skipped, with file, line, why

    @property
    def unreadable(self) -> list[str]:
        """"file:line: why" of each catalog skipped."""
        return [str(failure) for failure in self.failures]

    def as_dict(self) -> dict:
        return {"files_read": self.files_read, "files_unchanged": self.files_unchanged,
                "segments_added": self.segments_added, "unreadable": self.unreadable,
                "failures": [failure.as_dict() for failure in self.failures]}


def seed_memory(sources: Iterable, memory=None, *, progress: ProgressSink | None = None,
                cancel: CancelToken | None = None) -> SeedReport:
    """Add the translated, non-fuzzy entries of each catalog to the translation memory. ``sources``
    are ``CatalogRef``s (their locale is used) or paths of PO files (their own locale answer).
    ``progress`` hears one tick per catalog; ``cancel`` stops between two catalogs (those seeded
    are kept)."""
    from transkit.suggest.tm import TranslationMemory  # lazy: numpy/rapidfuzz only when the memory is used

    sources = list(sources)
    report = SeedReport()
    steps = ProgressReporter(progress, SEEDING_STAGE, total=len(sources), cancel=cancel)
    own = memory is None
    memory = TranslationMemory() if own else memory
    try:
        for source in sources:
            if steps.cancelled:
                break
            path = _seed_one(memory, source, report)
            steps.advance(message=str(path))
    finally:
        if own:
            memory.close()
    steps.finish()
    return report


def _seed_one(memory, source, report: SeedReport) -> Path:
    """Seed one catalog (a ``CatalogRef`` or a path) into ``report``; returns its path."""
    if isinstance(source, (str, os.PathLike)):
        path, locale, priority = Path(source), None, 1
    else:
        path, locale = source.path, source.locale or None
        priority = 0 if source.project_kind == "wordpress-core" else 1
    try:
        added = memory.seed_file(path, locale=locale, load=_loader(path), priority=priority)
    except CatalogError as err:
        report.failures.append(SeedFailure(Path(err.path) if err.path else path, err.line, err.message))
        return path
    except OSError as err:
        report.failures.append(SeedFailure(path, None, err.strerror or str(err)))
        return path
    if added is None:
        report.files_unchanged += 1
    else:
        report.files_read += 1
        report.segments_added += added
    return path


def seed_from(paths: Iterable[str | os.PathLike], memory=None, *, progress: ProgressSink | None = None,
              cancel: CancelToken | None = None) -> SeedReport:
    """Seed the memory from every catalog under the folders in ``paths`` (files are skipped: a
    catalog named on the command line is the one being filled)."""
    folders = [path for path in map(Path, paths) if path.is_dir()]
    if not folders:
        return SeedReport()
    return seed_memory(memory_sources(projects_for(folders)), memory, progress=progress, cancel=cancel)


def _loader(path: Path):
    """How to read a catalog for the memory: PO as it is; .mo and .l10n.php as a catalog of their
    messages (what WordPress would show)."""
    kind = catalog_stem(path.name)[1]
    if kind in ("mo", "gmo"):
        return load_mo_as_catalog
    if kind == "l10n.php":
        return load_l10n_php_as_catalog
    return None


def po_files_of(projects) -> list[Path]:
    return [f.path for project in projects for f in project.files if f.kind == "po"]

"""Use case: scan a folder — every project under it with its per-locale counts (what ``transkit scan``
shows), the memory seeded from what was found as a step of its own."""

from __future__ import annotations

import os
from pathlib import Path

from transkit.catalog.discover import scan
from transkit.errors import CatalogError
from transkit.jobs.catalogs import ProjectSummary, memory_sources, summarize
from transkit.jobs.memory import seed_memory
from transkit.jobs.progress import ProgressReporter, ProgressSink


def scan_folder(path: str | os.PathLike, seed: bool = True, *,
                progress: ProgressSink | None = None) -> list[ProjectSummary]:
    """Projects under ``path`` with per-locale stats. ``seed``: the translations found then seed the
    memory (an explicit step; unchanged files are skipped), so every catalog scanned helps fill the next.
    ``progress`` hears the seeding, then one tick per project read."""
    root = Path(path)
    if not root.exists():
        raise CatalogError("no such file or folder", root)
    projects = scan(root)
    if seed:
        seed_memory(memory_sources(projects), progress=progress)
    steps = ProgressReporter(progress, "reading projects", total=len(projects))
    summaries = []
    for project in projects:
        summaries.append(summarize(project))
        steps.advance(message=project.name)
    steps.finish()
    return summaries

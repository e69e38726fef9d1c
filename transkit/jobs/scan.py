"""Use case: scan folders — every project under them with its per-locale counts (what ``transkit scan``
shows), the memory seeded from what was found as a step of its own."""

from __future__ import annotations

import os
from typing import Iterable

from transkit.catalog.discover import Project
from transkit.jobs.catalogs import ProjectSummary, memory_sources, projects_for, summarize
from transkit.jobs.memory import seed_memory
from transkit.jobs.progress import ProgressReporter, ProgressSink


def scan_folder(paths: str | os.PathLike | Iterable[str | os.PathLike], seed: bool = True, *,
                progress: ProgressSink | None = None) -> list[ProjectSummary]:
    """Projects under ``paths`` (a folder or catalog file, or several) with per-locale stats; a
    project two of the paths reach (``wp-content`` and one of its plugins) is listed once.
    ``seed``: the translations found then seed the memory (an explicit step; unchanged files are
    skipped), so every catalog scanned helps fill the next; a catalog the memory could not read is
    an ``error`` of its locale row, like one the scan itself could not read. ``progress`` hears the
    seeding, then one tick per project read."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    projects = _merged(projects_for(paths))
    failures = {}
    if seed:
        report = seed_memory(memory_sources(projects), progress=progress)
        failures = {failure.path.resolve(): str(failure) for failure in report.failures}
    steps = ProgressReporter(progress, "reading projects", total=len(projects))
    summaries = []
    for project in projects:
        summary = summarize(project)
        for locale in summary.locales:
            if locale.error is None:  # a .l10n.php only the memory reads
                locale.error = next((failures[path.resolve()] for path in locale.files.values()
                                     if path.resolve() in failures), None)
        summaries.append(summary)
        steps.advance(message=project.name)
    steps.finish()
    return summaries


def _merged(projects: list[Project]) -> list[Project]:
    """Each project once (two paths may reach the same one), with the catalog files every path found."""
    merged: dict[tuple, Project] = {}
    for project in projects:
        key = (project.kind, project.root.resolve(), project.domain,
               project.main_file.resolve() if project.main_file else None)
        first = merged.setdefault(key, project)
        if first is not project:
            known = {f.path.resolve() for f in first.files}
            first.files.extend(f for f in project.files if f.path.resolve() not in known)
            first.left_out.extend(item for item in project.left_out if item not in first.left_out)
    return list(merged.values())

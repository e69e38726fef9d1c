"""Use case: merge a newer template into existing translations (``transkit update``), over one
catalog or many, msgmerge semantics (``catalog/merge.py``).

All or nothing: every catalog is read and merged in memory first; when one cannot be read, nothing
is written and ``UpdateRefused`` carries every catalog's result (which would have changed, which
failed, why). Only then are the changed catalogs written. A write that fails after others were
written (a full disk) is recorded on that catalog, and the results say which were written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from transkit.catalog import load_catalog
from transkit.catalog.merge import MergeReport, merge_template
from transkit.checks.context import CheckContext
from transkit.checks.msgfmt import breaks_format
from transkit.errors import CatalogError, TranskitError
from transkit.jobs.catalogs import projects_for
from transkit.jobs.progress import CancelToken, ProgressReporter, ProgressSink


@dataclass
class UpdateResult:
    path: Path
    report: MergeReport | None
    changed: bool
    written: bool = False
    error: str | None = None
    skipped: str | None = None  # why this translation was not merged (its project has no template)
    project_root: Path | None = None  # the skipped translation's project (where `extract` builds one)

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        if self.skipped:
            return "skipped"
        if not self.changed:
            return "unchanged"
        return "updated" if self.written else "would change"

    def as_dict(self) -> dict:
        counts = self.report.as_dict() if self.report is not None else {}
        return {"path": str(self.path), "status": self.status, "changed": self.changed,
                "written": self.written, "error": self.error, "skipped": self.skipped,
                **({"project_root": str(self.project_root)} if self.project_root else {}), **counts}


class UpdateRefused(CatalogError):
    """A catalog could not be read (or merged): nothing was written. ``results`` lists every catalog."""

    def __init__(self, results: list[UpdateResult]):
        self.results = results
        failed = [r for r in results if r.error]
        if len(results) == 1:
            message = failed[0].error or ""
        else:
            message = (f"{len(failed)} of {len(results)} catalogs could not be read; nothing was written: "
                       + "; ".join(r.error or "" for r in failed))
        super().__init__(message)

    def __str__(self) -> str:  # the message already names each file and line
        return self.message


def update_translations(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                        template: str | os.PathLike | None = None, locale: str | None = None,
                        fuzzy_matching: bool = True, dry_run: bool = False, *,
                        progress: ProgressSink | None = None,
                        cancel: CancelToken | None = None) -> list[UpdateResult]:
    """Merge the newer template into every translation (or one locale) of the projects at ``paths``
    (a PO file needs ``template``). Nothing is written when any catalog cannot be read."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    targets, skipped = _targets([Path(p) for p in paths], template, locale)
    templates: dict[Path, object] = {}
    merged = []  # (result, catalog) after the in-memory merge
    reading = ProgressReporter(progress, "merging", total=len(targets), cancel=cancel)
    for po_path, template_path in targets:
        if reading.cancelled:
            return [result for result, _ in merged] + skipped  # nothing written yet
        try:
            if template_path not in templates:
                templates[template_path] = load_catalog(template_path)
            catalog = load_catalog(po_path)
            before = catalog.to_bytes()
            context = CheckContext.for_catalog(catalog)
            report = merge_template(catalog, templates[template_path], fuzzy_matching=fuzzy_matching,
                                    breaks_format=lambda entry, flag: breaks_format(entry, flag, context))
            merged.append((UpdateResult(po_path, report, catalog.to_bytes() != before), catalog))
        except TranskitError as err:
            merged.append((UpdateResult(po_path, None, False, error=str(err)), None))
        reading.advance(message=str(po_path))
    reading.finish()
    results = [result for result, _ in merged] + skipped
    if any(result.error for result in results):
        raise UpdateRefused(results)
    if dry_run:
        return results
    changed = [(result, catalog) for result, catalog in merged if result.changed]
    writing = ProgressReporter(progress, "writing", total=len(changed))
    for result, catalog in changed:
        try:
            catalog.save()  # like msgmerge: an update is not a translation, PO-Revision-Date stays
            result.written = True
        except TranskitError as err:
            result.error = str(err)
        writing.advance(message=str(result.path))
    writing.finish()
    return results


def _targets(paths: list[Path], template, locale: str | None) -> tuple[list[tuple[Path, Path]], list[UpdateResult]]:
    """(catalog, its template) for every translation the paths name, and a skipped result for each
    translation of a project that has no template (among several: one alone is an error)."""
    targets: list[tuple[Path, Path]] = []
    skipped: list[UpdateResult] = []
    for path in paths:
        if path.is_file() and path.suffix == ".po":
            if template is None:
                raise TranskitError(f"{path}: give the template with --template")
            targets.append((path, Path(template)))
            continue
        projects = projects_for([path])
        if not projects:
            raise TranskitError(f"{path}: no plugin or gettext project found")
        if template is not None and len(projects) > 1:
            names = ", ".join(sorted({p.handle for p in projects}))
            raise TranskitError(f"{path}: holds several projects ({names}); --template fits one of them")
        for project in projects:
            # a catalog file no locale is known for is merged into nothing: said, not passed over
            skipped += [UpdateResult(Path(item.path), None, False,
                                     skipped=item.reason + (f"; {item.hint}" if item.hint else ""))
                        for item in project.left_out if not item.is_folder]
            project_template = template or project.template
            translations = [Path(f.path) for f in project.files
                            if f.kind == "po" and f.origin == "project" and (locale is None or f.locale == locale)]
            if project_template is None:
                if len(projects) == 1:
                    raise TranskitError(f"{project.root}: no template (.pot) found; run `transkit extract` first")
                # among several projects the others are merged; these are said, not passed over
                skipped += [UpdateResult(po, None, False, skipped="no template (.pot) in its project",
                                         project_root=Path(project.root)) for po in translations]
                continue
            targets += [(po, Path(project_template)) for po in translations]
    seen: set[Path] = set()
    unique = [t for t in targets if not (t[0].resolve() in seen or seen.add(t[0].resolve()))]
    return unique, [r for r in skipped if not (r.path.resolve() in seen or seen.add(r.path.resolve()))]

"""Use case: every catalog WordPress would not load as it is named or placed, and the fix.

``diagnose(path)`` lists each problem discovery found (misnamed separator, wrong domain, theme or
plugin naming, misplaced, .po without .mo, header/file-name locale conflict) and the catalog files no locale is known for. ``fix(findings)``
renames or moves what a rename fixes — ``git mv`` inside a git checkout, so the history follows —
never over an existing file; the rest (compile, a conflicting header) is for the user.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from transkit.catalog.discover import LeftOut, Problem
from transkit.catalog.paths import contained
from transkit.errors import CatalogError
from transkit.jobs.catalogs import CatalogRef, find_catalogs

@dataclass(frozen=True)
class Finding:
    ref: CatalogRef
    problem: Problem

    @property
    def fixable(self) -> bool:
        return self.problem.rename_to is not None

    def as_dict(self) -> dict:
        return {"path": str(self.ref.path), "project": self.ref.project, "locale": self.ref.locale,
                **self.problem.as_dict()}


@dataclass(frozen=True)
class Change:
    source: Path
    target: Path
    with_git: bool  # git mv (the file is tracked), else a plain rename
    done: bool
    reason: str = ""  # why it was not done

    def as_dict(self) -> dict:
        return {"from": str(self.source), "to": str(self.target), "git": self.with_git, "done": self.done,
                "reason": self.reason}


@dataclass(frozen=True)
class Diagnosis:
    findings: list[Finding]  # by file
    left_out: list[LeftOut]  # files no locale is known for (loaded by no one), bundled folders (notes)


def diagnose(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Diagnosis:
    """Every problem of every catalog (po, mo, l10n.php) under ``paths`` (one or several), by file,
    and the catalog files left out."""
    found = find_catalogs(paths, kinds=("po", "mo", "l10n.php"))
    findings = [Finding(ref, problem) for ref in found.refs for problem in ref.problems]
    return Diagnosis(sorted(findings, key=lambda f: (str(f.ref.path), f.problem.code)), found.left_out)


def fix(findings: list[Finding]) -> list[Change]:
    """Rename or move each fixable catalog to the name WordPress loads; an existing target is never
    overwritten (that one is reported, not done)."""
    from transkit.upstream.git import move_tracked  # lazy: GitPython only when a tracked file is moved

    changes: list[Change] = []
    planned: set[Path] = set()
    for finding in findings:
        if not finding.fixable:
            continue
        source, target = finding.ref.path, finding.problem.rename_to
        # the target comes from the plugin's own header (Domain Path, Text Domain): never out of it
        root = finding.ref.root if finding.ref.origin == "project" and finding.ref.root else source.parent
        try:
            contained(target, root, "Domain Path", source)
        except CatalogError as err:
            changes.append(Change(source, target, False, False, err.message))
            continue
        if target.exists() or target in planned:
            changes.append(Change(source, target, False, False, f"{target.name} exists already"))
            continue
        planned.add(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with_git = move_tracked(source, target)
        if not with_git:
            os.replace(source, target)
        changes.append(Change(source, target, with_git, True))
    return changes

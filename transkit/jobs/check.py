"""The check use case: run the quality checks over catalogs named by paths and hand back results.

Both faces call ``check_paths``; it yields one ``CatalogCheck`` per catalog as soon as it is done
(so a face can show progress) and never prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from transkit.catalog import load_catalog
from transkit.catalog.discover import LeftOut
from transkit.checks import Problem, check_catalog, selected
from transkit.errors import CatalogError
from transkit.jobs.catalogs import find_catalogs
from transkit.jobs.glossary import consistency_problems, glossary_for_locale

if TYPE_CHECKING:  # pragma: no cover
    from transkit.catalog import Catalog, Entry
    from transkit.checks.glossary import Glossary


@dataclass
class Finding:
    """One problem, located: the entry it belongs to (None for catalog-wide ones) and its line."""

    path: Path
    entry: "Entry | None"
    problem: Problem

    @property
    def line(self) -> int | None:
        if self.problem.line is not None:  # the problem's own line (a BOM on line 1 is not the header's)
            return self.problem.line
        return self.entry.lineno or None if self.entry is not None else None

    def as_dict(self) -> dict:
        entry = self.entry
        return {
            "path": str(self.path), "line": self.line,
            "msgctxt": entry.msgctxt if entry is not None else None,
            "msgid": entry.msgid if entry is not None else None,
            **self.problem.as_dict(),
        }


@dataclass
class CatalogCheck:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    entries_checked: int = 0
    # set when the catalog could not be read at all
    error: CatalogError | None = None
    glossary: str | None = None  # which glossary it was checked against ("the de_DE glossary (12 terms)")
    glossary_inherited: bool = False  # with another locale's terms (de_DE's for de_DE_formal)
    left_out: LeftOut | None = None  # found in a folder but not checked: no locale known, or bundled code

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.problem.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def catalog_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path | LeftOut]:
    """The catalogs to check, found by the one finder (``jobs.catalogs.find_catalogs``): a folder gives
    its projects' PO files (vendor/, node_modules/ and templates left out, as every command does) and
    what it left out (catalog files no locale is known for, a vendor/ or node_modules/ whose packages
    hold catalogs); a file named explicitly is checked whatever its name (a ``.pot`` as a template)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = find_catalogs(path)
            yield from (ref.path for ref in found.refs)
            yield from found.left_out
            continue
        # a file stands for itself (as in catalogs_for), not with the templates beside it; a missing
        # one is reported unreadable by load_catalog, naming it
        yield path


def check_one(catalog: "Catalog", only: str | None = None, glossary: "Glossary | None" = None,
              path: Path | None = None) -> CatalogCheck:
    path = path or catalog.path or Path("<catalog>")
    findings = [Finding(path, entry, problem) for entry, problem in check_catalog(catalog, only, glossary)]
    return CatalogCheck(path, findings, entries_checked=len(catalog.entries),
                        glossary=glossary.described if glossary is not None else None,
                        glossary_inherited=glossary is not None and any(
                            name != glossary.locale for name, _ in glossary.sources))


def check_paths(paths: Iterable[str | os.PathLike], only: str | None = None,
                glossary: "Glossary | None" = None, consistency: bool = False) -> Iterator[CatalogCheck]:
    """Without ``glossary``, each catalog is checked against its locale's glossary in the store.
    ``consistency`` adds the cross-catalog warnings of ``jobs.glossary`` (catalogs of one locale
    among those named): every catalog is read before the first result then."""
    loaded: list[tuple[Path, Catalog | None, CatalogError | None]] = []
    for path in catalog_paths(paths):
        if isinstance(path, LeftOut):  # not checked: reported as the other commands report it
            yield CatalogCheck(path.path, left_out=path)
            continue
        try:
            loaded.append((path, load_catalog(path), None))
        except CatalogError as err:
            loaded.append((path, None, err))
        if not consistency:
            yield _checked(*loaded.pop(), only, glossary, {})
    extra: dict = {}
    if consistency:
        by_locale: dict[str, list] = {}
        for _path, catalog, _err in loaded:
            if catalog is not None:
                by_locale.setdefault(catalog.language, []).append(catalog)
        for catalogs in by_locale.values():
            extra.update(consistency_problems(catalogs, relative_to="."))
    for item in loaded:
        yield _checked(*item, only, glossary, extra)
    glossary_for_locale.cache_clear()


def _checked(path: Path, catalog: "Catalog | None", error: CatalogError | None, only: str | None,
             glossary: "Glossary | None", extra: dict) -> CatalogCheck:
    if catalog is None:
        return CatalogCheck(path, error=error)

    result = check_one(catalog, only, glossary or glossary_for_locale(catalog.language), path)
    more = [Finding(path, entry, problem) for entry, problem in extra.get(id(catalog), ()) if selected(entry, only)]
    if more:
        result.findings = sorted(result.findings + more,
                                 key=lambda f: (f.entry.lineno or 0) if f.entry is not None else -1)
    return result

"""Use cases on catalogs: scan a folder, start a translation, update translations from a template.

Faces call these and render what they return; nothing here prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from transkit.catalog import load_catalog
from transkit.catalog.discover import Project, scan
from transkit.catalog.locales import parse_locale
from transkit.catalog.merge import MergeReport, init_catalog, merge_template
from transkit.catalog.model import CatalogStats
from transkit.config import Identity
from transkit.errors import CatalogError, TranskitError


@dataclass
class LocaleSummary:
    locale: str
    path: Path
    kind: str  # po / mo / l10n.php
    origin: str
    stats: CatalogStats | None = None
    error: str | None = None  # the catalog could not be read: one line naming file and line

    def as_dict(self) -> dict:
        return {"locale": self.locale, "path": str(self.path), "kind": self.kind, "origin": self.origin,
                "stats": self.stats.as_dict() if self.stats else None, "error": self.error}


@dataclass
class ProjectSummary:
    project: Project
    template_entries: int | None = None
    locales: list[LocaleSummary] = field(default_factory=list)

    def as_dict(self) -> dict:
        p = self.project
        return {"name": p.name, "kind": p.kind, "version": p.version, "domain": p.domain, "root": str(p.root),
                "main_file": str(p.main_file) if p.main_file else None, "domain_path": p.domain_path,
                "template": str(p.template) if p.template else None, "template_entries": self.template_entries,
                "locales": [locale.as_dict() for locale in self.locales]}


def _mo_stats(path: Path, total: int | None) -> CatalogStats:
    from transkit.catalog.mofile import mo_message_count  # validated like msgunfmt: CatalogError

    translated = mo_message_count(path)
    untranslated = max((total or translated) - translated, 0)
    return CatalogStats(translated=translated, untranslated=untranslated)


def summarize(project: Project) -> ProjectSummary:
    summary = ProjectSummary(project)
    if project.template:
        try:
            summary.template_entries = len(load_catalog(project.template).entries)
        except CatalogError:
            summary.template_entries = None
    for catalog_file in sorted(project.files, key=lambda f: (f.locale or "", f.kind)):
        if catalog_file.locale is None:
            continue
        item = LocaleSummary(catalog_file.locale, catalog_file.path, catalog_file.kind, catalog_file.origin)
        try:
            if catalog_file.kind == "po":
                item.stats = load_catalog(catalog_file.path).stats()
            elif catalog_file.kind == "mo":
                item.stats = _mo_stats(catalog_file.path, summary.template_entries)
        except CatalogError as err:
            item.error = str(err)
        summary.locales.append(item)
    return summary


def scan_folder(path: str | os.PathLike, seed: bool = True) -> list[ProjectSummary]:
    """Projects under ``path`` with per-locale stats; their translations also seed the memory
    (unchanged files are skipped), so every catalog scanned helps fill the next one."""
    root = Path(path)
    if not root.exists():
        raise CatalogError("no such file or folder", root)
    projects = scan(root)
    if seed:
        from transkit.jobs.memory import po_files_of, seed_memory

        seed_memory(po_files_of(projects))
    return [summarize(project) for project in projects]


def find_project(path: str | os.PathLike, name: str | None = None) -> Project:
    """The one project at ``path`` (or named ``name`` / with that domain under it)."""
    projects = scan(path)
    if name:
        projects = [p for p in projects if name in (p.name, p.domain, p.slug)]
    if not projects:
        raise TranskitError(f"{path}: no plugin or gettext project found")
    if len(projects) > 1:
        names = ", ".join(sorted({p.domain for p in projects}))
        raise TranskitError(f"{path}: holds several projects ({names}); name one with --project")
    return projects[0]


@dataclass
class InitResult:
    path: Path
    template: Path
    template_built: bool  # the template was extracted from the sources first
    entries: int
    carried_from: Path | None = None  # a language-pack PO of this locale whose translations were kept
    carried: int = 0
    template_problems: list[str] = field(default_factory=list)  # "file:line: message" of the extraction


def init_translation(path: str | os.PathLike, locale: str, identity: Identity | None = None,
                     project_name: str | None = None) -> InitResult:
    """Create ``<domain>-<locale>.po`` (named as the project names its catalogs) from the template,
    building the template from the sources first when the plugin ships none."""
    if parse_locale(locale) is None:
        raise CatalogError(f"{locale!r} is not a locale name (expected e.g. it_IT, pt_BR, de_DE_formal)")
    project = find_project(path, project_name)
    template, built, template_problems = project.template, False, []
    if template is None:
        if project.kind != "wordpress-plugin":
            raise TranskitError(f"{project.root}: no template (.pot) found for {project.domain}")
        from transkit.jobs.extract import extract_template

        extracted = extract_template(project.root, project.domain)
        template, built, template_problems = extracted.path, True, extracted.warnings
    code = parse_locale(locale).code
    target = project.new_po_path(code)
    target.parent.mkdir(parents=True, exist_ok=True)
    catalog = init_catalog(template, locale, target, identity)
    result = InitResult(target, template, built, len(catalog.entries), template_problems=template_problems)
    existing = project.po_for(code)
    if existing is not None and existing.resolve() != target.resolve():
        # WordPress installed a language pack (or Loco a copy): start from its translations
        result.carried_from, result.carried = existing, carry_translations(load_catalog(existing), catalog)
        if result.carried:
            catalog.save()
    return result


def carry_translations(source, catalog) -> int:
    """Copy the translations of ``source`` into the untranslated entries of ``catalog`` that have
    the same msgctxt and msgid (and plural shape); fuzzy ones stay fuzzy. Returns how many."""
    carried = 0
    for entry in catalog.entries:
        theirs = source.find(entry.msgid, entry.msgctxt)
        if theirs is None or theirs.is_untranslated() or not entry.is_untranslated():
            continue
        if theirs.is_plural != entry.is_plural:
            continue
        if entry.is_plural:
            entry.msgstr_plural = {i: theirs.msgstr_plural.get(i, "") for i in sorted(entry.msgstr_plural)}
        else:
            entry.msgstr = theirs.msgstr
        entry.fuzzy = theirs.fuzzy
        carried += 1
    return carried


@dataclass
class UpdateResult:
    path: Path
    report: MergeReport
    changed: bool


def update_translations(path: str | os.PathLike, template: str | os.PathLike | None = None,
                        locale: str | None = None, fuzzy_matching: bool = True,
                        dry_run: bool = False) -> list[UpdateResult]:
    """Merge the newer template into every translation (or one locale) of the project at ``path``."""
    results = []
    target = Path(path)
    if target.is_file() and target.suffix == ".po":
        if template is None:
            raise TranskitError(f"{target}: give the template with --template")
        po_files = [target]
    else:
        project = find_project(path)
        template = template or project.template
        if template is None:
            raise TranskitError(f"{project.root}: no template (.pot) found; run `transkit extract` first")
        po_files = [f.path for f in project.files if f.kind == "po" and f.origin == "project"
                    and (locale is None or f.locale == locale)]
    template_catalog = load_catalog(template)
    for po_path in po_files:
        catalog = load_catalog(po_path)
        before = catalog.to_bytes()
        report = merge_template(catalog, template_catalog, fuzzy_matching=fuzzy_matching)
        changed = catalog.to_bytes() != before
        if changed and not dry_run:
            catalog.save()  # like msgmerge: an update is not a translation, PO-Revision-Date stays
        results.append(UpdateResult(po_path, report, changed))
    return results

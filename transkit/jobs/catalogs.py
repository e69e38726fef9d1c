"""Use cases on catalogs: find them (the one finder every command and the TUI use), summarize a project,
start a translation, update translations from a template.

Faces call these and render what they return; nothing here prints. Finding never seeds the
translation memory: the jobs that need it call ``jobs.memory.seed_memory`` as a step of their own.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from transkit.catalog import load_catalog
from transkit.catalog.discover import CatalogFile, LeftOut, Problem, Project, project_at, projects_in_folder, scan
from transkit.catalog.locales import catalog_stem, parse_locale
from transkit.catalog.merge import init_catalog
from transkit.catalog.model import CatalogStats
from transkit.catalog.mofile import mo_message_count, read_mo
from transkit.catalog.paths import contained, safe_domain
from transkit.config import Identity
from transkit.errors import CatalogError, TranskitError
from transkit.jobs.progress import ProgressReporter, ProgressSink
from transkit.store.states import CatalogKey

TRANSLATION_KINDS = ("po", "mo", "l10n.php")


@dataclass(frozen=True)
class CatalogRef:
    """A translation catalog found on disk: what it is, whose it is, which locale and why.

    ``project`` is the project's handle (the folder slug of a WordPress project, else its domain):
    what people type and what the store groups catalogs by; ``project_name`` is what tables show."""

    path: Path
    project: str
    domain: str
    locale: str
    kind: str = "po"  # po / mo / l10n.php
    project_kind: str = "gettext"  # wordpress-core / wordpress-plugin / wordpress-mu-plugin / wordpress-theme / gettext
    project_name: str = ""
    locale_source: str | None = None  # header / poedit-header / file-name / folder / language-team
    origin: str = "project"  # project / wp-languages / loco
    root: Path | None = None  # the project's folder
    problems: tuple[Problem, ...] = ()
    project_version: str = ""

    @property
    def key(self) -> CatalogKey:
        return CatalogKey(str(self.path.resolve()), self.project, self.domain, self.locale)

    def as_dict(self) -> dict:
        return {"path": str(self.path), "project": self.project, "project_name": self.project_name or self.project,
                "project_kind": self.project_kind, "domain": self.domain, "locale": self.locale,
                "locale_source": self.locale_source, "kind": self.kind, "origin": self.origin,
                "problems": [problem.as_dict() for problem in self.problems]}


def refs_of(project: Project, kinds: Iterable[str] = ("po",), any_locale: bool = False) -> list[CatalogRef]:
    """The catalogs of one project as refs (templates left out, and files no locale is known for
    unless ``any_locale``)."""
    kinds = tuple(kinds)
    return [CatalogRef(found.path, project.handle, found.domain or project.domain, found.locale or "",
                       found.kind, project.kind, project.name, found.locale_source, found.origin, project.root,
                       tuple(found.problems), project.version)
            for found in project.files if found.kind in kinds and (found.locale or any_locale)]


def projects_for(paths: Iterable[str | os.PathLike]) -> list[Project]:
    """The projects ``paths`` name: every project under a folder; for a catalog file, the project
    that holds it (its plugin or theme, core, or its gettext folder), reduced to that file."""
    projects: list[Project] = []
    for path in map(Path, paths):
        if not path.exists():
            raise CatalogError("no such file or folder", path)
        projects.extend(scan(path) if path.is_dir() else [_owner_of(path.resolve())])
    return projects


def _owner_of(path: Path) -> Project:
    """The project a catalog file belongs to, holding only that file (and its templates)."""
    candidates: list[Project] = []
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        owner = project_at(folder)
        if owner is not None:
            candidates.append(owner)
            break
    parent = path.parent
    if not candidates and parent.name in ("plugins", "themes") and parent.parent.name in ("languages", "loco"):
        wp_content = parent.parent.parent if parent.parent.name == "languages" else parent.parent.parent.parent
        if (wp_content / parent.name).is_dir():
            candidates.extend(scan(wp_content / parent.name))
    # then only the file's own folder: never a walk of whatever folder it happens to sit in
    candidates.extend(projects_in_folder(parent))
    for project in candidates:
        mine = [f for f in project.files if f.path.resolve() == path]
        if mine:
            project.files = mine + [f for f in project.files if f.kind == "pot"]
            return project
    found = scan(path)
    if found:
        return found[0]
    # not named like a catalog: it stands for itself, and reading it says what is wrong with it
    return Project(name=path.stem, root=path.parent, kind="gettext", domain=path.stem,
                   files=[CatalogFile(path, "po", None, domain=path.stem)])


@dataclass
class FoundCatalogs:
    """What the finder found: the catalogs to work on, and what it had to leave out (catalog files
    no locale is known for; a vendor/ or node_modules/ not searched whose packages hold catalogs),
    which every face reports."""

    refs: list[CatalogRef]
    left_out: list[LeftOut]


def catalogs_for(paths: Iterable[str | os.PathLike] | str | os.PathLike, locale: str | None = None, *,
                 kinds: Iterable[str] = ("po",), editable: bool = False,
                 progress: ProgressSink | None = None) -> list[CatalogRef]:
    """The catalogs of ``find_catalogs``, for callers that report no left-out file."""
    return find_catalogs(paths, locale, kinds=kinds, editable=editable, progress=progress).refs


def find_catalogs(paths: Iterable[str | os.PathLike] | str | os.PathLike, locale: str | None = None, *,
                  kinds: Iterable[str] = ("po",), editable: bool = False,
                  progress: ProgressSink | None = None) -> FoundCatalogs:
    """THE catalog finder: the catalogs ``paths`` name, of ``locale`` when given (normalised: ``pt-BR``
    is pt_BR), of the ``kinds`` asked (``po`` by default; ``mo``, ``l10n.php`` too). A folder is
    searched the way WordPress and gettext lay catalogs out; a catalog file stands for itself, in any
    locale (its ``locale`` is ``""`` when nothing says one). ``editable``: only the PO a translator
    edits per project, domain and locale (the project's own before a language pack's). Each file
    once, WordPress core first, then by project, locale and path. ``left_out``: the catalog files
    under the folders that no header, name or folder gives a locale (whatever ``locale`` asks: one of
    them may be its translation), and the vendor/ and node_modules/ not searched whose packages hold
    catalog files (``LeftOut.is_folder``). ``progress`` hears the count of catalogs found after each folder
    searched (the total is not known before)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    steps = ProgressReporter(progress, "finding catalogs")
    wanted = None
    if locale:
        info = parse_locale(locale)
        wanted = info.code if info else locale
    kinds = tuple(kinds)
    found: dict[Path, CatalogRef] = {}
    left_out: dict[Path, LeftOut] = {}
    for path in map(Path, paths):
        if not path.exists():
            raise CatalogError("no such file or folder", path)
        if not path.is_dir():
            for ref in refs_of(_owner_of(path.resolve()), kinds, any_locale=True):
                found.setdefault(ref.path.resolve(), ref)
            continue
        for project in scan(path):
            for item in project.left_out:
                left_out.setdefault(item.path.resolve(), item)
            refs = refs_of(project, kinds)
            if wanted is not None:
                refs = [ref for ref in refs if ref.locale == wanted]
            if editable:
                chosen = {project.po_for(ref.locale, ref.domain) for ref in refs}
                refs = [ref for ref in refs if ref.path in chosen]
            for ref in refs:
                found.setdefault(ref.path.resolve(), ref)
            steps.update(len(found), message=str(project.root))
    steps.finish()
    refs = sorted(found.values(), key=lambda r: (r.project_kind != "wordpress-core", r.project, r.locale, str(r.path)))
    return FoundCatalogs(refs, sorted(left_out.values(), key=lambda item: str(item.path)))


@dataclass
class LocaleSummary:
    """One locale of a project (per domain): its PO, MO and l10n.php side by side."""

    locale: str
    path: Path  # the PO when there is one, else the compiled file
    kind: str  # po / mo / l10n.php: the kind of ``path``
    origin: str
    domain: str = ""
    locale_source: str | None = None
    files: dict[str, Path] = field(default_factory=dict)  # kind -> path
    stats: CatalogStats | None = None
    missing_from_template: int | None = None  # template strings this catalog lacks
    translated_of_template: int | None = None  # template strings it translates (not fuzzy)
    template_entries: int | None = None
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None  # the catalog could not be read: one line naming file and line

    @property
    def percent_of_template(self) -> float | None:
        """Translated share of the template's strings (a 2009 catalog translating 176 of today's
        455 is 39 %, however complete it is in itself)."""
        if self.translated_of_template is None or not self.template_entries:
            return None
        return 100.0 * self.translated_of_template / self.template_entries

    def as_dict(self) -> dict:
        return {"locale": self.locale, "locale_source": self.locale_source, "domain": self.domain,
                "path": str(self.path), "kind": self.kind, "origin": self.origin,
                "files": {kind: str(path) for kind, path in self.files.items()},
                "stats": self.stats.as_dict() if self.stats else None,
                "missing_from_template": self.missing_from_template,
                "translated_of_template": self.translated_of_template,
                "percent_of_template": round(self.percent_of_template, 1)
                if self.percent_of_template is not None else None,
                "problems": [problem.as_dict() for problem in self.problems], "error": self.error}


@dataclass
class ProjectSummary:
    project: Project
    template_entries: int | None = None
    locales: list[LocaleSummary] = field(default_factory=list)
    template_error: str | None = None  # the template could not be read: one line naming file and line

    @property
    def errors(self) -> list[str]:
        """Every catalog of the project that could not be read (template first), one line each."""
        return ([self.template_error] if self.template_error else []) + \
            [locale.error for locale in self.locales if locale.error]

    def as_dict(self) -> dict:
        p = self.project
        return {"name": p.name, "handle": p.handle, "kind": p.kind, "version": p.version, "domain": p.domain,
                "root": str(p.root), "main_file": str(p.main_file) if p.main_file else None,
                "domain_path": p.domain_path, "template": str(p.template) if p.template else None,
                "template_entries": self.template_entries, "template_error": self.template_error,
                "locales": [locale.as_dict() for locale in self.locales],
                "left_out": [item.as_dict() for item in p.left_out]}


def _mo_keys(path: Path) -> set:
    return {(m.msgctxt, m.msgid) for m in read_mo(path).messages if any(m.translations)}


def _mo_stats(path: Path, total: int | None) -> CatalogStats:
    # mo_message_count validates like msgunfmt: CatalogError
    translated = mo_message_count(path)
    untranslated = max((total or translated) - translated, 0)
    return CatalogStats(translated=translated, untranslated=untranslated)


def summarize(project: Project) -> ProjectSummary:
    """One row per (domain, locale, origin): the PO's counts (the compiled file's when there is no
    PO), measured against the template when there is one."""
    summary = ProjectSummary(project)
    template_keys: set | None = None
    if project.template:
        try:
            template = load_catalog(project.template)
            summary.template_entries = len(template.entries)
            template_keys = {(e.msgctxt, e.msgid) for e in template.entries}
        except CatalogError as err:
            summary.template_entries, summary.template_error = None, str(err)
    rows: dict[tuple, LocaleSummary] = {}
    order = {"po": 0, "mo": 1, "l10n.php": 2}
    for found in sorted(project.files, key=lambda f: (f.locale or "", order.get(f.kind, 3))):
        if found.locale is None:
            continue
        row_key = (found.domain, found.locale, found.origin, found.path.parent)
        item = rows.get(row_key)
        if item is None:
            item = rows[row_key] = LocaleSummary(found.locale, found.path, found.kind, found.origin,
                                                 found.domain, found.locale_source)
        item.files.setdefault(found.kind, found.path)
        item.problems.extend(p for p in found.problems if p not in item.problems)
    for item in rows.values():
        measured = template_keys is not None and item.domain in ("", project.domain)
        try:
            if item.kind == "po":
                catalog = load_catalog(item.path)
                item.stats = catalog.stats()
                if measured:
                    item.missing_from_template = len(template_keys - {e.key for e in catalog.entries})
                    item.translated_of_template = len(template_keys & {e.key for e in catalog.entries
                                                                       if e.is_translated()})
            elif item.kind == "mo":
                item.stats = _mo_stats(item.path, summary.template_entries)
                if measured:
                    translated = _mo_keys(item.path)
                    item.missing_from_template = len(template_keys - translated)
                    item.translated_of_template = len(template_keys & translated)
            if measured:
                item.template_entries = summary.template_entries
        except CatalogError as err:
            item.error = str(err)
        summary.locales.append(item)
    summary.locales.sort(key=lambda s: (s.domain != project.domain, s.domain, s.locale, s.origin != "project"))
    return summary


def memory_sources(projects: Iterable[Project]) -> list[CatalogRef]:
    """What the memory learns from: each project's catalog per domain, locale and folder — the PO,
    else the .mo, else the .l10n.php (a language pack WordPress installed without its PO)."""
    best: dict[tuple, CatalogRef] = {}
    order = {"po": 0, "mo": 1, "l10n.php": 2}
    for project in projects:
        for ref in refs_of(project, TRANSLATION_KINDS):
            stem = catalog_stem(ref.path.name)[0]
            slot = (ref.path.parent.resolve(), stem, ref.locale)
            if slot not in best or order[ref.kind] < order[best[slot].kind]:
                best[slot] = ref
    return sorted(best.values(), key=lambda r: (r.project_kind != "wordpress-core", str(r.path)))


def find_project(path: str | os.PathLike, name: str | None = None) -> Project:
    """The one project at ``path`` (or named ``name`` / with that domain under it)."""
    projects = projects_for([path])
    if name:
        projects = [p for p in projects if name in (p.name, p.domain, p.slug, p.handle)]
    if not projects:
        raise TranskitError(f"{path}: no plugin or gettext project found")
    if len(projects) > 1:
        names = ", ".join(sorted({p.handle for p in projects}))
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
    to_translate: int | None = None  # entries untranslated or fuzzy once the carried ones are in
    # the po/LINGUAS that does not list the new locale: the build leaves the catalog out until it does
    linguas_without: Path | None = None
    locale: str = ""  # the new catalog's locale code

    @property
    def counts(self) -> str:
        """What both faces say of the new catalog: "12 entries to translate", or with translations
        carried from a language pack "12 entries, 3 to translate"."""
        left = self.entries if self.to_translate is None else self.to_translate
        if left == self.entries:
            return f"{self.entries} entries to translate"
        return f"{self.entries} entries, {left} to translate"


def init_translation(path: str | os.PathLike, locale: str, identity: Identity | None = None,
                     project_name: str | None = None) -> InitResult:
    """Create ``<domain>-<locale>.po`` (named as the project names its catalogs) from the template,
    building the template from the sources first when the plugin ships none."""
    if parse_locale(locale) is None:
        raise CatalogError(f"{locale!r} is not a locale name (expected e.g. it_IT, pt_BR, de_DE_formal)")
    project = find_project(path, project_name)
    source = project.main_file or project.root
    safe_domain(project.domain, "Text Domain", source)  # before anything is extracted or written
    _refuse_beside_a_misnamed_copy(project, parse_locale(locale).code)
    template, built, template_problems = project.template, False, []
    if template is None:
        if project.kind != "wordpress-plugin":
            raise TranskitError(f"{project.root}: no template (.pot) found for {project.domain}")
        from transkit.jobs.extract import extract_template  # lazy: the 8 extraction modules, for init only

        extracted = extract_template(project.root, project.domain, audit=False)  # the audit is for the author
        template, built, template_problems = extracted.path, True, extracted.warnings
    code = parse_locale(locale).code
    target = contained(project.new_po_path(code), project.root, "Domain Path", source)
    target.parent.mkdir(parents=True, exist_ok=True)
    catalog = init_catalog(template, locale, target, identity)
    result = InitResult(target, template, built, len(catalog.entries), template_problems=template_problems)
    existing = project.po_for(code)
    if existing is not None and existing.resolve() != target.resolve():
        # WordPress installed a language pack (or Loco a copy): start from its translations
        result.carried_from, result.carried = existing, carry_translations(load_catalog(existing), catalog)
        if result.carried:
            catalog.save()
    result.to_translate = sum(not entry.is_translated() for entry in catalog.entries)
    result.locale, result.linguas_without = code, _linguas_without(target, code)
    return result


def _linguas_without(target: Path, code: str) -> Path | None:
    """A gettext ``po/`` folder's LINGUAS names the catalogs the build compiles: a new locale it
    does not list is left out of the build. Said, never edited (the maintainer's file)."""
    linguas = target.parent / "LINGUAS"
    if not linguas.is_file():
        return None
    try:
        text = linguas.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    listed = {word for line in text.splitlines() for word in line.split("#", 1)[0].split()}
    return None if code in listed else linguas


def _refuse_beside_a_misnamed_copy(project: Project, locale: str) -> None:
    """The project already has this translation under a name WordPress never loads (``slug_uk_UA.po``):
    a second, empty catalog beside it would split the work; renaming the first is the fix."""
    wanted = project.new_po_path(locale).resolve()
    for found in project.files:
        if found.kind != "po" or found.locale != locale:
            continue
        for problem in found.problems:
            if problem.rename_to is not None and problem.rename_to.resolve() == wanted:
                raise TranskitError(
                    f"{found.path} is this project's {locale} translation under a name WordPress never "
                    f"loads; `transkit doctor {shlex.quote(str(project.root))} --fix` renames it to {problem.rename_to.name} "
                    "(nothing was written)")


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

"""Find the projects under a folder and their catalogs.

Understands a whole WordPress: plugins (main PHP file header: ``Plugin Name``, ``Version``,
``Text Domain``, ``Domain Path``), must-use plugins (each PHP file of ``mu-plugins/``), themes
(``style.css`` header; their own catalogs are named ``<locale>.po``), WordPress core's own
translations (``wp-content/languages/<locale>.po`` and the ``admin``, ``admin-network`` and
``continents-cities`` domains: one project), the language packs WordPress installs
(``wp-content/languages/plugins|themes/``) and Loco's copies (``languages/loco/plugins|themes/``).
Generic gettext layouts too: ``po/*.po`` (+ ``LINGUAS``), ``locale/<ll>/LC_MESSAGES/<domain>.po``,
Babel ``translations/``, loose ``<domain>.pot`` / ``<domain>-<locale>.po`` files, grouped by domain.

Folders no command looks into are ``SKIPPED_DIRS``; of those, the bundled third-party code
(``vendor/``, ``node_modules/``) is looked into (``catalog.bundled``, a few listings, no walk) and,
when its packages hold catalog files, listed as left out (``LeftOut``, code ``bundled``): skipped
as WP-CLI skips it, but said. Passing such a folder (or a package in it) searches it.

Each catalog's locale is ``catalog_locale``'s answer (header, then the file name read knowing the
domain). A catalog WordPress would not load as it is named or placed is still listed, with a
``Problem`` saying what WordPress does with it and the name it should have (``transkit doctor``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from transkit.catalog.bundled import BUNDLED_DIRS, bundled_catalogs
from transkit.catalog.domain_loads import DomainLoad, domain_loads
from transkit.catalog.headers import read_header
from transkit.catalog.locales import (catalog_locale, catalog_stem, is_known_language, locale_from_filename,
                                      parse_catalog_name, parse_locale)
from transkit.catalog.paths import is_domain

# The one list of folders no command looks into (below a folder the user names; the folder named is
# searched whatever its name). transkit-export/ holds copies `transkit export` wrote: listing them as
# projects would count twice. Of these, vendor/ and node_modules/ (bundled.BUNDLED_DIRS) are said
# when they hold catalog files.
SKIPPED_DIRS = frozenset({".git", ".svn", ".hg", "node_modules", "vendor", "__pycache__", ".transkit", ".tox",
                          ".venv", "transkit-export"})
CATALOG_KINDS = {"l10n.php": "l10n.php", "po": "po", "pot": "pot", "mo": "mo", "gmo": "mo"}
CORE_DOMAINS = ("default", "admin", "admin-network", "continents-cities")
_HEADER_RE = re.compile(r"^[ \t/*#@]*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*(?:\*/|\?>)?\s*$", re.M)
_PLUGIN_FIELDS = ("Plugin Name", "Plugin URI", "Version", "Description", "Author", "Author URI",
                  "Text Domain", "Domain Path", "Requires at least", "Requires PHP", "License")
_THEME_FIELDS = ("Theme Name", "Theme URI", "Version", "Description", "Author", "Author URI",
                 "Text Domain", "Domain Path", "Template")
PROJECT_KINDS = ("wordpress-core", "wordpress-plugin", "wordpress-mu-plugin", "wordpress-theme", "gettext")


def skipped_dir(name: str) -> bool:
    """A folder no command looks into (VCS, dependencies, caches, transkit's own exports)."""
    return name in SKIPPED_DIRS or name.startswith(".")


@dataclass
class Problem:
    """Why WordPress will not load a catalog as it is named or placed, and the fix ``doctor --fix``
    applies (``rename_to``: the path it should have; None when only the user can fix it).

    ``severity``: "warning" — WordPress does not use the file as it is (``doctor`` exits 1); "note" —
    a fact about a file nothing is wrong with as such (a catalog of another text domain the plugin
    bundles, a language pack of a plugin that is not installed): said, never a failure. ``short``:
    the few words a table shows of it."""

    code: str  # misnamed-separator, wrong-domain, locale-only-name, domain-in-theme-name, misplaced, not-compiled, locale-conflict; notes: other-domain, not-installed
    message: str
    rename_to: Path | None = None
    severity: str = "warning"
    short: str = ""

    @property
    def is_note(self) -> bool:
        return self.severity == "note"

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "rename_to": str(self.rename_to) if self.rename_to else None}


@dataclass(frozen=True)
class LeftOut:
    """A catalog file found but left out of every command, and why: each face lists it (file,
    reason, what to do) instead of skipping it without a word.

    ``code``: "no-locale" — a catalog file nothing gives a locale (a warning: ``doctor`` exits 1);
    "bundled" — a ``vendor/`` or ``node_modules/`` folder not searched (bundled third-party code,
    skipped on purpose) whose packages hold catalog files: a note, never a failure. ``catalog_files``:
    the catalog files left out (the file itself, or those the look into the folder found)."""

    path: Path
    reason: str
    hint: str = ""
    code: str = "no-locale"
    catalog_files: tuple[Path, ...] = ()
    include: Path | None = None  # bundled: a folder to name to include its catalogs (the first package)

    @property
    def is_folder(self) -> bool:
        return self.code == "bundled"

    @property
    def is_note(self) -> bool:
        return self.code == "bundled"

    @property
    def files(self) -> tuple[Path, ...]:
        return self.catalog_files or (self.path,)

    def __str__(self) -> str:
        shown = f"{self.path}{os.sep}" if self.is_folder else str(self.path)
        hint = self.hint + (f", e.g. {self.include}" if self.include else "")
        return f"{shown}: {self.reason}" + (f" ({hint})" if hint else "")

    def as_dict(self) -> dict:
        return {"path": str(self.path), "code": self.code, "severity": "note" if self.is_note else "warning",
                "reason": self.reason, "hint": self.hint, "catalog_files": [str(path) for path in self.files],
                "include": str(self.include) if self.include else None}


def _no_locale(path: Path, domain: str) -> LeftOut:
    """Why nothing says the language of ``path``: its header, then its name and folder."""
    header = read_header(path)
    if not header:
        said = "it has no header entry"
    elif header.get("Language", "").strip():
        said = f"its Language header {header['Language'].strip()!r} is not a locale"
    else:
        said = "its header has no Language"
    name = f"{domain}-<locale>{path.suffix}" if domain else f"<locale>{path.suffix}"
    return LeftOut(path, f"no locale: {said}, and neither its name nor its folder names one",
                   f"give it a 'Language: <locale>' header line or a name like {name}")


@dataclass
class CatalogFile:
    path: Path
    kind: str  # "pot", "po", "mo", "l10n.php"
    locale: str | None = None  # None for templates
    origin: str = "project"  # "project", "wp-languages" (WordPress language packs), "loco"
    domain: str = ""  # the text domain this file translates
    locale_source: str | None = None  # what said which locale: header, file-name, folder, …
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Project:
    """WordPress core, a plugin, theme or gettext project, and its catalogs."""

    name: str  # as its header names it ("Contact Form 7"); what tables show
    root: Path
    kind: str  # one of PROJECT_KINDS
    domain: str
    version: str = ""
    main_file: Path | None = None
    domain_path: str = ""
    header: dict[str, str] = field(default_factory=dict)
    files: list[CatalogFile] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)  # catalog files no command can use, and why
    # no project: the folder holding a bundled folder left out that no project's folder holds (its
    # left_out says so); tables do not list it as a project
    placeholder: bool = False

    @property
    def slug(self) -> str:
        if self.kind == "wordpress-core":
            return "wordpress"
        if self.kind == "wordpress-mu-plugin" and self.main_file is not None:
            return self.main_file.stem
        return self.root.name

    @property
    def handle(self) -> str:
        """The one name commands and the store use for a project: what people type
        (``transkit history contact-form-7``) — the folder slug of a WordPress project, else the domain."""
        return self.slug if self.kind.startswith("wordpress") else (self.domain or self.name)

    @property
    def is_wordpress(self) -> bool:
        return self.kind.startswith("wordpress")

    @property
    def template(self) -> Path | None:
        for catalog_file in self.files:
            if catalog_file.kind == "pot" and catalog_file.domain in ("", self.domain):
                return catalog_file.path
        return None

    @property
    def languages_dir(self) -> Path:
        """Where this project's own translations live (and where new ones are created)."""
        if self.domain_path:
            return self.root / self.domain_path.strip("/")
        for catalog_file in self.files:
            if catalog_file.origin == "project" and catalog_file.kind in ("po", "pot"):
                return catalog_file.path.parent
        return self.root / "languages" if self.is_wordpress else self.root / "po"

    @property
    def locales(self) -> list[str]:
        return sorted({f.locale for f in self.files if f.locale})

    def po_files(self, locale: str | None = None) -> list[Path]:
        return [f.path for f in self.files if f.kind == "po" and (locale is None or f.locale == locale)]

    def po_for(self, locale: str, domain: str | None = None) -> Path | None:
        """The PO a translator edits for this locale (and domain, the project's by default): the
        project's own before a language pack's, a well-named one before a misnamed one."""
        domain = self.domain if domain is None else domain
        candidates = [f for f in self.files if f.kind == "po" and f.locale == locale
                      and f.domain in (domain, "")]
        candidates.sort(key=lambda f: (f.origin != "project", any(p.code != "not-compiled" and not p.is_note
                                                                            for p in f.problems)))
        return candidates[0].path if candidates else None

    def new_po_path(self, locale: str) -> Path:
        """Where ``transkit init`` creates this locale's PO, named the way WordPress loads it (or
        the way the project names its catalogs)."""
        if self.kind == "wordpress-theme":
            return self.languages_dir / f"{locale}.po"
        if self.is_wordpress:
            return self.languages_dir / f"{self.domain}-{locale}.po"
        existing = [f for f in self.files if f.kind == "po" and f.origin == "project"]
        if existing:
            sample = existing[0]
            name = sample.path.name.replace(sample.locale or "", locale, 1) if sample.locale else None
            if sample.path.parent.name == "LC_MESSAGES":
                return sample.path.parent.parent.parent / locale / "LC_MESSAGES" / sample.path.name
            if name and name != sample.path.name:
                return sample.path.parent / name
        if self.languages_dir.name == "po":
            return self.languages_dir / f"{locale}.po"
        return self.languages_dir / f"{self.domain}-{locale}.po"


def read_plugin_header(php_file: str | os.PathLike, fields=_PLUGIN_FIELDS) -> dict[str, str]:
    """The WordPress file header of a plugin main file or theme style.css (first 8 KiB, as WP reads)."""
    try:
        with open(php_file, "rb") as handle:
            head = handle.read(8192).decode("utf-8", "replace").replace("\r", "\n")
    except OSError:
        return {}
    wanted = {name.lower(): name for name in fields}
    header: dict[str, str] = {}
    for match in _HEADER_RE.finditer(head):
        name = wanted.get(match.group(1).strip().lower())
        if name and name not in header and match.group(2):
            header[name] = match.group(2).strip()
    return header


def catalog_kind(name: str) -> str | None:
    """``po``, ``pot``, ``mo`` (also ``.gmo``), ``l10n.php``; None for other files."""
    return CATALOG_KINDS.get(catalog_stem(name)[1])


def _plugin_main_files(folder: Path, php_files: list[str]) -> list[tuple[Path, dict]]:
    found = []
    for name in sorted(php_files):
        header = read_plugin_header(folder / name)
        if "Plugin Name" in header:
            found.append((folder / name, header))
    return found


def _is_wp_languages(folder: Path) -> bool:
    """``wp-content/languages``: where WordPress keeps core's translations and language packs."""
    if folder.name != "languages":
        return False
    parent = folder.parent
    return parent.name == "wp-content" or (parent / "plugins").is_dir() or (parent / "themes").is_dir()


def _core_stem(stem: str) -> tuple[str, str] | None:
    """``admin-network-de_DE`` → ``("admin-network", "de_DE")``; ``de_DE`` → ``("default", "de_DE")``."""
    for domain in sorted(CORE_DOMAINS[1:], key=len, reverse=True):
        if stem.startswith(domain + "-"):
            info = parse_locale(stem[len(domain) + 1:])
            return (domain, info.code) if info else None
    name = parse_catalog_name(stem + ".po")
    return ("default", name.locale) if name.locale and not name.domain else None


def _looks_like_core(folder: Path, names: list[str]) -> bool:
    """Core's files outside a wp-content (a copy of wp-content/languages): a continents-cities or
    admin-network catalog, or ``<locale>`` beside ``admin-<locale>``."""
    cores = {_core_stem(catalog_stem(n)[0]) for n in names if catalog_kind(n) in ("po", "mo", "l10n.php")}
    cores.discard(None)
    if any(domain in ("continents-cities", "admin-network") for domain, _ in cores):
        return True
    return any(("default", locale) in cores for domain, locale in cores if domain == "admin")


def scan(path: str | os.PathLike) -> list[Project]:
    """Every project under ``path`` with its catalogs, sorted by name (WordPress core first)."""
    root = Path(path).resolve()
    if root.is_file():
        return _single_file_project(root)
    projects: list[Project] = []
    loose: dict[Path, list[str]] = {}  # folder -> catalog file names not inside a WP project
    seen: set[str] = set()
    bundled: list[tuple[Path, LeftOut]] = []  # (the folder holding it, a vendor/ or node_modules/ left out)
    # a plugin folder is often a symlink to a checkout elsewhere: follow links, each real folder once
    for folder_name, dir_names, file_names in os.walk(root, followlinks=True):
        folder = Path(folder_name)
        real = os.path.realpath(folder_name)
        if real in seen:
            dir_names[:] = []
            continue
        seen.add(real)
        for name in sorted(set(dir_names) & BUNDLED_DIRS):  # skipped, and said when it holds catalogs
            item = _bundled_left_out(folder / name)
            if item is not None:
                bundled.append((folder, item))
        dir_names[:] = sorted(d for d in dir_names if not skipped_dir(d))
        catalog_names = sorted(n for n in file_names if catalog_kind(n))
        if _is_wp_languages(folder) or (catalog_names and _looks_like_core(folder, catalog_names)):
            core, rest = _core_project(folder, catalog_names)
            if core is not None:
                projects.append(core)
            catalog_names = rest
        php_files = [n for n in file_names if n.endswith(".php") and not n.endswith(".l10n.php")]
        mains = _plugin_main_files(folder, php_files) if php_files else []
        theme = read_plugin_header(folder / "style.css", _THEME_FIELDS) if "style.css" in file_names else {}
        if mains and folder.name == "mu-plugins":
            projects.extend(_mu_plugin(folder, main) for main in mains)
            dir_names[:] = []  # mu-plugins' folders belong to their loader files
            continue
        if mains or "Theme Name" in theme:
            projects.append(_wordpress_project(folder, mains[0] if mains else None, theme))
            dir_names[:] = []  # a plugin's own folders belong to it
            continue
        if catalog_names:
            loose[folder] = catalog_names
    projects.extend(_gettext_projects(root, loose))
    _attach_wordpress_language_packs(projects)
    for project in projects:
        if project.is_wordpress:
            _add_wordpress_problems(project)
    projects.sort(key=lambda p: (p.kind != "wordpress-core", p.name.lower(), str(p.root)))
    _attach_bundled(projects, bundled)
    return projects


def _bundled_left_out(folder: Path) -> LeftOut | None:
    """``folder`` (a vendor/ or node_modules/ no command searches) as left out, with the catalog
    files its packages hold; None when the look finds none (nothing to say)."""
    found = bundled_catalogs(folder, _is_catalog_name)
    if not found:
        return None
    files = tuple(path for paths in found.values() for path in paths)
    count = len(files)
    if count <= 3:
        listed = ", ".join(str(path.relative_to(folder)) for path in files)
    else:
        packages = [f"{_shown_package(package, folder)} ({len(paths)})" for package, paths in found.items()]
        more = len(packages) - 3
        listed = ", ".join(packages[:3]) + (f" and {more} more package{'s' if more != 1 else ''}" if more > 0 else "")
    return LeftOut(folder, f"third-party code, not searched (WP-CLI skips it too); {count} catalog "
                   f"file{'s' if count != 1 else ''} in its packages: {listed}",
                   "name a package's folder to include it", code="bundled", catalog_files=files,
                   include=next(iter(found)))


_CATALOG_ENDINGS = tuple(f".{suffix}" for suffix in CATALOG_KINDS)


def _is_catalog_name(name: str) -> bool:
    """``catalog_kind(name) is not None``, in one C call: the look into a node_modules asks it of
    thousands of names."""
    return name.lower().endswith(_CATALOG_ENDINGS)


def _shown_package(package: Path, folder: Path) -> str:
    return f"{folder.name}/" if package == folder else package.relative_to(folder).as_posix()


def _attach_bundled(projects: list[Project], bundled: list[tuple[Path, LeftOut]]) -> None:
    """Each bundled folder left out goes to the project whose folder holds it (the deepest: a plugin's
    vendor/ is the plugin's), else to a placeholder for the folder holding it, so that every face
    lists it as it lists the other left-out files."""
    placeholders: dict[Path, Project] = {}
    for holder, item in bundled:
        owners = [project for project in projects if project.root == holder or project.root in holder.parents]
        if owners:
            max(owners, key=lambda project: len(project.root.parts)).left_out.append(item)
            continue
        if holder not in placeholders:
            placeholders[holder] = Project(name=holder.name, root=holder, kind="gettext", domain="",
                                           placeholder=True)
        placeholders[holder].left_out.append(item)
    projects.extend(placeholders.values())


def project_at(folder: str | os.PathLike) -> Project | None:
    """The plugin or theme whose root is ``folder`` (its language packs attached), without walking
    the folders below it; None when ``folder`` is not one."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        return None
    php_files = [p.name for p in folder.glob("*.php") if not p.name.endswith(".l10n.php")]
    mains = _plugin_main_files(folder, php_files) if php_files and folder.name != "mu-plugins" else []
    theme = read_plugin_header(folder / "style.css", _THEME_FIELDS) if (folder / "style.css").is_file() else {}
    if not mains and "Theme Name" not in theme:
        return None
    projects = [_wordpress_project(folder, mains[0] if mains else None, theme)]
    _attach_wordpress_language_packs(projects)
    _add_wordpress_problems(projects[0])
    return projects[0]


def projects_in_folder(folder: str | os.PathLike) -> list[Project]:
    """The core or gettext projects whose catalogs sit directly in ``folder``, without walking the
    folders below it (what a catalog file named on the command line belongs to)."""
    folder = Path(folder).resolve()
    try:
        names = sorted(n for n in os.listdir(folder) if catalog_kind(n) and (folder / n).is_file())
    except OSError:
        return []
    projects: list[Project] = []
    if _is_wp_languages(folder) or (names and _looks_like_core(folder, names)):
        core, names = _core_project(folder, names)
        if core is not None:
            _add_wordpress_problems(core)
            projects.append(core)
    projects.extend(_gettext_projects(folder, {folder: names} if names else {}))
    return projects


def _catalog_file(path: Path, kind: str, domain: str, origin: str = "project",
                  name_locale: str | None = None, slug: str | None = None) -> CatalogFile:
    """A catalog with ``catalog_locale``'s answer; a header/file-name conflict is a problem."""
    if kind == "pot":
        return CatalogFile(path, "pot", None, origin, domain)
    # a .mo's header costs a validated read of the whole file (20x the rest of a scan): asked only
    # when its name says no locale; the .po beside it, whose header is cheap, carries any conflict
    header = {} if kind == "mo" and locale_from_filename(path, domain or None, slug) else read_header(path)
    answer = catalog_locale(path, header, domain or None, slug)
    code, source = answer.code, answer.source
    if name_locale and code != name_locale and answer.warning is None and source not in ("file-name", "folder"):
        code, source = name_locale, "file-name"  # a name the folder's layout explains (theme <locale>.po)
    found = CatalogFile(path, kind, code, origin, domain, source)
    if answer.warning:
        found.problems.append(_locale_conflict(path, answer.warning, answer.code, domain or None, slug))
    return found


def _locale_conflict(path: Path, warning: str, header_locale: str, domain: str | None,
                     slug: str | None) -> Problem:
    """Header and file name name two languages: only the user knows which one is right (a name's
    ``ua_UA`` is no language, but WordPress's code for the header's may still differ from it:
    Ukrainian is ``uk``), so ``doctor --fix`` renames nothing and the message gives both ways out
    (doctor said only "still: …")."""
    name_locale = locale_from_filename(path, domain, slug)
    if name_locale is None or name_locale == header_locale:  # de_CH in x-de_DE.po: used as de_DE, as said
        return Problem("locale-conflict", warning)
    unknown = "" if is_known_language(name_locale) else f"{name_locale} names no language; "
    at = path.name.rfind(name_locale)
    ways = (f"rename it to {path.name[:at]}{header_locale}{path.name[at + len(name_locale):]} (or the code your "
            "WordPress uses for that language) if the header is right, or " if at > 0 else "")
    return Problem("locale-conflict", f"{warning}; {unknown}doctor cannot tell which is right: {ways}set its "
                                      f"Language header to {name_locale} if the name is")


def _core_project(folder: Path, names: list[str]) -> tuple[Project | None, list[str]]:
    """WordPress core's catalogs in ``folder`` as one project; the other names are returned."""
    project = Project(name="WordPress", root=folder, kind="wordpress-core", domain="default")
    rest = []
    for name in names:
        kind = catalog_kind(name)
        core = _core_stem(catalog_stem(name)[0])
        if kind == "pot" and catalog_stem(name)[0] in ("wordpress", "admin", "admin-network", "continents-cities"):
            stem = catalog_stem(name)[0]
            project.files.append(CatalogFile(folder / name, "pot", None, "project",
                                             "default" if stem == "wordpress" else stem))
        elif core is not None and kind != "pot":
            domain, locale = core
            catalog_file = _catalog_file(folder / name, kind, domain, "wp-languages")
            if catalog_file.locale is None:
                catalog_file.locale, catalog_file.locale_source = locale, "file-name"
            project.files.append(catalog_file)
        else:
            rest.append(name)
    return (project if any(f.kind != "pot" for f in project.files) else None), rest


def _mu_plugin(folder: Path, main: tuple[Path, dict]) -> Project:
    main_file, header = main
    domain = header.get("Text Domain") or main_file.stem
    project = Project(name=header["Plugin Name"], root=folder, kind="wordpress-mu-plugin", domain=domain,
                      version=header.get("Version", ""), main_file=main_file,
                      domain_path=header.get("Domain Path", ""), header=header)
    search = [folder, folder / "languages", folder / main_file.stem, folder / main_file.stem / "languages"]
    if project.domain_path:
        search.insert(0, folder / project.domain_path.strip("/"))
    _collect(project, search, only_domain=True)
    return project


def _wordpress_project(folder: Path, main, theme: dict) -> Project:
    if main:
        main_file, header = main
        kind, name = "wordpress-plugin", header["Plugin Name"]
    else:
        main_file, header = folder / "style.css", theme
        kind, name = "wordpress-theme", theme["Theme Name"]
    domain = header.get("Text Domain") or folder.name
    project = Project(name=name, root=folder, kind=kind, domain=domain, version=header.get("Version", ""),
                      main_file=main_file, domain_path=header.get("Domain Path", ""), header=header)
    search = [project.languages_dir, folder / "languages", folder / "lang", folder / "i18n", folder]
    _collect(project, search)
    return project


def _collect(project: Project, folders: list[Path], only_domain: bool = False) -> None:
    """Every catalog in ``folders`` that belongs to the project: its domain, a misnamed copy of it
    (``slug_de_DE.po``, ``<slug>-de_DE.po`` when the text domain differs, a theme-style or plugin-style
    name), or, in the project's own folders, another domain it bundles (a library's catalogs)."""
    seen: set[Path] = set()
    known = {f.path for f in project.files}
    for directory in folders:
        directory = directory.resolve() if directory.exists() else directory
        if directory in seen or not directory.is_dir():
            continue
        seen.add(directory)
        for entry in sorted(directory.iterdir()):
            kind = catalog_kind(entry.name)
            if kind is None or not entry.is_file() or entry in known:
                continue
            found = _project_catalog(project, entry, kind, "project")
            if found is None or (only_domain and found.domain != project.domain):
                continue
            if found.locale is None and kind != "pot":
                project.left_out.append(_no_locale(entry, "" if project.kind == "wordpress-theme" else project.domain))
                continue
            project.files.append(found)
            known.add(entry)


def _project_catalog(project: Project, path: Path, kind: str, origin: str) -> CatalogFile | None:
    """The catalog at ``path`` as this project's (domain + locale), or None when it is none of its;
    a translation of its domain that no header, name or folder gives a locale has ``locale`` None."""
    domain = project.domain
    name = parse_catalog_name(path.name, domain, project.slug)
    if kind == "pot":
        if name.domain in (domain, project.slug) or (origin == "project" and project.template is None):
            return CatalogFile(path, "pot", None, origin, domain if name.domain in (domain, project.slug)
                               else name.domain)
        return None
    if name.locale is None:
        # no locale in its name: the project's only if its header says a language (WordPress never
        # loads it; the problem found later says under which name it would)
        return _catalog_file(path, kind, domain, origin, slug=project.slug)
    if name.domain in (domain, project.slug, ""):
        theme_name = project.kind == "wordpress-theme" and origin == "project" and not name.domain
        return _catalog_file(path, kind, domain, origin, name.locale if theme_name else None, project.slug)
    if origin == "project":  # another text domain the plugin bundles: listed, never renamed
        return _catalog_file(path, kind, name.domain, origin)
    return None


def _expected_name(project: Project, catalog_file: CatalogFile) -> str | None:
    """The file name WordPress loads this catalog by, in its folder."""
    suffix = catalog_stem(catalog_file.path.name)[1]
    suffix = "mo" if suffix == "gmo" else suffix
    locale = (parse_catalog_name(catalog_file.path.name, catalog_file.domain, project.slug).locale
              or catalog_file.locale)
    if not locale:
        return None
    if project.kind == "wordpress-core":
        prefix = "" if catalog_file.domain == "default" else f"{catalog_file.domain}-"
        return f"{prefix}{locale}.{suffix}"
    if project.kind == "wordpress-theme" and catalog_file.origin == "project":
        return f"{locale}.{suffix}"
    return f"{catalog_file.domain}-{locale}.{suffix}"


def _inside(folder: Path, root: Path) -> bool:
    resolved, resolved_root = folder.resolve(), root.resolve()
    return resolved == resolved_root or resolved_root in resolved.parents


def _add_wordpress_problems(project: Project) -> None:
    """Name each catalog WordPress would not load as it is (and the name it would load)."""
    by_stem: dict[Path, set[str]] = {}
    for catalog_file in project.files:
        stem, suffix = catalog_stem(catalog_file.path.name)
        by_stem.setdefault(catalog_file.path.parent / stem, set()).add(CATALOG_KINDS.get(suffix, suffix))
    others = {f.domain for f in project.files if f.kind != "pot" and f.origin == "project"
              and f.domain not in (project.domain, *CORE_DOMAINS[1:]) and is_domain(f.domain)}
    loads = domain_loads(project.root, others) if others and project.kind != "wordpress-core" else {}
    for catalog_file in project.files:
        if catalog_file.kind == "pot" or not is_domain(catalog_file.domain):
            continue  # "Text Domain: ../x" names no file (paths.py refuses it)
        compiled = _compiled_beside(catalog_file.path, by_stem)
        if catalog_file.domain in others:
            loaders = [load for load in loads.get(catalog_file.domain, []) if not load.for_scripts]
            catalog_file.problems.append(_other_domain_note(project, catalog_file, loads.get(catalog_file.domain, []),
                                                            compiled))
            if loaders and catalog_file.kind == "po" and not compiled:
                catalog_file.problems.append(_not_compiled(catalog_file.path))
            continue
        if catalog_file.domain not in (project.domain, *CORE_DOMAINS[1:]):
            continue
        expected = _expected_name(project, catalog_file)
        path = catalog_file.path
        if expected and expected != path.name:
            target = path.with_name(expected)
            loaded = catalog_stem(expected)[0] + ".mo"  # what WordPress opens (or its .l10n.php)
            compiled_too = "" if catalog_file.kind != "po" else " (nor a .mo compiled beside it)"
            if project.kind == "wordpress-theme" and catalog_file.origin == "project":
                code = "domain-in-theme-name"
                why = (f"WordPress loads a theme's own translations as <locale>.mo ({loaded}); "
                       f"it never loads {path.name}{compiled_too}")
            elif parse_catalog_name(path.name, catalog_file.domain).separator not in ("-", ""):
                code = "misnamed-separator"
                why = f"WordPress loads {loaded} (domain, '-', locale); it never loads {path.name}{compiled_too}"
            elif not parse_catalog_name(path.name, catalog_file.domain).domain:
                code = "locale-only-name"
                why = (f"WordPress loads a plugin's translations as {loaded}; "
                       f"it never loads {path.name}{compiled_too}")
            else:
                code = "wrong-domain"
                why = (f"the text domain is {catalog_file.domain!r}: WordPress loads {loaded}; "
                       f"it never loads {path.name}{compiled_too}")
            catalog_file.problems.append(Problem(code, why, target))
        elif (project.domain_path and catalog_file.origin == "project" and project.kind != "wordpress-core"
              and path.parent.resolve() != project.languages_dir.resolve()
              and _inside(project.languages_dir, project.root)):  # "Domain Path: /../../x" is no fix
            target = project.languages_dir / path.name
            catalog_file.problems.append(Problem(
                "misplaced", f"Domain Path is {project.domain_path}: WordPress looks for it in "
                f"{project.languages_dir.name}/, not {path.parent.name}/", target))
        if catalog_file.kind == "po" and not compiled:
            catalog_file.problems.append(_not_compiled(path))


def _compiled_beside(path: Path, by_stem: dict[Path, set[str]] | None = None) -> bool:
    """A .mo or .l10n.php of the same name sits beside ``path`` (what WordPress reads of a .po)."""
    stem = catalog_stem(path.name)[0]
    if by_stem is not None:
        return bool(by_stem.get(path.parent / stem, set()) & {"mo", "l10n.php"})
    return any((path.parent / f"{stem}.{suffix}").is_file() for suffix in ("mo", "l10n.php"))


def _not_compiled(path: Path) -> Problem:
    return Problem("not-compiled", f"{path.name} has no .mo or .l10n.php beside it: WordPress reads only "
                   "those, so this translation is not used until it is compiled (transkit compile)")


def _other_domain_note(project: Project, catalog_file: CatalogFile, loads: list[DomainLoad],
                       compiled: bool) -> Problem:
    """A catalog of another text domain the plugin or theme ships (a block's, a bundled library's):
    whether WordPress loads it (a call naming that domain in its PHP) and what commands do with it.
    The message does not name the file: a .po and its .mo share it (one row of ``scan``)."""
    domain, whose = catalog_file.domain, "theme" if project.kind == "wordpress-theme" else "plugin"
    loaders = [load for load in loads if not load.for_scripts]
    scripts = [load for load in loads if load.for_scripts]
    message = f"translates the text domain {domain!r}, not the {whose}'s {project.domain!r}: "
    if loaders:
        message += f"WordPress loads it, the {whose} loads that domain ({_call_place(loaders[0], project.root)})"
        short = f"other domain; the {whose} loads it"
    elif scripts:
        message += (f"the {whose}'s scripts use that domain ({_call_place(scripts[0], project.root)}), so "
                    "WordPress reads their translations from JSON files made from it; no "
                    "load_plugin_textdomain or load_textdomain call naming it loads its .mo")
        short = "other domain; for its scripts (JSON)"
    else:
        message += (f"loaded only if the {whose} loads text domain {domain!r} (no load_plugin_textdomain, "
                    "load_textdomain or wp_set_script_translations call in its PHP names it)")
        short = f"other domain; loaded only if the {whose} loads it"
    if not loaders and catalog_file.kind == "po" and not compiled:
        message += "; it has no .mo beside it either"
        short += "; no .mo"
    message += (f". fill, check and review include it; `transkit export` of the {whose} gives back only its "
                f"{project.domain!r} catalogs (name this file to export it)")
    return Problem("other-domain", message, severity="note", short=short)


def _call_place(load: DomainLoad, root: Path) -> str:
    try:
        where = load.path.relative_to(root)
    except ValueError:
        where = load.path
    return f"{load.function} in {where}:{load.line}"


def _attach_wordpress_language_packs(projects: list[Project]) -> None:
    """``wp-content/languages/plugins|themes`` (and Loco's copies) hold translations of plugins and
    themes too — found whether the scan started at wp-content, at wp-content/plugins or inside one
    plugin. Must-use plugins' packs sit with the plugins'."""
    folders = {"plugins": "plugins", "themes": "themes", "mu-plugins": "plugins"}
    for project in projects:
        if project.kind == "wordpress-mu-plugin":
            wp_content, kind = project.root.parent, "plugins"
        elif project.is_wordpress and project.root.parent.name in folders:
            wp_content, kind = project.root.parent.parent, folders[project.root.parent.name]
        else:
            continue
        known = {f.path for f in project.files}
        for folder, origin in ((wp_content / "languages" / kind, "wp-languages"),
                               (wp_content / "languages" / "loco" / kind, "loco")):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                kind_of = catalog_kind(path.name)
                if kind_of in (None, "pot") or not path.is_file() or path in known:
                    continue
                name = parse_catalog_name(path.name, project.domain, project.slug)
                if name.domain in (project.domain, project.slug) and name.locale:
                    project.files.append(_catalog_file(path, kind_of, project.domain, origin, slug=project.slug))
    # the language-pack folders were also walked as loose catalogs: drop those duplicates
    claimed = {f.path for p in projects if p.kind != "gettext" for f in p.files}
    for project in [p for p in projects if p.kind == "gettext"]:
        project.files = [f for f in project.files if f.path not in claimed]
        if not project.files and not project.left_out:
            projects.remove(project)


def _gettext_projects(root: Path, loose: dict[Path, list[str]]) -> list[Project]:
    """Group catalogs outside WordPress projects by (project root, domain)."""
    groups: dict[tuple[Path, str], Project] = {}
    left_out: dict[tuple[Path, str], list[LeftOut]] = {}

    def add(project_root: Path, domain: str, catalog_file: CatalogFile) -> None:
        key = (project_root, domain)
        if key not in groups:
            groups[key] = Project(name=domain, root=project_root, kind="gettext", domain=domain)
        groups[key].files.append(catalog_file)

    for folder, names in sorted(loose.items()):
        if folder.name == "LC_MESSAGES":
            # locale/<ll>/LC_MESSAGES/<domain>.po — Babel's translations/ is the same shape
            locale_dir = folder.parent
            project_root = locale_dir.parent.parent if locale_dir.parent != root else root
            for name in names:
                kind = catalog_kind(name)
                domain = catalog_stem(name)[0]
                add(project_root, domain, _catalog_file(folder / name, kind, domain))
            continue
        templates = sorted(catalog_stem(n)[0] for n in names if catalog_kind(n) == "pot")
        po_style = folder.name == "po" or (folder / "LINGUAS").is_file()
        parent_is_locale_dirs = folder.parent.name in ("locale", "translations") and parse_locale(folder.name)
        for name in names:
            kind = catalog_kind(name)
            path = folder / name
            stem = catalog_stem(name)[0]
            if kind == "pot":
                domain = stem
            elif po_style and parse_catalog_name(name).locale and not parse_catalog_name(name).domain:
                domain = templates[0] if templates else (folder.parent.name if folder != root else folder.name)
            elif parent_is_locale_dirs:  # locale/<ll>/<domain>.po without LC_MESSAGES
                domain = stem
            else:
                domain = _domain_of(name, templates)
            if po_style:
                project_root = folder.parent if folder != root else folder
            elif parent_is_locale_dirs:
                project_root = folder.parent.parent
            else:
                project_root = folder
            catalog_file = _catalog_file(path, kind, domain)
            if parent_is_locale_dirs and kind != "pot":
                catalog_file.locale, catalog_file.locale_source = parse_locale(folder.name).code, "folder"
            if kind != "pot" and catalog_file.locale is None:  # nothing says a language: listed, not used
                left_out.setdefault((project_root, domain), []).append(_no_locale(path, "" if po_style else domain))
                continue
            add(project_root, domain, catalog_file)
    for (project_root, domain), items in left_out.items():
        if (project_root, domain) not in groups:  # a project with no usable catalog still lists its file
            groups[(project_root, domain)] = Project(name=domain, root=project_root, kind="gettext", domain=domain)
        groups[(project_root, domain)].left_out.extend(items)
    projects = list(groups.values())
    _note_uninstalled_packs(projects)
    for project in projects:
        # po/ and locale/ layouts sit in a project folder whose name says more than the domain
        project_level = any(f.path.parent.name in ("po", "LC_MESSAGES") for f in project.files)
        if project_level and project.root != root:
            project.name = project.root.name
    return projects


def _note_uninstalled_packs(projects: list[Project]) -> None:
    """A catalog in ``wp-content/languages/plugins|themes`` (or Loco's copies) that no installed
    plugin or theme claims — a language pack left behind by a deleted one: WordPress never loads it.
    Said only where the ``plugins`` (``themes``) folder beside it shows what is installed."""
    installed: dict[Path, set[str]] = {}
    for project in projects:
        for catalog_file in project.files:
            folder = catalog_file.path.parent
            if catalog_file.kind == "pot" or folder.name not in ("plugins", "themes"):
                continue
            languages = folder.parent.parent if folder.parent.name == "loco" else folder.parent
            if not _is_wp_languages(languages) or not (languages.parent / folder.name).is_dir():
                continue
            owners = languages.parent / folder.name
            if _folder_named(owners, catalog_file.domain):  # the usual case: slug = text domain
                continue
            if owners not in installed:  # else the headers' text domains, read once
                installed[owners] = _installed_names(owners)
            if catalog_file.domain in installed[owners]:
                continue
            whose = "plugin" if folder.name == "plugins" else "theme"
            compiled = catalog_file.kind != "po" or _compiled_beside(catalog_file.path)
            shown = f"{owners.parent.name}/{owners.name}"
            message = (f"a language pack of {catalog_file.domain!r}, a {whose} that is not installed (no "
                       f"{whose} in {shown} has that slug or text domain): WordPress never loads it")
            short = f"{whose} not installed: never loaded"
            if not compiled:
                message += "; it has no .mo beside it either"
                short += "; no .mo"
            catalog_file.problems.append(Problem("not-installed", message, severity="note", short=short))


def _folder_named(owners: Path, domain: str) -> bool:
    return is_domain(domain) and ((owners / domain).is_dir() or (owners / f"{domain}.php").is_file()
                                  or (owners.name == "plugins" and (owners.parent / "mu-plugins" / f"{domain}.php").is_file()))


def _installed_names(owners: Path) -> set[str]:
    """The slugs and text domains of the plugins (or themes) in ``owners`` (``wp-content/plugins``),
    must-use plugins with the plugins: what a language pack in ``languages/plugins`` may belong to."""
    names: set[str] = set()
    folders = [owners] + ([owners.parent / "mu-plugins"] if owners.name == "plugins" else [])
    for folder in folders:
        try:
            entries = sorted(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                names.add(entry.name)  # any folder: never say "not installed" of one WordPress may list
                fields = _THEME_FIELDS if owners.name == "themes" else _PLUGIN_FIELDS
                files = [entry / "style.css"] if owners.name == "themes" else sorted(entry.glob("*.php"))
                for candidate in files:
                    domain = read_plugin_header(candidate, fields).get("Text Domain")
                    if domain:
                        names.add(domain)
            elif entry.suffix == ".php" and owners.name == "plugins":
                header = read_plugin_header(entry)
                if "Plugin Name" in header:
                    names.update({entry.stem, header.get("Text Domain", entry.stem)})
    return names


def _domain_of(name: str, templates: list[str]) -> str:
    """The domain of a loose catalog: the longest template name it starts with, else its name
    without the locale (a file whose name holds no locale is its own domain)."""
    for domain in sorted(templates, key=len, reverse=True):
        parsed = parse_catalog_name(name, domain)
        if parsed.domain == domain and parsed.locale:
            return domain
    parsed = parse_catalog_name(name)
    if parsed.locale and not parsed.domain:
        return templates[0] if len(templates) == 1 else catalog_stem(name)[0]
    return parsed.domain


def _single_file_project(path: Path) -> list[Project]:
    kind = catalog_kind(path.name)
    if kind is None:
        return []
    if path.parent.name == "LC_MESSAGES":
        domain = catalog_stem(path.name)[0]
    else:
        domain = parse_catalog_name(path.name).domain or catalog_stem(path.name)[0]
    return [Project(name=domain, root=path.parent, kind="gettext", domain=domain,
                    files=[_catalog_file(path, kind, domain)])]

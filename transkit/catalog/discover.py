"""Find the projects under a folder and their catalogs.

Understands WordPress plugins (main PHP file header: ``Plugin Name``, ``Version``, ``Text Domain``,
``Domain Path``), themes (``style.css`` header), a whole ``wp-content`` (plus the translations
WordPress itself installs in ``wp-content/languages/plugins/`` and Loco's ``languages/loco/plugins/``),
and generic gettext layouts: ``po/*.po`` (+ ``LINGUAS``), ``locale/<ll>/LC_MESSAGES/<domain>.po``,
Babel ``translations/``, loose ``<domain>.pot`` / ``<domain>-<locale>.po`` files, grouped by domain.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from transkit.catalog.locales import locale_from_filename, parse_locale

# transkit-export/ holds copies `transkit export` wrote: listing them as projects would count twice
SKIPPED_DIRS = {".git", ".svn", ".hg", "node_modules", "vendor", "__pycache__", ".transkit", ".tox", ".venv",
                "transkit-export"}
CATALOG_SUFFIXES = (".l10n.php", ".po", ".pot", ".mo", ".gmo")
_HEADER_RE = re.compile(r"^[ \t/*#@]*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*?)\s*(?:\*/|\?>)?\s*$", re.M)
_PLUGIN_FIELDS = ("Plugin Name", "Plugin URI", "Version", "Description", "Author", "Author URI",
                  "Text Domain", "Domain Path", "Requires at least", "Requires PHP", "License")
_THEME_FIELDS = ("Theme Name", "Theme URI", "Version", "Description", "Author", "Author URI",
                 "Text Domain", "Domain Path")


@dataclass
class CatalogFile:
    path: Path
    kind: str  # "pot", "po", "mo", "l10n.php"
    locale: str | None = None  # None for templates
    origin: str = "project"  # "project", "wp-languages" (WordPress language packs), "loco"


@dataclass
class Project:
    """A plugin, theme or gettext project and its catalogs."""

    name: str
    root: Path
    kind: str  # "wordpress-plugin", "wordpress-theme", "gettext"
    domain: str
    version: str = ""
    main_file: Path | None = None
    domain_path: str = ""
    header: dict[str, str] = field(default_factory=dict)
    files: list[CatalogFile] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.root.name

    @property
    def template(self) -> Path | None:
        for catalog_file in self.files:
            if catalog_file.kind == "pot":
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
        return self.root / "languages" if self.kind.startswith("wordpress") else self.root / "po"

    @property
    def locales(self) -> list[str]:
        return sorted({f.locale for f in self.files if f.locale})

    def po_files(self, locale: str | None = None) -> list[Path]:
        return [f.path for f in self.files if f.kind == "po" and (locale is None or f.locale == locale)]

    def po_for(self, locale: str) -> Path | None:
        """The PO a translator edits for this locale: the project's own before a language pack's."""
        candidates = [f for f in self.files if f.kind == "po" and f.locale == locale]
        candidates.sort(key=lambda f: f.origin != "project")
        return candidates[0].path if candidates else None

    def new_po_path(self, locale: str) -> Path:
        """Where ``transkit init`` creates this locale's PO, named the way the project names them."""
        existing = [f for f in self.files if f.kind == "po" and f.origin == "project"]
        if existing:
            sample = existing[0]
            name = sample.path.name.replace(sample.locale or "", locale, 1) if sample.locale else None
            if sample.path.parent.name == "LC_MESSAGES":
                return sample.path.parent.parent.parent / locale / "LC_MESSAGES" / sample.path.name
            if name:
                return sample.path.parent / name
        if self.kind == "gettext" and self.languages_dir.name == "po":
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


def _catalog_kind(name: str) -> str | None:
    lower = name.lower()
    for suffix in CATALOG_SUFFIXES:
        if lower.endswith(suffix):
            return {".gmo": "mo"}.get(suffix, suffix.lstrip("."))
    return None


def _plugin_main_file(folder: Path, php_files: list[str]) -> tuple[Path, dict] | None:
    for name in sorted(php_files):
        header = read_plugin_header(folder / name)
        if "Plugin Name" in header:
            return folder / name, header
    return None


def scan(path: str | os.PathLike) -> list[Project]:
    """Every project under ``path`` with its catalogs, sorted by name."""
    root = Path(path).resolve()
    if root.is_file():
        return _single_file_project(root)
    projects: list[Project] = []
    loose: dict[Path, list[str]] = {}  # folder -> catalog file names not inside a WP project
    for folder_name, dir_names, file_names in os.walk(root):
        folder = Path(folder_name)
        dir_names[:] = sorted(d for d in dir_names if d not in SKIPPED_DIRS and not d.startswith("."))
        php_files = [n for n in file_names if n.endswith(".php") and not n.endswith(".l10n.php")]
        main = _plugin_main_file(folder, php_files) if php_files else None
        theme = read_plugin_header(folder / "style.css", _THEME_FIELDS) if "style.css" in file_names else {}
        if main or "Theme Name" in theme:
            projects.append(_wordpress_project(folder, main, theme))
            dir_names[:] = []  # a plugin's own folders belong to it
            continue
        catalog_names = [n for n in file_names if _catalog_kind(n)]
        if catalog_names:
            loose[folder] = catalog_names
    projects.extend(_gettext_projects(root, loose))
    _attach_wordpress_language_packs(projects)
    projects.sort(key=lambda p: (p.name.lower(), str(p.root)))
    return projects


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
    search = [project.languages_dir, folder / "languages", folder / "lang", folder]
    seen: set[Path] = set()
    for directory in search:
        if directory in seen or not directory.is_dir():
            continue
        seen.add(directory)
        for entry in sorted(directory.iterdir()):
            catalog_file = _wordpress_catalog(entry, domain)
            if catalog_file and catalog_file.path not in {f.path for f in project.files}:
                project.files.append(catalog_file)
    return project


def _wordpress_catalog(path: Path, domain: str, origin: str = "project") -> CatalogFile | None:
    kind = _catalog_kind(path.name)
    if kind is None or not path.is_file():
        return None
    stem = path.name[: -len(kind) - 1]
    if kind == "pot":
        return CatalogFile(path, "pot", None, origin) if stem == domain else None
    if not stem.startswith(domain + "-"):
        return None
    info = parse_locale(stem[len(domain) + 1:])
    return CatalogFile(path, kind, info.code, origin) if info else None


def _attach_wordpress_language_packs(projects: list[Project]) -> None:
    """``wp-content/languages/plugins`` (and Loco's copies) hold translations of plugins too — found
    whether the scan started at wp-content, at wp-content/plugins or inside one plugin."""
    for project in projects:
        if not project.kind.startswith("wordpress") or project.root.parent.name not in ("plugins", "themes"):
            continue
        wp_content = project.root.parent.parent
        kind = project.root.parent.name
        known = {f.path for f in project.files}
        for folder, origin in ((wp_content / "languages" / kind, "wp-languages"),
                               (wp_content / "languages" / "loco" / kind, "loco")):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                catalog_file = _wordpress_catalog(path, project.domain, origin)
                if catalog_file and catalog_file.kind != "pot" and catalog_file.path not in known:
                    project.files.append(catalog_file)
    # the language-pack folders were also walked as loose catalogs: drop those duplicates
    claimed = {f.path for p in projects for f in p.files if f.origin != "project"}
    for project in [p for p in projects if p.kind == "gettext"]:
        project.files = [f for f in project.files if f.path not in claimed]
        if not project.files:
            projects.remove(project)


def _gettext_projects(root: Path, loose: dict[Path, list[str]]) -> list[Project]:
    """Group catalogs outside WordPress projects by (project root, domain)."""
    groups: dict[tuple[Path, str], Project] = {}

    def add(project_root: Path, domain: str, catalog_file: CatalogFile) -> None:
        key = (project_root, domain)
        if key not in groups:
            groups[key] = Project(name=domain, root=project_root, kind="gettext", domain=domain)
        groups[key].files.append(catalog_file)

    for folder, names in sorted(loose.items()):
        if folder.name == "LC_MESSAGES":
            # locale/<ll>/LC_MESSAGES/<domain>.po — Babel's translations/ is the same shape
            locale_dir = folder.parent
            info = parse_locale(locale_dir.name)
            project_root = locale_dir.parent.parent if locale_dir.parent != root else root
            for name in names:
                kind = _catalog_kind(name)
                domain = name[: -len(kind) - 1] if kind != "mo" or not name.endswith(".gmo") else name[:-4]
                add(project_root, domain, CatalogFile(folder / name, kind, info.code if info else None))
            continue
        templates = sorted(n[:-4] for n in names if n.endswith(".pot"))
        po_style = folder.name == "po" or (folder / "LINGUAS").is_file()
        for name in names:
            kind = _catalog_kind(name)
            path = folder / name
            stem = name[: -len(".gmo")] if name.endswith(".gmo") else name[: -len(kind) - 1]
            parent_is_locale_dirs = folder.parent.name in ("locale", "translations") and parse_locale(folder.name)
            if kind == "pot":
                domain, locale = stem, None
            elif po_style and parse_locale(stem):
                domain = templates[0] if templates else (folder.parent.name if folder != root else folder.name)
                locale = parse_locale(stem).code
            elif parent_is_locale_dirs:  # locale/<ll>/<domain>.po without LC_MESSAGES
                domain, locale = stem, parse_locale(folder.name).code
            else:
                domain, locale = _split_domain_locale(stem, templates)
                if locale is None:
                    continue
            if po_style:
                project_root = folder.parent if folder != root else folder
            elif parent_is_locale_dirs:
                project_root = folder.parent.parent
            else:
                project_root = folder
            add(project_root, domain, CatalogFile(path, kind, locale))
    projects = list(groups.values())
    for project in projects:
        # po/ and locale/ layouts sit in a project folder whose name says more than the domain
        project_level = any(f.path.parent.name in ("po", "LC_MESSAGES") for f in project.files)
        if project_level and project.root != root:
            project.name = project.root.name
    return projects


def _split_domain_locale(stem: str, templates: list[str]) -> tuple[str, str | None]:
    for domain in sorted(templates, key=len, reverse=True):
        if stem.startswith(domain + "-") and parse_locale(stem[len(domain) + 1:]):
            return domain, parse_locale(stem[len(domain) + 1:]).code
    for index in range(len(stem) - 1, 0, -1):
        if stem[index] == "-" and parse_locale(stem[index + 1:]):
            return stem[:index], parse_locale(stem[index + 1:]).code
    return stem, None


def _single_file_project(path: Path) -> list[Project]:
    kind = _catalog_kind(path.name)
    if kind is None:
        return []
    locale = None if kind == "pot" else locale_from_filename(path)
    stem = path.name[: -len(kind) - 1]
    domain = stem if kind == "pot" else (_split_domain_locale(stem, [])[0] if "-" in stem else stem)
    if path.parent.name == "LC_MESSAGES":
        domain = stem
    return [Project(name=domain, root=path.parent, kind="gettext", domain=domain,
                    files=[CatalogFile(path, kind, locale)])]

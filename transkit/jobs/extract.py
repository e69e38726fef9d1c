"""Use case: build a plugin's (or theme's) template (.pot) from its sources.

Most plugins on wordpress.org no longer ship a .pot (translate.wordpress.org builds it), so a local
translator needs one first. ``transkit extract`` calls this, and so do ``scan``/``init`` when a plugin
has no template.

A template the plugin ships is the maintainer's: it is replaced only with ``force`` (one that
transkit wrote earlier, ``X-Generator: transkit``, is simply rebuilt), and the result always says
which entries the new one adds and removes. ``dry_run`` does all the work and writes nothing.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from transkit import __version__
from transkit.catalog import Catalog, load_catalog
from transkit.catalog.extract import (ExtractedTemplate, ExtractSummary, SourceProblem, TemplateOptions, build_template,
                                      find_main_file)
from transkit.catalog.model import no_cyclic_gc
from transkit.catalog.paths import catalog_file_in, safe_domain
from transkit.errors import CatalogError, ExitCode, TranskitError
from transkit.jobs.progress import CancelToken, ProgressReporter, ProgressSink
from transkit.upstream.message import counted

_SKIPPED_DIRS = {".git", "node_modules", "vendor", "po", "languages"}
Key = tuple[str | None, str]


class HeadersError(TranskitError):
    """--headers names a field or value that would break the template's header: a usage error (exit 2),
    as --help says, not an unreadable catalog."""

    exit_code = ExitCode.USAGE


class NotATemplate(TranskitError):
    """The output path holds a file a template must never replace — a translation, or a file that is
    no catalog at all (a source file, say): refused, --force or not, exit 2 as a wrong --output is."""

    exit_code = ExitCode.USAGE


@dataclass
class ExtractResult:
    path: Path  # the template written (or that would be written)
    entry_count: int  # messages, header not counted
    domain: str = ""
    plugin_name: str = ""
    php_files: int = 0  # Blade templates included
    blade_files: int = 0
    js_files: int = 0
    js_map_files: int = 0  # source maps (build/index.js.map), read for the sources they hold
    json_files: int = 0
    excluded_files: int = 0
    excluded_folders: list[str] = field(default_factory=list)
    links_not_followed: list[tuple[str, str]] = field(default_factory=list)  # (link, folder read instead)
    problems: list[SourceProblem] = field(default_factory=list)
    summary: ExtractSummary = field(default_factory=ExtractSummary)
    written: bool = False
    dry_run: bool = False
    replaced: bool = False  # an existing template was there
    refused: str = ""  # why an existing template was not overwritten ("" when it was, or none existed)
    added: list[Key] = field(default_factory=list)  # entries the new template has and the old lacked
    removed: list[Key] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """"file:line: message", one per source problem (made when asked: an audit gives thousands)."""
        return [str(problem) for problem in self.problems]

    @property
    def errors(self) -> list[SourceProblem]:
        return [p for p in self.problems if p.severity == "error"]

    def as_dict(self) -> dict:
        return {
            "path": str(self.path), "written": self.written, "dry_run": self.dry_run, "refused": self.refused,
            "domain": self.domain, "plugin_name": self.plugin_name, "entries": self.entry_count,
            "files": {"php": self.php_files, "blade": self.blade_files, "js": self.js_files,
                      "js_maps": self.js_map_files, "json": self.json_files,
                      "excluded": self.excluded_files, "excluded_folders": self.excluded_folders,
                      "links_not_followed": [{"link": link, "read_as": target}
                                             for link, target in self.links_not_followed]},
            **self.summary.as_dict(),
            "existing_template": {"replaced": self.replaced, "added": [_key_dict(k) for k in self.added],
                                  "removed": [_key_dict(k) for k in self.removed]},
            "problems": [p.as_dict() for p in self.problems],
        }


def _key_dict(key: Key) -> dict:
    return {"msgctxt": key[0], "msgid": key[1]}


def default_template_path(plugin_dir: str | os.PathLike, domain: str, header_fields: dict[str, str]) -> Path:
    """Where WP-CLI puts it: ``<Domain Path>/<domain>.pot`` inside the plugin, else its top folder."""
    plugin_dir = Path(plugin_dir)
    # the header is the plugin author's data: "Text Domain: ../../x" must not choose where we write
    domain = safe_domain(domain, "Text Domain", plugin_dir)
    return catalog_file_in(plugin_dir, header_fields.get("Domain Path", ""), f"{domain}.pot", plugin_dir)


def extract_template(plugin_dir: str | os.PathLike, domain: str | None = None,
                     output: str | os.PathLike | None = None, *, force: bool = False, dry_run: bool = False,
                     exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
                     ignore_domain: bool = False, skip: frozenset[str] = frozenset(),
                     slug: str | None = None, package_name: str | None = None,
                     headers: dict[str, str] | None = None, file_comment: str | None = None,
                     location: bool = True, audit: bool = True,
                     merge: tuple[str | os.PathLike, ...] | None = None,
                     subtract: tuple[str | os.PathLike, ...] = (),
                     progress: ProgressSink | None = None,
                     cancel: CancelToken | None = None) -> ExtractResult:
    """Extract the messages of ``domain`` (default: the ``Text Domain`` header) into a template.

    The options are ``wp i18n make-pot``'s: ``slug`` (default: the folder's name) is the domain's
    fallback, names the bug address and, when given, the template (``<slug>.pot``); ``package_name``,
    ``headers`` (fields set last), ``file_comment`` and ``location`` (False: no ``#:`` lines) shape
    the output; ``merge`` names templates whose entries come first (an empty tuple: the template
    being written, if it exists); ``subtract`` templates whose strings are left out; ``audit`` looks
    for likely mistakes in the strings (warnings with file and line, counted by code).

    Files that could not be read or parsed (fully) and calls whose strings are lost are listed in
    ``problems`` (file and line); the template is still built from everything else. Raises
    ``TranskitError`` when the folder does not exist, holds no source, or none of its sources has a
    message of the domain, or a --merge/--subtract template cannot be read; nothing is written then
    (an empty template would pass for a finished one in scan)."""
    with no_cyclic_gc():  # through building and writing: one cycle collection at the end, not one per step
        return _extract_template(plugin_dir, domain, output, force, dry_run, exclude, include, ignore_domain,
                                 skip, slug, package_name, headers or {}, file_comment, location, audit, merge,
                                 subtract, progress, cancel)


def _extract_template(plugin_dir, domain, output, force, dry_run, exclude, include, ignore_domain, skip, slug,
                      package_name, headers, file_comment, location, audit, merge, subtract,
                      progress, cancel) -> ExtractResult:
    folder = Path(plugin_dir)
    steps = ProgressReporter(progress, "files", cancel=cancel)

    def on_file(done: int, total: int, path: str) -> None:
        if cancel is not None:
            cancel.raise_if_cancelled()  # nothing is written: a partial template would look whole
        steps.update(done, total, path)

    header_fields = _checked_headers(headers)
    if slug is not None:
        slug = safe_domain(slug, "--slug", folder)
    target = Path(output) if output is not None else default_target(folder, domain, slug, ignore_domain)
    existing = _read_existing(target)  # read once: refused?, --merge alone, then what the new one changes
    _refuse_replacing_a_non_template(existing, target, folder, domain, slug, ignore_domain)
    notes: list[SourceProblem] = []
    # --merge without paths: the template being written (when it exists)
    merged = _templates(merge if merge else (target,) if merge is not None else (), "--merge", notes,
                        {target: existing})
    subtracted = _templates(subtract, "--subtract", notes)
    options = TemplateOptions(slug=slug, package_name=package_name, headers=header_fields, file_comment=file_comment,
                              location=location, audit=audit, merge=merged, subtract=subtracted)
    template = build_template(plugin_dir, domain, ignore_domain=ignore_domain, exclude=exclude, include=include,
                              generator=f"transkit {__version__}", skip=skip, options=options, on_file=on_file)
    template.problems[:0] = notes
    steps.finish()
    if not template.sources.count:
        raise TranskitError(f"{plugin_dir}: no PHP or JS sources{_other_sources(folder)}; "
                            "transkit extract builds WordPress-style templates from PHP, JS, block.json "
                            "and theme.json only — for other languages run xgettext with the project's own "
                            "keywords (its po/POTFILES.in or Makefile usually has them)")
    shown_domain = template.domain or "(any)"
    summary = template.summary
    from_sources = summary.calls_extracted + summary.json_strings
    # only the header's fields while the code speaks other domains: the domain is wrong, not the plugin empty
    read = f"{len(template.php_files)} PHP and {len(template.js_files)} JS files"
    if not template.message_count and not summary.calls_found:  # no domain would do: say so, not --domain
        raise TranskitError(f"{plugin_dir}: no gettext calls, header fields or block.json/theme.json strings "
                            f"in {read}; nothing written")
    if not template.message_count or (not from_sources and summary.other_domains):
        raise TranskitError(
            f"{plugin_dir}: no messages of text domain {shown_domain!r} in {read}; nothing written "
            f"(give the plugin's text domain with --domain){_domains_seen(template)}")
    result = _result(template, target, dry_run)
    if existing is not None:
        result.replaced = True
        result.refused = _compare_with_existing(template, existing, result, force)
    if not dry_run and not result.refused:
        target.parent.mkdir(parents=True, exist_ok=True)
        template.catalog.save(target)
        result.written = True
    return result


def default_target(folder: Path, domain: str | None, slug: str | None, ignore_domain: bool) -> Path:
    """Where the template goes without --output: ``<slug>.pot`` with --slug, else ``<domain>.pot``,
    in the Domain Path (known before the build: --merge alone merges it)."""
    if not folder.is_dir():
        raise TranskitError(f"{folder}: not a folder")
    main = find_main_file(folder.resolve())
    header = {name: value for name, (value, _) in main[2].items()} if main else {}
    name = slug or (None if ignore_domain else domain or header.get("Text Domain")) or folder.resolve().name
    return default_template_path(folder, name, header)


def _read_existing(target: Path) -> Catalog | CatalogError | None:
    """What is at the output path: a catalog, why it cannot be read, or None (nothing there)."""
    if not target.exists():
        return None
    try:  # a folder is a CatalogError too ("is a folder, not a catalog file")
        return load_catalog(target)
    except CatalogError as exc:
        return exc


def _refuse_replacing_a_non_template(existing: Catalog | CatalogError | None, target: Path, folder: Path,
                                     domain: str | None, slug: str | None, ignore_domain: bool) -> None:
    """A template replaces only a template: a translation at the output path (its translations would
    be lost to an empty template, as `extract -o languages/x-de_DE.po` did, even without --force for
    a catalog `init` made) or a file that cannot be read as a catalog and is no .pot (a source file)
    is refused before anything is built. A damaged .pot is still what --force replaces."""
    if existing is None or not target.is_file():
        return
    if isinstance(existing, CatalogError):
        if target.suffix.lower() == ".pot":
            return
        raise NotATemplate(f"{target}: already there and no template (it cannot be read as a catalog: "
                           f"{existing.message}); extract replaces only a template, --force or not; nothing "
                           "written. Give --output a .pot path")
    translated = sum(1 for entry in existing.all_entries if not entry.is_header and any(entry.translations))
    language = (existing.header.get("Language") or "").strip()
    if not translated and not language:
        return
    details = ", ".join(part for part in (f"{counted(translated, 'string')} with a translation"
                                          if translated else "", f"Language: {language}" if language else "") if part)
    try:
        elsewhere = f" (without --output: {default_target(folder, domain, slug, ignore_domain)})"
    except TranskitError:
        elsewhere = ""
    raise NotATemplate(f"{target}: a translation ({details}), not a template: extract would replace it with an "
                       f"empty template and lose its work, --force or not; nothing written. Write the template "
                       f"elsewhere{elsewhere} and merge it into this catalog with "
                       f"`transkit update {target} --template <the .pot>`")


def _templates(paths, option: str, notes: list[SourceProblem], read: dict | None = None) -> tuple:
    """The templates named by --merge/--subtract; one that is not there is a warning (as make-pot),
    one that cannot be read an error (nothing is written). ``read``: paths already read (the output)."""
    found = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            notes.append(SourceProblem(str(path), None, f"not found; {option} left it out"))
            continue
        catalog = (read or {}).get(path)
        if catalog is None:
            catalog = load_catalog(path)  # a CatalogError names the file and line
        if isinstance(catalog, CatalogError):
            raise catalog
        found.append(catalog)
    return tuple(found)


def _checked_headers(headers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """--headers as (field, value) pairs; a name or value that would break the header is refused."""
    checked = []
    for name, value in headers.items():
        if not isinstance(name, str) or not name.strip() or ":" in name or not name.isprintable():
            raise HeadersError(f"--headers: {name!r} is not a header field name (no colon, no line break)")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise HeadersError(f"--headers: the value of {name!r} must be a string or a number")
        value = str(value)
        if not value.isprintable():
            raise HeadersError(f"--headers: the value of {name!r} holds a line break or another control character")
        checked.append((name.strip(), value))
    return tuple(checked)


def _result(template: ExtractedTemplate, target: Path, dry_run: bool) -> ExtractResult:
    sources = template.sources
    return ExtractResult(
        path=target, entry_count=template.message_count,
        domain=template.domain or "",
        plugin_name=template.header_fields.get("Plugin Name") or template.header_fields.get("Theme Name", ""),
        php_files=len(sources.php), blade_files=len(sources.blade), js_files=len(sources.js),
        js_map_files=len(sources.js_maps),
        json_files=len(sources.block_json) + len(sources.theme_json), excluded_files=sources.excluded,
        excluded_folders=sources.excluded_folders, links_not_followed=sources.links_not_followed,
        problems=template.problems, summary=template.summary, dry_run=dry_run)


def _compare_with_existing(template: ExtractedTemplate, existing: Catalog | CatalogError, result: ExtractResult,
                           force: bool) -> str:
    """Fill in added/removed; the reason not to overwrite, or "" when it may be."""
    new_keys = [e.key for e in template.catalog.entries]
    if isinstance(existing, CatalogError):
        result.added = new_keys
        return "" if force else f"it cannot be read ({existing})"
    old_keys = [e.key for e in existing.entries]
    old, new = set(old_keys), set(new_keys)
    result.added = [k for k in new_keys if k not in old]
    result.removed = [k for k in old_keys if k not in new]
    if force or existing.header.get("X-Generator", "").startswith("transkit"):
        return ""
    generator = existing.header.get("X-Generator")
    return f"it ships with the plugin{f' (made by {generator})' if generator else ''}"


def _domains_seen(template: ExtractedTemplate) -> str:
    seen: Counter = template.summary.other_domains
    if not seen:
        return ""
    return "; the sources use " + ", ".join(f"{d!r} ({n} calls)" for d, n in seen.most_common(3))


def _other_sources(folder: Path) -> str:
    """`` (found 3 .c, 1 .h files)``: what the folder holds instead, to make the refusal concrete."""
    suffixes: Counter[str] = Counter()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith(".")]
        suffixes.update(Path(name).suffix.lower() for name in files
                        if Path(name).suffix and Path(name).suffix.lower() not in (".po", ".pot", ".mo"))
    if not suffixes:
        return ""
    common = ", ".join(f"{count} {suffix}" for suffix, count in suffixes.most_common(3))
    return f" (found {common} files)"

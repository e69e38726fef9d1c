"""The whole template of a plugin or theme, as WP-CLI ``wp i18n make-pot`` builds it.

Order of the entries: the plugin's (or theme's) header fields, then PHP (a theme's page-template and
pattern headers with their file), JS, the sources of source maps, block.json and theme.json strings,
the files of each kind in WP-CLI's order (``sources.py``); a string met again gains a reference (and
a ``translators:`` comment it did not have). Nothing is dropped in silence: every gettext call found
is counted as extracted or skipped with its reason, and the skips that lose a string of the plugin
(a msgid in a variable, a concatenation with one, an interpolated heredoc; a domain in a constant)
are reported with file and line, as are files that could not be read or parsed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from transkit.catalog.extract import calls as wp
from transkit.catalog.extract.audit import audit_entries
from transkit.catalog.extract.js import JS_SUFFIXES, scan_js_source
from transkit.catalog.extract.json_sources import BLOCK_SCHEMA, THEME_SCHEMA, read_json_strings
from transkit.catalog.extract.php import scan_php_files
from transkit.catalog.extract.source_maps import (SourceMapError, built_file, named_map, read_source_map,
                                                  source_column, source_path)
from transkit.catalog.extract.sources import SourceFiles, find_sources, is_blade, left_out, natural_order
from transkit.catalog.model import Catalog, Entry, FileStyle, no_cyclic_gc
from transkit.errors import TranskitError

PLUGIN_FIELDS = ("Plugin Name", "Plugin URI", "Description", "Author", "Author URI",
                 "Version", "License", "Domain Path", "Text Domain")
THEME_FIELDS = ("Theme Name", "Theme URI", "Description", "Author", "Author URI",
                "Version", "License", "Domain Path", "Text Domain")
_NOT_TRANSLATED = ("Version", "License", "Domain Path", "Text Domain")  # header fields without an entry


@dataclass
class SourceProblem:
    """A file, or a call in it, whose strings did not (all) reach the template: ``path:line: message``."""

    path: str
    line: int | None
    message: str
    severity: str = "warning"  # "error": the file could not be read or parsed (fully)
    code: str = ""  # an audit finding's code (audit.AUDIT_CODES); "" for the other problems

    def __str__(self) -> str:
        path = self.path if self.path.isprintable() else self.path.encode("unicode_escape").decode("ascii")
        shown = f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"
        return f"{shown} [{self.code}]" if self.code else shown

    def as_dict(self) -> dict:
        found = {"path": self.path, "line": self.line, "severity": self.severity, "message": self.message}
        return {**found, "code": self.code} if self.code else found


@dataclass
class ExtractSummary:
    """What was read and what became of every gettext call: the numbers both faces show."""

    calls_found: int = 0  # calls of a WordPress gettext function, any text domain
    calls_extracted: int = 0  # of those, the calls whose string is in the template
    skipped: Counter = field(default_factory=Counter)  # reason -> calls
    other_domains: Counter = field(default_factory=Counter)  # text domain -> calls (not ours)
    map_calls: int = 0  # of the calls found, those in the sources of source maps
    map_sources: int = 0  # sources of source maps read (those with their text in the map)
    map_sources_excluded: int = 0  # sources of source maps that --exclude names
    map_sources_not_js: int = 0  # sources of source maps that are no JS/TS (.vue, .scss…): not read
    json_strings: int = 0  # block.json / theme.json strings extracted
    json_skipped: Counter = field(default_factory=Counter)  # text domain of a block.json -> strings left out
    header_strings: int = 0  # plugin/theme header fields extracted
    merged: int = 0  # entries read from --merge templates
    subtracted: int = 0  # entries left out because a --subtract template has them
    audit: Counter = field(default_factory=Counter)  # audit finding code -> findings
    audited: bool = False

    def as_dict(self) -> dict:
        return {"calls_found": self.calls_found, "calls_extracted": self.calls_extracted,
                "calls_skipped": sum(self.skipped.values()), "skipped": dict(self.skipped),
                "other_domains": dict(self.other_domains),
                "source_maps": {"calls": self.map_calls, "sources_read": self.map_sources,
                                "sources_excluded": self.map_sources_excluded,
                                "sources_not_js": self.map_sources_not_js},
                "json_strings": self.json_strings,
                "json_strings_of_other_domains": dict(self.json_skipped),
                "header_strings": self.header_strings, "merged_entries": self.merged,
                "subtracted_entries": self.subtracted,
                "audit": {"run": self.audited, "warnings": sum(self.audit.values()), "by_code": dict(self.audit)}}


@dataclass
class ExtractedTemplate:
    catalog: Catalog
    domain: str | None  # None with ignore_domain
    header_fields: dict[str, str]  # the main file's header ({} when none was found)
    project_type: str  # "plugin", "theme" or "generic"
    sources: SourceFiles
    problems: list[SourceProblem] = field(default_factory=list)
    summary: ExtractSummary = field(default_factory=ExtractSummary)

    @property
    def message_count(self) -> int:
        """Entries without the header (``len(catalog.entries)`` without its list of 35,000)."""
        return len(self.catalog.all_entries) - 1

    @property
    def php_files(self) -> list[str]:
        return self.sources.php

    @property
    def js_files(self) -> list[str]:
        return self.sources.js


# -- the main file's header -------------------------------------------------------------------------
def read_file_header(path: Path, fields: tuple[str, ...]) -> dict[str, tuple[str, int]]:
    """Header field -> (value, line) from the first 8 KiB, as WordPress's get_file_data() reads it
    (a byte that is not UTF-8 is U+FFFD: ``_add_header_field`` refuses such a value)."""
    try:
        with open(path, "rb") as handle:
            return header_fields(handle.read(8192).decode("utf-8", "replace"), fields)
    except OSError:
        return {}


def header_fields(text: str, fields: tuple[str, ...]) -> dict[str, tuple[str, int]]:
    """The ``Name: value`` header fields of a file's first 8 KiB, with their lines (get_file_data())."""
    head = text[:8192].replace("\r", "\n")
    found = {}
    for name in fields:
        match = re.search(rf"^[ \t/*#@]*{re.escape(name)}:(.*)$", head, re.M | re.I)
        if match:
            value = re.sub(r"\s*(?:\*/|\?>).*", "", match.group(1)).strip()
            if value:
                found[name] = (value, head.count("\n", 0, match.start()) + 1)
    return found


def find_main_file(folder: Path) -> tuple[str, Path, dict[str, tuple[str, int]]] | None:
    """("theme" | "plugin", main file, header): a top-level style.css with ``Theme Name``, else a
    top-level PHP file with ``Plugin Name`` (``<folder>.php`` tried first), else, as make-pot, a
    style.css with ``Theme Name`` one folder down (Sage 9 keeps the theme WordPress loads in
    ``resources/``; a folder holding a theme)."""
    style = folder / "style.css"
    if style.is_file():
        header = read_file_header(style, THEME_FIELDS)
        if "Theme Name" in header:
            return "theme", style, header
    for candidate in sorted(folder.glob("*.php"), key=lambda p: (p.stem != folder.name, p.name)):
        header = read_file_header(candidate, PLUGIN_FIELDS)
        if "Plugin Name" in header:
            return "plugin", candidate, header
    for style in sorted(folder.glob("[!.]*/style.css"), key=lambda p: natural_order(p.parent.name)):
        header = read_file_header(style, THEME_FIELDS) if style.is_file() else {}
        if "Theme Name" in header:
            return "theme", style, header
    return None


# -- building ---------------------------------------------------------------------------------------
class _Entries:
    """Entries by (msgctxt, msgid), in the order first met."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str | None, str], Entry] = {}
        # msgid -> calls.sprintf_placeholders(msgid), found once when the php-/js-format flag is
        # decided (msgids with a "%"); the audit reads them
        self.placeholders: dict[str, list[str]] = {}

    def new(self, msgid: str, msgctxt: str | None, plural: str | None, reference: str, comments,
            flag: str | None) -> None:
        # positional (msgid, msgstr, msgid_plural, msgstr_plural, msgctxt, flags, tcomment, comment,
        # references): a big plugin makes 35,000 entries here
        self.by_key[(msgctxt, msgid)] = Entry(
            msgid, "", plural or "", {0: "", 1: ""} if plural else {}, msgctxt, [flag] if flag else [], "",
            "\n".join(dict.fromkeys(comments)) if comments else "", [reference] if reference else [])

    def add(self, msgid: str, msgctxt: str | None = None, plural: str | None = None, reference: str = "",
            comments: list[str] = (), flag: str | None = None) -> None:
        entry = self.by_key.get((msgctxt, msgid))
        if entry is None:
            self.new(msgid, msgctxt, plural, reference, comments, flag)
            return
        if reference and reference not in entry.references:
            entry.references.append(reference)
        if plural and not entry.msgid_plural:
            entry.msgid_plural, entry.msgstr_plural = plural, {0: "", 1: ""}
        if comments:
            self.add_comments(entry, comments)
        if flag and flag not in entry.flags:
            entry.flags.append(flag)

    @staticmethod
    def add_comments(entry: Entry, comments) -> None:
        lines = entry.comment.split("\n") if entry.comment else []
        entry.comment = "\n".join(dict.fromkeys(lines + list(comments)))  # each once (a call may repeat one)


@dataclass(frozen=True)
class TemplateOptions:
    """What ``wp i18n make-pot``'s options change in the template (beyond which sources are read)."""

    slug: str | None = None  # the project's slug (default: the folder's name): domain fallback, bug address
    package_name: str | None = None  # replaces the plugin/theme name in Project-Id-Version
    headers: tuple[tuple[str, str], ...] = ()  # header fields set (added or replaced), in order
    file_comment: str | None = None  # the comment above the header ("" none; default: the copyright)
    location: bool = True  # write "#: file:line" references
    audit: bool = True  # look for possible mistakes in the strings (audit.py)
    merge: tuple[Catalog, ...] = ()  # templates whose entries come first (their headers are not kept)
    subtract: tuple[Catalog, ...] = ()  # templates whose strings are left out


def build_template(folder, domain: str | None = None, *, ignore_domain: bool = False,
                   exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
                   generator: str = "transkit", now: str | None = None, skip: frozenset[str] = frozenset(),
                   options: TemplateOptions = TemplateOptions(),
                   on_file: Callable[[int, int, str], None] | None = None) -> ExtractedTemplate:
    """The template of the plugin or theme in ``folder``, in memory.

    ``domain`` defaults to the ``Text Domain`` header, else the slug (the folder name; as WP-CLI
    does); ``ignore_domain`` keeps the strings of every domain; ``skip`` names kinds of sources not
    to read (``php``, ``blade``, ``js`` (source maps too), ``block_json``, ``theme_json``, as WP-CLI's
    --skip-* flags).
    ``on_file(done, total, path)`` is called after each source file (an exception it raises stops
    the work)."""
    with no_cyclic_gc():
        return _build_template(folder, domain, ignore_domain, exclude, include, generator, now, skip, options,
                               on_file or (lambda done, total, path: None))


def _build_template(folder, domain: str | None, ignore_domain: bool, exclude: tuple[str, ...],
                    include: tuple[str, ...], generator: str, now: str | None, skip: frozenset[str],
                    options: TemplateOptions, on_file: Callable[[int, int, str], None]) -> ExtractedTemplate:
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise TranskitError(f"{folder}: not a folder")
    main = find_main_file(folder)
    project_type, main_file, header = main if main else ("generic", None, {})
    fields = {name: value for name, (value, _) in header.items()}
    if ignore_domain:
        domain = None
    else:
        domain = domain or fields.get("Text Domain") or options.slug or folder.name
    sources = find_sources(folder, exclude, include, is_theme=project_type == "theme")
    if skip & {"php", "blade"}:  # Blade templates are PHP files to the reader, but skipped on their own
        sources.php = [p for p in sources.php if ("blade" if is_blade(p) else "php") not in skip]
    for kind in skip - {"php", "blade"}:
        setattr(sources, kind, [])
    if "js" in skip:
        sources.js_maps = []
    problems = [SourceProblem(path, None, f"the folder cannot be listed ({reason}); its files were not read", "error")
                for path, reason in sources.unlisted_folders]
    summary = ExtractSummary()
    entries = _Entries()
    for merged in options.merge:  # first, as WP-CLI: the extracted strings then merge into them
        for entry in merged.entries:
            summary.merged += 1
            entries.add(entry.msgid, entry.msgctxt, entry.msgid_plural or None, comments=entry.comment.split("\n")
                        if entry.comment else (), flag=None)
            target = entries.by_key[entry.key]
            target.references += [r for r in entry.references if r not in target.references]
            target.flags += [f for f in entry.format_flags if f not in target.flags]

    if main_file is not None:
        reference_file = main_file.relative_to(folder).as_posix()
        for name, (value, line) in header.items():
            if name not in _NOT_TRANSLATED:
                _add_header_field(name, value, None, f"{name} of the {project_type}", reference_file, line, entries,
                                  summary, problems)

    empty_calls: list[tuple[str, int | None, str]] = []  # (path, line, function) of calls with an empty msgid
    printable = []
    for relative in sources.php + sources.js + sources.js_maps + sources.block_json + sources.theme_json:
        if relative.isprintable():
            printable.append(relative)
        else:  # a reference "#: a<newline>b.php:3" would break the template
            problems.append(SourceProblem(relative, None, "its name holds a control character (a line break?), "
                                          "which a template reference cannot carry; skipped", "error"))
    readable = set(printable)
    php_files = [p for p in sources.php if p in readable]
    # PHP files are read (and checked for UTF-8) by PHP itself; the others here
    texts = {}  # relative path -> text (JSON files: those that are valid UTF-8)
    not_utf8 = set()  # code read although it is not valid UTF-8: its strings that are not are warned
    php_set, js_set = set(php_files), set(sources.js)  # (a list of 1,000 looked up 1,000 times: a million steps)
    for relative in (p for p in printable if p not in php_set or project_type == "theme"):
        # code is read in another encoding too, as PHP reads it (a theme's PHP file here for its headers,
        # its strings are PHP's); a JSON file's strings would all be suspect
        text, problem = _read_text(folder, relative, lenient=relative in php_set or relative in js_set)
        if text is not None:
            texts[relative] = text
        if problem is not None and relative not in php_set:
            problems.append(problem)
            if text is not None:
                not_utf8.add(relative)

    done, total = 0, len(printable)
    for relative, scanned in zip(php_files, scan_php_files(folder, php_files), strict=True):
        done += 1
        if project_type == "theme" and relative in texts:  # before its calls, as WP-CLI reads the file
            _theme_file_headers(relative, texts[relative], entries, summary, problems)
        if scanned.unreadable:
            problems.append(_read_text(folder, relative)[1] or
                            SourceProblem(relative, None, "cannot be read; skipped", "error"))
            on_file(done, total, relative)
            continue
        if scanned.invalid_utf8_line:
            problems.append(_not_utf8_from(relative, scanned.invalid_utf8_line))
        if scanned.error:
            line, message, version = scanned.error
            # a file written for a newer PHP than the one installed fails here too: say which PHP it was
            problems.append(SourceProblem(relative, line or None, f"PHP {version} cannot parse it: {message}; its "
                                          "strings were read with PHP's lenient tokenizer, check them", "error"))
        _add_calls(relative, scanned.calls, scanned.comments, _PHP_ROLES, "php-format",
                   domain, entries, summary, problems, empty_calls, comments_shared=True)
        on_file(done, total, relative)
    for relative in (p for p in sources.js if p in texts):
        scanned = scan_js_source(texts[relative].encode("utf-8"), Path(relative).suffix)
        if relative in not_utf8:  # its bytes that are not UTF-8 were read as U+FFFD
            scanned.calls = [call._replace(arguments=[wp.Argument(None, wp.NOT_UTF8) if type(argument) is str and
                                                      "\ufffd" in argument else argument
                                                      for argument in call.arguments]) for call in scanned.calls]
        if scanned.error:
            line, message = scanned.error
            problems.append(SourceProblem(relative, line, f"JavaScript {message}; the rest of the file was read "
                                          "as far as the parser could recover", "error"))
        _add_calls(relative, scanned.calls, scanned.comments, _JS_ROLES, "js-format",
                   domain, entries, summary, problems, empty_calls, comments_shared=False)
        done += 1
        on_file(done, total, relative)
    for relative in (p for p in sources.js_maps if p in texts):  # after the JS files, as WP-CLI
        _add_source_map(relative, texts[relative], exclude, domain, entries, summary, problems, empty_calls)
        _say_if_another_map(folder, relative, problems)
        done += 1
        on_file(done, total, relative)
    for paths, schema in ((sources.block_json, BLOCK_SCHEMA), (sources.theme_json, THEME_SCHEMA)):
        for relative in (p for p in paths if p in texts):
            found = read_json_strings(texts[relative], schema)
            if found.error:
                problems.append(SourceProblem(relative, found.error[0], f"{found.error[1]}; skipped", "error"))
            elif domain is not None and found.domain is not None and found.domain != domain:
                summary.json_skipped[found.domain] += len(found.strings)
            else:
                if schema is BLOCK_SCHEMA and found.domain is None and found.strings:
                    # WordPress (register_block_type_from_metadata, and @wordpress/blocks in the
                    # editor) translates a block.json's fields only under its own "textdomain"
                    named = f'"textdomain": "{domain}"' if domain else 'a "textdomain"'
                    problems.append(SourceProblem(relative, None, f"no \"textdomain\": WordPress translates none of "
                                                  f"its {len(found.strings)} strings until it has {named}; "
                                                  "extracted, as make-pot extracts them"))
                for msgctxt, msgid in found.strings:
                    entries.add(msgid, msgctxt, reference=relative)
                    summary.json_strings += 1
            done += 1
            on_file(done, total, relative)

    for subtracted in options.subtract:
        for entry in subtracted.entries:
            if entries.by_key.pop(entry.key, None) is not None:
                summary.subtracted += 1
    if options.audit:
        summary.audited = True
        prefixes = tuple(f"{name} of the " for name in (*PLUGIN_FIELDS, *THEME_FIELDS, "Template Name"))
        findings = [SourceProblem(path, line, f"{name}(): empty msgid; not extracted", code="empty-string")
                    for path, line, name in empty_calls]
        # positional (path, line, message, severity, code): a big plugin's audit finds 10,000
        findings += [SourceProblem(path, line, message, "warning", code)
                     for code, path, line, message in audit_entries(entries.by_key.values(), prefixes,
                                                                    entries.placeholders)]
        summary.audit.update(finding.code for finding in findings)
        problems += findings
    if not options.location:
        for entry in entries.by_key.values():
            entry.references = []

    problems.sort(key=lambda p: (p.path, p.line or 0))
    header_entry = template_header(fields, domain, options.slug or folder.name, project_type, generator, now,
                                   package_name=options.package_name, headers=options.headers,
                                   file_comment=options.file_comment)
    catalog = Catalog([header_entry, *entries.by_key.values()],
                      style=FileStyle(encoding="utf-8", wrap_width=0, references_per_line=True))
    return ExtractedTemplate(catalog, domain, fields, project_type, sources, problems, summary)


_PHP_ROLES, _JS_ROLES = wp.roles_of(wp.PHP_FUNCTIONS), wp.roles_of(wp.JS_FUNCTIONS)


def _read_text(folder: Path, relative: str, lenient: bool = False) -> tuple[str | None, SourceProblem | None]:
    """The file's text, or None and why not. Not valid UTF-8: refused, or with ``lenient`` read with
    U+FFFD for each byte that is not, and said."""
    try:
        data = (folder / relative).read_bytes()
    except OSError as exc:
        return None, SourceProblem(relative, None, f"cannot be read ({exc.strerror or exc}); skipped", "error")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if lenient:
            return data.decode("utf-8-sig", "replace"), _not_utf8_from(relative, line)
        return None, SourceProblem(relative, line, "not valid UTF-8; the file was skipped", "error")


def _not_utf8_from(relative: str, line: int) -> SourceProblem:
    return SourceProblem(relative, line, "not valid UTF-8 from this line on (the file is in another encoding?); its "
                         "strings were read but for those that are not UTF-8, which are listed")


def _add_source_map(relative: str, text: str, exclude: tuple[str, ...], domain: str | None, entries: _Entries,
                    summary: ExtractSummary, problems: list[SourceProblem],
                    empty_calls: list[tuple[str, int | None, str]]) -> None:
    """The calls of a source map's sources, for its built file at the built lines (source_maps.py)."""
    try:
        source_map = read_source_map(text)
    except SourceMapError as exc:
        problems.append(SourceProblem(relative, exc.line, f"{exc}; skipped", "error"))
        return
    built = built_file(relative)
    for index, name, content in source_map.sources:
        path = source_path(name) or name
        # a bundled source ships inside the built file, node_modules/ or not (make-pot reads them
        # all): only what the user's --exclude names is left out
        if left_out(path, exclude, defaults=False):
            summary.map_sources_excluded += 1
            continue
        suffix = Path(path).suffix.lower()  # none: a bundler's own code ("webpack/bootstrap"), JS
        if suffix not in JS_SUFFIXES and suffix:
            summary.map_sources_not_js += 1  # a .vue or .scss file would only be a syntax error here
            continue
        summary.map_sources += 1
        data = content.encode("utf-8")
        scanned = scan_js_source(data, suffix or ".js")
        if scanned.error:
            line, message = scanned.error
            problems.append(SourceProblem(relative, None, f"its source {path}, line {line}: JavaScript {message}; "
                                          "the rest of it was read as far as the parser could recover", "error"))
        summary.map_calls += len(scanned.calls)
        _add_calls(relative, scanned.calls, scanned.comments, _JS_ROLES, "js-format", domain, entries, summary,
                   problems, empty_calls, comments_shared=False,
                   in_map=(built, path, lambda call, at=index, data=data: source_map.built_line(
                       at, call[0], source_column(data, int(call[3])))))


def _say_if_another_map(folder: Path, relative: str, problems: list[SourceProblem]) -> None:
    """A built file whose sourceMappingURL names another map (an inline one, a renamed file) was not
    built with this one: a stale map's strings are read, but the lines it gives may be another build's."""
    built = built_file(relative)
    try:
        data = (folder / built).read_bytes()
    except OSError:
        return  # no built file beside the map (or unreadable): nothing to compare
    named = named_map(data)
    if named is not None and named != relative.rsplit("/", 1)[-1]:
        problems.append(SourceProblem(relative, None, f"{built} names {named} as its source map, not this one: this "
                                      f"map may be of another build, so the lines it gives in {built} may be wrong"))


def _add_calls(relative: str, found: list, comments: list, functions: dict[str, wp.Roles],
               flag: str, domain: str | None, entries: _Entries, summary: ExtractSummary,
               problems: list[SourceProblem], empty_calls: list[tuple[str, int | None, str]],
               comments_shared: bool,
               in_map: tuple[str, str, Callable[[wp.CallSite], int | None]] | None = None) -> None:
    """Each call's message into ``entries``, or its skip into ``summary`` (and ``problems``).
    The loop runs once per call of the plugin (40,000 in a big one): ``_Entries.add`` inlined.
    ``in_map``: the calls are of a source map's source (built file, source name, the built line of
    a call); they are referenced at the built file's lines, warned at the source's.
    ``comments_shared``: a comment may belong to several calls of its line (PHP's), or to one (JS's)."""
    attached = wp.assign_comments(found, comments, comments_shared) if comments else {}
    interpret, sprintf_placeholders = wp.interpret, wp.sprintf_placeholders
    by_key, placeholders_of = entries.by_key, entries.placeholders
    summary.calls_found += len(found)
    extracted = 0
    prefix = (in_map[0] if in_map else relative) + ":"
    for index, call in enumerate(found):
        msgid, plural, context = interpret(call, functions[call[1]], domain)
        if msgid is None:
            reason, detail = plural, context
            summary.skipped[reason] += 1
            if reason == wp.OTHER_DOMAIN:
                summary.other_domains[detail] += 1
            elif reason in wp.WARNED_REASONS and in_map is None:
                problems.append(SourceProblem(relative, call[0], f"{call[1]}(): {detail}; not extracted"))
            elif reason in wp.WARNED_REASONS:
                problems.append(SourceProblem(relative, None, f"its source {in_map[1]}, line {call[0]}: {call[1]}(): "
                                              f"{detail}; not extracted"))
            elif reason == wp.EMPTY_MSGID:
                empty_calls.append((relative, call[0], call[1]) if in_map is None else
                                   (in_map[0], in_map[2](call), call[1]))
            continue
        extracted += 1
        if in_map is None:
            reference = prefix + str(call[0])
        else:
            line = in_map[2](call)
            reference = in_map[0] if line is None else prefix + str(line)
        key = (context, msgid)
        entry = by_key.get(key)
        if entry is None:  # _Entries.new, inline
            comments = attached.get(index)
            flags = []
            if "%" in msgid:
                placeholders = placeholders_of.get(msgid)
                if placeholders is None:
                    placeholders = placeholders_of[msgid] = sprintf_placeholders(msgid)
                if placeholders:
                    flags.append(flag)
            by_key[key] = Entry(msgid, "", plural or "", {0: "", 1: ""} if plural else {}, context, flags, "",
                                "\n".join(dict.fromkeys(comments)) if comments else "", [reference])
            continue
        references = entry.references
        if reference not in references:
            references.append(reference)
        if plural and not entry.msgid_plural:
            entry.msgid_plural, entry.msgstr_plural = plural, {0: "", 1: ""}
        if index in attached:
            entries.add_comments(entry, attached[index])
        if "%" in msgid and flag not in entry.flags:
            placeholders = placeholders_of.get(msgid)
            if placeholders is None:
                placeholders = placeholders_of[msgid] = sprintf_placeholders(msgid)
            if placeholders:
                entry.flags.append(flag)
    summary.calls_extracted += extracted


def _theme_file_headers(relative: str, text: str, entries: _Entries, summary: ExtractSummary,
                        problems: list[SourceProblem]) -> None:
    """``Template Name`` of a page template; ``Title``/``Description`` of a block pattern (patterns/)."""
    wanted = {"Template Name": (None, "Template Name of the theme")}
    if relative.startswith("patterns/"):
        wanted.update({"Title": ("Pattern title", None), "Description": ("Pattern description", None)})
    for name, (value, line) in header_fields(text, tuple(wanted)).items():
        msgctxt, comment = wanted[name]
        _add_header_field(name, value, msgctxt, comment, relative, line, entries, summary, problems)


def _add_header_field(name: str, value: str, msgctxt: str | None, comment: str | None, relative: str, line: int,
                      entries: _Entries, summary: ExtractSummary, problems: list[SourceProblem]) -> None:
    if "\ufffd" in value:  # bytes of another encoding: WordPress looks the field up by them, no UTF-8 catalog has them
        problems.append(SourceProblem(relative, line, f"the {name} header is not valid UTF-8; not extracted"))
        return
    entries.add(value, msgctxt, reference=f"{relative}:{line}", comments=[comment] if comment else [])
    summary.header_strings += 1


def template_header(fields: dict[str, str], domain: str | None, slug: str, project_type: str = "plugin",
                    generator: str = "transkit", now: str | None = None, *, package_name: str | None = None,
                    headers: tuple[tuple[str, str], ...] = (), file_comment: str | None = None) -> Entry:
    """The header entry of a WP-CLI template (Project-Id-Version "<Name> <Version>", …).

    ``package_name`` replaces the name in Project-Id-Version; ``headers`` are set last (replacing a
    field of that name); ``file_comment`` replaces the copyright comment ("" for none, a literal
    ``\\n`` starts a new line, as make-pot's --file-comment)."""
    name = fields.get("Theme Name") if project_type == "theme" else fields.get("Plugin Name")
    created = now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    lines = []
    if name or package_name:
        version = fields.get("Version")
        shown_name = package_name or name
        lines.append(("Project-Id-Version", f"{shown_name} {version}" if version else shown_name))
    if name:
        lines.append(("Report-Msgid-Bugs-To", f"https://wordpress.org/support/{project_type}/{slug}"))
    lines += [("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"), ("Language-Team", "LANGUAGE <LL@li.org>"),
              ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
              ("Content-Transfer-Encoding", "8bit"), ("POT-Creation-Date", created),
              ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"), ("X-Generator", generator)]
    if domain:
        lines.append(("X-Domain", domain))
    fields_set = dict(lines)
    for key, value in headers:
        fields_set[key] = value  # an existing field keeps its place, a new one is appended
    comment = []
    if file_comment is not None:
        comment = file_comment.replace("\\n", "\n").split("\n") if file_comment else []
    elif name:
        year, author = created[:4], fields.get("Author", "")
        comment.append(f"Copyright (C) {year} {author}".rstrip())
        license_name = fields.get("License")
        comment.append(f"This file is distributed under the {license_name}." if license_name else
                       f"This file is distributed under the same license as the {name} {project_type}.")
    return Entry(msgid="", msgstr="".join(f"{key}: {value}\n" for key, value in fields_set.items()),
                 tcomment="\n".join(comment))

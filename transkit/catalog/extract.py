"""Build a plugin's template (.pot) from its own PHP and JS, as WP-CLI ``wp i18n make-pot`` would.

GNU xgettext does the parsing. What xgettext cannot do is keep only the strings of one text domain:
its keyword specs name the argument that holds the msgid, the plural and the context, never the
domain. So each language gets three xgettext runs over the same files:

* the *real* run, with the WordPress keyword set, gives the entries (msgid, plural, context,
  ``translators:`` comments, references);
* a *msgid probe* declares the domain argument as the context (``__:1,2c``), so it tells, for each
  ``file:line``, which msgids were written there with which domain;
* a *context probe* does the same for the real context argument (``_x:2,3c``), so ``_x('Post',
  'noun', 'mine')`` and ``_x('Post', 'verb', 'theirs')`` on one line are told apart.

A reference of a real entry survives when both probes saw its msgid (and context) with the plugin's
domain at that very ``file:line``; an entry without surviving references is dropped. Calls without a
literal domain give no probe entry and are dropped, as WP-CLI drops them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from transkit.catalog.discover import read_plugin_header
from transkit.catalog.model import Catalog, Entry
from transkit.catalog.pofile import FileStyle, parse_catalog
from transkit.errors import CatalogError, TranskitError

# name -> 1-based argument positions (msgid, plural, context, domain); as WP-CLI's PhpCodeExtractor
_PHP_KEYWORDS: dict[str, tuple[int, int | None, int | None, int]] = {
    "__": (1, None, None, 2), "_e": (1, None, None, 2),
    "esc_html__": (1, None, None, 2), "esc_html_e": (1, None, None, 2),
    "esc_attr__": (1, None, None, 2), "esc_attr_e": (1, None, None, 2),
    "_x": (1, None, 2, 3), "_ex": (1, None, 2, 3), "esc_html_x": (1, None, 2, 3), "esc_attr_x": (1, None, 2, 3),
    "_n": (1, 2, None, 4), "_nx": (1, 2, 4, 5),
    "_n_noop": (1, 2, None, 3), "_nx_noop": (1, 2, 3, 4),
    # compat and deprecated names WP-CLI still reads
    "_": (1, None, None, 2), "_c": (1, None, None, 2), "_nc": (1, 2, None, 4),
    "__ngettext": (1, 2, None, 4), "__ngettext_noop": (1, 2, None, 3),
}
# @wordpress/i18n; xgettext matches ``wp.i18n.__(`` and ``i18n._x(`` through the last name
_JS_KEYWORDS = {name: _PHP_KEYWORDS[name] for name in ("__", "_x", "_n", "_nx")}

PLUGIN_HEADER_ENTRIES = ("Plugin Name", "Plugin URI", "Description", "Author", "Author URI")
# WP-CLI's default excludes, plus tests (what the plugin's users never see)
EXCLUDED_DIRS = frozenset({"node_modules", ".git", ".svn", ".CVS", ".hg", "vendor", "tests"})
EXCLUDED_FILES = frozenset({"Gruntfile.js", "webpack.config.js"})
PHP_SUFFIXES = (".php",)
JS_SUFFIXES = (".js", ".jsx")

# Bundlers call i18n functions through a sequence expression or a module object, which xgettext does
# not recognise: ``(0, r.__)("Hi", "d")`` and ``Object(_wordpress_i18n__WEBPACK..__["__"])(...)``.
_JS_INDIRECT_CALL = re.compile(
    r"""\(\s*0\s*,\s*(?:[\w$]+\.)*(?P<a>__|_x|_nx|_n)\s*\)(?=\s*\()"""
    r"""|Object\s*\(\s*[\w$]+\s*\[\s*["'](?P<b>__|_x|_nx|_n)["']\s*\]\s*\)(?=\s*\()"""
)
_DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<message>.*)$")


@dataclass
class SourceProblem:
    """A source file xgettext could not read (fully): shown to the user as ``path:line: message``."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        path = self.path if self.path.isprintable() else self.path.encode("unicode_escape").decode("ascii")
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


@dataclass
class ExtractedTemplate:
    catalog: Catalog
    domain: str
    header_fields: dict[str, str]  # the main file's WordPress header ({} when none was found)
    php_files: list[str] = field(default_factory=list)
    js_files: list[str] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)


# -- finding the sources ----------------------------------------------------------------------------
def find_source_files(plugin_dir: Path) -> tuple[list[str], list[str]]:
    """PHP and JS files under ``plugin_dir`` (relative POSIX paths, sorted), minus what WP-CLI skips."""
    php_files, js_files = [], []
    for root, dirs, files in os.walk(plugin_dir):
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_DIRS)
        for name in files:
            path = Path(root, name)
            if name in EXCLUDED_FILES or name.endswith(".min.js") or not path.is_file():
                continue
            relative = path.relative_to(plugin_dir).as_posix()
            if name.endswith(PHP_SUFFIXES):
                php_files.append(relative)
            elif name.endswith(JS_SUFFIXES):
                js_files.append(relative)
    return sorted(php_files), sorted(js_files)


# -- the plugin header --------------------------------------------------------------------------------
def find_main_file(plugin_dir: Path) -> tuple[Path, dict[str, str]] | None:
    """The top-level PHP file with a ``Plugin Name`` header (``<folder>.php`` tried first)."""
    candidates = sorted(plugin_dir.glob("*.php"), key=lambda p: (p.stem != plugin_dir.name, p.name))
    for candidate in candidates:
        fields = {name: value for name, value in read_plugin_header(candidate).items() if value}
        if fields.get("Plugin Name"):
            return candidate, fields
    return None


# -- checking what xgettext would silently swallow --------------------------------------------------
_PHP_OPEN = re.compile(r"<\?(?:php\b|=)?", re.I)
_PHP_TOKEN = re.compile(r"""['"`]|/\*|//|\#(?!\[)|\?>|<<<""")
_PHP_STRING_END = {q: re.compile(rf"(?:[^{q}\\]|\\.)*{q}", re.S) for q in ("'", '"', "`")}
_HEREDOC_START = re.compile(r"""<<<[ \t]*(["']?)([A-Za-z_\x80-\uffff][\w\x80-\uffff]*)\1\r?\n""")


def php_lexical_problem(source: str) -> tuple[int, str] | None:
    """The first unterminated string, comment or heredoc, as (line, message).

    xgettext reports nothing for these: it reads the rest of the file as the string and loses every
    message after it. Statement-level syntax errors do not matter for extraction, so they are not
    looked for."""
    position, size = 0, len(source)
    line_of = lambda offset: source.count("\n", 0, offset) + 1  # noqa: E731
    while True:
        opening = _PHP_OPEN.search(source, position)
        if opening is None:
            return None
        position = opening.end()
        while True:
            token = _PHP_TOKEN.search(source, position)
            if token is None:
                return None
            start, text = token.start(), token.group()
            if text in _PHP_STRING_END:
                end = _PHP_STRING_END[text].match(source, start + 1)
                if end is None:
                    return line_of(start), "unterminated string literal"
                position = end.end()
            elif text == "/*":
                end = source.find("*/", start + 2)
                if end < 0:
                    return line_of(start), "unterminated comment"
                position = end + 2
            elif text in ("//", "#"):
                newline, closing = source.find("\n", start), source.find("?>", start)
                if closing >= 0 and (newline < 0 or closing < newline):
                    position = closing  # ``?>`` ends a line comment and PHP mode
                else:
                    position = size if newline < 0 else newline + 1
            elif text == "?>":
                position = start + 2
                break
            else:  # <<<
                heredoc = _HEREDOC_START.match(source, start)
                if heredoc is None:
                    position = start + 3
                    continue
                label = re.escape(heredoc.group(2))
                end = re.compile(rf"^[ \t]*{label}(?![\w\x80-\uffff])", re.M).search(source, heredoc.end())
                if end is None:
                    return line_of(start), "unterminated heredoc"
                position = end.end()
            if position >= size:
                return None


def _decode_source(path: Path, relative: str) -> tuple[str | None, SourceProblem | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, SourceProblem(relative, None, f"cannot be read ({exc.strerror or exc}); skipped")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, SourceProblem(relative, line, "not valid UTF-8; the file was skipped")


# -- running xgettext -------------------------------------------------------------------------------
def xgettext_path() -> str:
    found = shutil.which("xgettext")
    if found is None:
        raise TranskitError("xgettext (GNU gettext) was not found on PATH; install gettext "
                            "(apt install gettext, brew install gettext) to build a template")
    return found


def _keyword_specs(keywords: dict, role: str) -> list[str]:
    """xgettext ``-k`` options: the real call shapes, or one of the two domain probes."""
    specs = []
    for name, (msgid, plural, context, domain) in keywords.items():
        if role == "real":
            spec = f"{msgid}" + (f",{plural}" if plural else "") + (f",{context}c" if context else "")
        elif role == "msgid-probe":
            spec = f"{msgid},{domain}c"
        elif context:  # context probe
            spec = f"{context},{domain}c"
        else:
            continue
        specs.append(f"--keyword={name}:{spec}")
    return specs


class _Xgettext:
    """One language's runs over a set of files, all relative to ``cwd``."""

    def __init__(self, language: str, cwd: Path, workdir: Path):
        self.language, self.cwd, self.workdir = language, cwd, workdir
        self.program = xgettext_path()
        self.problems: list[SourceProblem] = []
        self.rejected: set[str] = set()  # files xgettext refused once; later runs leave them out
        self._runs = 0

    def run(self, files: list[str], keyword_specs: list[str], comment_tag: str | None = None,
            report: bool = False) -> Catalog:
        """Catalog of xgettext's output; a file xgettext rejects is reported and left out."""
        files = [name for name in files if name not in self.rejected]
        output, stderr, code = self._invoke(files, keyword_specs, comment_tag)
        if code != 0:
            # one bad file makes xgettext give up on all of them: find it, then run without it
            failing = {}
            for name in files:
                _, single_err, single_code = self._invoke([name], keyword_specs, comment_tag)
                if single_code != 0:
                    failing[name] = _first_message(single_err)
            if not failing:
                raise TranskitError(f"xgettext failed: {_first_message(stderr)}")
            for name, message in failing.items():
                self.rejected.add(name)
                self.problems.append(SourceProblem(name, None, f"xgettext cannot read it ({message}); skipped"))
            files = [name for name in files if name not in failing]
            output, stderr, code = self._invoke(files, keyword_specs, comment_tag)
            if code != 0:
                raise TranskitError(f"xgettext failed: {_first_message(stderr)}")
        if report:
            self._collect_diagnostics(stderr, set(files))
        try:
            return parse_catalog(output, self.workdir / "xgettext.pot")
        except CatalogError as exc:  # pragma: no cover - xgettext writes valid PO
            raise TranskitError(f"xgettext wrote a catalog transkit cannot read: {exc}") from None

    def _invoke(self, files: list[str], keyword_specs: list[str], comment_tag: str | None):
        self._runs += 1
        list_file = self.workdir / f"files-{self._runs}.txt"
        out_file = self.workdir / f"out-{self._runs}.pot"
        list_file.write_text("".join(f"{name}\n" for name in files), encoding="utf-8")
        command = [self.program, f"--language={self.language}", "--from-code=UTF-8", "--no-wrap",
                   "--force-po", "--keyword", *keyword_specs, f"--files-from={list_file}",
                   f"--output={out_file}"]
        if comment_tag:
            command.append(f"--add-comments={comment_tag}")
        try:
            done = subprocess.run(command, cwd=self.cwd, capture_output=True)
        except OSError as exc:
            raise TranskitError(f"xgettext could not be started: {exc.strerror or exc}") from None
        stderr = done.stderr.decode("utf-8", "replace")
        output = out_file.read_bytes() if done.returncode == 0 and out_file.exists() else b""
        return output, stderr, done.returncode

    def _collect_diagnostics(self, stderr: str, files: set[str]) -> None:
        seen = {(p.path, p.line, p.message) for p in self.problems}
        for raw_line in stderr.splitlines():
            match = _DIAGNOSTIC.match(raw_line)
            if not match or match.group("path") not in files:
                continue
            message = match.group("message").removeprefix("warning: ").strip()
            if message.startswith("The following msgid contains non-ASCII"):
                continue  # xgettext's advice to programmers, not a problem of the template
            key = (match.group("path"), int(match.group("line")), message)
            if key not in seen:
                seen.add(key)
                self.problems.append(SourceProblem(*key))


def _first_message(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return re.sub(r"^\S*xgettext: ", "", lines[0]) if lines else "no message"


def _extract_language(runner: _Xgettext, files: list[str], keywords: dict, domain: str,
                      capitalised_tag_files: list[str]) -> list[Entry]:
    """Entries of one language with only the references written with ``domain``."""
    if not files:
        return []
    real = runner.run(files, _keyword_specs(keywords, "real"), "translators", report=True)
    if capitalised_tag_files:  # WP-CLI reads "Translators:" too; xgettext takes one tag per run
        upper = runner.run(capitalised_tag_files, _keyword_specs(keywords, "real"), "Translators")
        for extra in upper.entries:
            entry = real.find(extra.msgid, extra.msgctxt)
            if entry is not None:
                entry.comment = _merge_comments(entry.comment, extra.comment)
    msgid_probe = runner.run(files, _keyword_specs(keywords, "msgid-probe"))
    context_probe = runner.run(files, _keyword_specs(keywords, "context-probe"))
    with_domain = {(e.msgid, ref) for e in msgid_probe.entries if e.msgctxt == domain for ref in e.references}
    context_with_domain = {(e.msgid, ref) for e in context_probe.entries if e.msgctxt == domain
                           for ref in e.references}
    kept = []
    for entry in real.entries:
        references = [ref for ref in entry.references if (entry.msgid, ref) in with_domain
                      and (entry.msgctxt is None or (entry.msgctxt, ref) in context_with_domain)]
        if references and entry.msgid:
            kept.append(Entry(msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                              msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
                              msgctxt=entry.msgctxt, comment=_merge_comments("", entry.comment),
                              references=references))
    return kept


def _merge_comments(existing: str, extra: str) -> str:
    lines = [line for line in existing.split("\n") if line.strip()] if existing else []
    for line in (extra or "").split("\n"):
        if line.strip() and line not in lines:
            lines.append(line)
    return "\n".join(lines)


def _rewrite_indirect_js_calls(source: str) -> str:
    """``(0, r.__)(`` → ``       __ (``: same length and line breaks, so references stay right."""
    def replace(match: re.Match) -> str:
        group = "a" if match.group("a") else "b"
        at, end = match.start(group) - match.start(), match.end(group) - match.start()
        blanked = re.sub(r"[^\n]", " ", match.group())
        return blanked[:at] + match.group(group) + blanked[end:]

    return _JS_INDIRECT_CALL.sub(replace, source)


# -- the whole template -----------------------------------------------------------------------------
def build_template(plugin_dir: str | os.PathLike, domain: str | None = None,
                   generator: str = "transkit", now: str | None = None) -> ExtractedTemplate:
    """The plugin's template, in memory: header, plugin-header entries, then PHP and JS messages.

    ``domain`` defaults to the ``Text Domain`` header, else the folder name (as WP-CLI does)."""
    plugin_dir = Path(plugin_dir).resolve()
    if not plugin_dir.is_dir():
        raise TranskitError(f"{plugin_dir}: not a folder")
    xgettext_path()  # fail before any work when xgettext is missing
    main = find_main_file(plugin_dir)
    main_file, fields = main if main else (None, {})
    domain = domain or fields.get("Text Domain") or plugin_dir.name
    php_files, js_files = find_source_files(plugin_dir)
    problems: list[SourceProblem] = []

    entries: dict[tuple[str | None, str], Entry] = {}
    if main_file is not None:
        for name in PLUGIN_HEADER_ENTRIES:
            value = fields.get(name)
            if value:
                _add(entries, Entry(msgid=value, comment=f"{name} of the plugin",
                                    references=[main_file.relative_to(plugin_dir).as_posix()]))

    with tempfile.TemporaryDirectory(prefix="transkit-extract-") as scratch:
        scratch_dir = Path(scratch)
        readable_php, php_upper = [], []
        for relative in php_files:
            text, problem = _decode_source(plugin_dir / relative, relative)
            if problem:
                problems.append(problem)
                continue
            readable_php.append(relative)
            if "Translators" in text:
                php_upper.append(relative)
            lexical = php_lexical_problem(text)
            if lexical:
                problems.append(SourceProblem(relative, lexical[0], f"{lexical[1]}; messages after this "
                                              "line could not be extracted"))
        js_dir = scratch_dir / "js"
        readable_js, js_upper = [], []
        for relative in js_files:
            text, problem = _decode_source(plugin_dir / relative, relative)
            if problem:
                problems.append(problem)
                continue
            copy = js_dir / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(_rewrite_indirect_js_calls(text), encoding="utf-8")
            readable_js.append(relative)
            if "Translators" in text:
                js_upper.append(relative)

        php_runner = _Xgettext("PHP", plugin_dir, scratch_dir)
        for entry in _extract_language(php_runner, readable_php, _PHP_KEYWORDS, domain, php_upper):
            _add(entries, entry)
        js_runner = _Xgettext("JavaScript", js_dir, scratch_dir)
        for entry in _extract_language(js_runner, readable_js, _JS_KEYWORDS, domain, js_upper):
            _add(entries, entry)
        problems.extend(php_runner.problems + js_runner.problems)

    header = template_header(fields, domain, plugin_dir.name, generator, now)
    catalog = Catalog([header, *entries.values()],
                      style=FileStyle(encoding="utf-8", wrap_width=0, references_per_line=True))
    return ExtractedTemplate(catalog, domain, fields, readable_php, readable_js, problems)


def _add(entries: dict[tuple[str | None, str], Entry], entry: Entry) -> None:
    """Add a message, or merge its references and comments into the one already there."""
    existing = entries.get(entry.key)
    if existing is None:
        entries[entry.key] = entry
        return
    existing.references += [ref for ref in entry.references if ref not in existing.references]
    existing.comment = _merge_comments(existing.comment, entry.comment)
    if entry.msgid_plural and not existing.msgid_plural:
        existing.msgid_plural, existing.msgstr_plural, existing.msgstr = entry.msgid_plural, {0: "", 1: ""}, ""


def template_header(fields: dict[str, str], domain: str, slug: str, generator: str,
                    now: str | None = None) -> Entry:
    """The header entry of a WP-CLI template (Project-Id-Version "<Plugin Name> <Version>", …)."""
    from datetime import datetime, timezone

    name = fields.get("Plugin Name")
    created = now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    lines = []
    if name:
        version = fields.get("Version")
        lines.append(("Project-Id-Version", f"{name} {version}" if version else name))
        lines.append(("Report-Msgid-Bugs-To", f"https://wordpress.org/support/plugin/{slug}"))
    lines += [("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"), ("Language-Team", "LANGUAGE <LL@li.org>"),
              ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
              ("Content-Transfer-Encoding", "8bit"), ("POT-Creation-Date", created),
              ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"), ("X-Generator", generator),
              ("X-Domain", domain)]
    comment = []
    if name:
        year, author = created[:4], fields.get("Author", "")
        comment.append(f"Copyright (C) {year} {author}".rstrip())
        license_name = fields.get("License")
        comment.append(f"This file is distributed under the {license_name}." if license_name else
                       f"This file is distributed under the same license as the {name} plugin.")
    return Entry(msgid="", msgstr="".join(f"{key}: {value}\n" for key, value in lines),
                 tcomment="\n".join(comment))

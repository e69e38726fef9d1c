"""Which files of a plugin or theme ``transkit extract`` reads, with WP-CLI make-pot's exclusions.

Always left out, as WP-CLI does: version-control and other dot folders, ``node_modules/``,
``vendor/``, ``test/``, ``tests/``, ``Gruntfile.js``, ``webpack.config.js`` and ``*.min.js``; also
translation and build artefacts that hold no calls of the plugin (``*.l10n.php``, ``*.asset.php``,
``*.d.ts``). ``--exclude`` adds patterns; ``--include`` restricts reading to matching files.
Linked folders are walked, as make-pot walks them, but never twice nor in a loop; a folder that
cannot be listed is named (``unlisted_folders``), never passed over.

A pattern is a file or folder name (``vendor``), a path (``sub/foo.php``) or a glob whose ``*`` may
span folders (``sub/foo-*.php``); it matches the end of a file's path or one of its folders, never a
part of a name (``foo`` does not match ``foos.php``). As in WP-CLI, when an include and an exclusion
both match, the more specific wins: a pattern scores by its path components that are not a bare
``*``, an exact name or a wildcard-free path scores more, so ``--include 'bar/*.min.js'`` reads the
minified file ``*.min.js`` would leave out, while ``--include '*.php'`` does not bring vendor/ back.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from transkit.catalog.extract.js import JS_SUFFIXES
from transkit.catalog.extract.source_maps import MAP_SUFFIXES

DEFAULT_EXCLUDES = ("node_modules", ".*", "vendor", "Gruntfile.js", "webpack.config.js", "*.min.js", "test",
                    "tests", "*.l10n.php", "*.asset.php", "*.d.ts")


def is_blade(relative: str) -> bool:
    """A Blade template (Laravel's, as Sage themes use): read as PHP once its Blade syntax is turned
    into PHP (tokenizer.php's blade_to_php, which tells them apart by the same suffix)."""
    return relative[-10:].lower() == ".blade.php"


@dataclass
class SourceFiles:
    php: list[str] = field(default_factory=list)  # paths relative to the folder, POSIX, sorted
    js: list[str] = field(default_factory=list)
    js_maps: list[str] = field(default_factory=list)  # build/index.js.map: read for their sources (source_maps.py)
    block_json: list[str] = field(default_factory=list)
    theme_json: list[str] = field(default_factory=list)
    excluded: int = 0  # source files (PHP, JS, JSON) left out by an exclusion
    excluded_folders: list[str] = field(default_factory=list)  # "vendor/", … (not walked: not counted)
    # a linked folder is read as make-pot reads it, unless its files are read anyway: "legacy/" ->
    # "includes/" (inside the plugin), or an outside folder already read through another link
    links_not_followed: list[tuple[str, str]] = field(default_factory=list)  # ("legacy/", "includes/")
    unlisted_folders: list[tuple[str, str]] = field(default_factory=list)  # ("private/", "Permission denied")

    @property
    def blade(self) -> list[str]:
        """The Blade templates among the PHP files (read by PHP too)."""
        return [path for path in self.php if is_blade(path)]

    @property
    def count(self) -> int:
        return len(self.php) + len(self.js) + len(self.js_maps) + len(self.block_json) + len(self.theme_json)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> tuple[int, bool, re.Pattern]:
    """(score, has a wildcard, regex matching a path that ends with the pattern or a folder of it)."""
    components = [c for c in pattern.split("/") if c != "*"]
    score = len(components) * 10 or 2  # a bare "*" scores above nothing, below any name
    body = ".+".join(re.escape(part) for part in pattern.split("*"))
    return score, "*" in pattern, re.compile(rf"(?:^|/){body}(?P<end>/|$)")


@lru_cache(maxsize=64)
def _compiled_all(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[int, bool, re.Pattern], ...]]:
    stripped = (pattern.strip().strip("/") for pattern in patterns)
    return frozenset(patterns), tuple(_compiled(pattern) for pattern in stripped if pattern)


def match_score(relative: str, patterns: tuple[str, ...]) -> int:
    """How specifically the first matching pattern names ``relative`` (0: none matches)."""
    names, compiled = _compiled_all(patterns)
    if relative.rsplit("/", 1)[-1] in names:
        return 10
    for score, wildcard, regex in compiled:
        found = regex.search(relative)
        if found and not wildcard and found.group("end") == "":
            return score * 10  # a name or path without wildcard that ends the path
        if found:
            return score
    return 0


def _may_hold_included(folder: str, include: tuple[str, ...]) -> bool:
    """An include could name something inside ``folder`` (so a left-out folder is walked anyway)."""
    for pattern in include:
        pattern = pattern.strip().strip("/")
        if "*" not in pattern and (pattern + "/").startswith(folder + "/"):
            return True
        base = pattern.split("*", 1)[0]
        if folder.startswith(base) if base else False:
            return True
        if base and base.startswith(folder + "/"):
            return True
    return False


def left_out(relative: str, exclude: tuple[str, ...], include: tuple[str, ...] = (), defaults: bool = True) -> bool:
    """A file the exclusions leave out (the defaults, unless not ``defaults``, and ``exclude``),
    unless ``include`` names it more specifically; with an ``include``, also every file it does not name."""
    return _left_out(relative, _excludes(exclude, defaults), include)


def _left_out(relative: str, excludes: tuple[str, ...], include: tuple[str, ...]) -> bool:
    included = match_score(relative, include) if include else 0.1
    return included <= match_score(relative, excludes)


def _excludes(exclude: tuple[str, ...], defaults: bool = True) -> tuple[str, ...]:
    given = tuple(p for p in exclude if p.strip().strip("/"))
    return DEFAULT_EXCLUDES + given if defaults else given


def find_sources(folder: Path, exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
                 is_theme: bool = False) -> SourceFiles:
    excludes = _excludes(exclude)
    include = tuple(p for p in include if p.strip().strip("/"))
    found = SourceFiles()
    root = os.path.realpath(folder)
    linked_targets: list[str] = []  # real paths of the outside folders read through a link
    pending = [""]  # folders to read, relative ("" or "sub/"), in os.walk's top-down order
    while pending:
        relative_root = pending.pop()
        try:
            with os.scandir(folder / relative_root if relative_root else folder) as listing:
                items = list(listing)
        except OSError as exc:
            found.unlisted_folders.append((relative_root or "./", exc.strerror or str(exc)))
            continue
        folders = []
        for item in items:
            # is_dir()/is_file() follow symlinks: a linked file is read, a linked folder walked
            if item.is_dir():
                folders.append((item.name, item.is_symlink()))
                continue
            relative = relative_root + item.name
            kind = _kind(relative, is_theme)
            if kind is None or not item.is_file():
                continue
            if _left_out(relative, excludes, include):
                found.excluded += 1
                continue
            getattr(found, kind).append(relative)
        walked = []
        for name, linked in sorted(folders):
            path = relative_root + name
            excluded = match_score(path, excludes)
            if excluded and match_score(path, include) < excluded and not _may_hold_included(path, include):
                if not name.startswith("."):
                    found.excluded_folders.append(f"{path}/")
            elif not linked or _follow_link(folder / path, root, linked_targets, path, found, excludes):
                walked.append(path + "/")
        pending += reversed(walked)
    for paths in (found.php, found.js, found.js_maps, found.block_json, found.theme_json):
        paths.sort(key=natural_order)
    # WP-CLI reads every theme.json first, then a theme's style variations (styles/*.json)
    found.theme_json.sort(key=lambda path: path.rsplit("/", 1)[-1] != "theme.json")
    return found


def _follow_link(link: Path, root: str, linked_targets: list[str], path: str, found: SourceFiles,
                 excludes: tuple[str, ...]) -> bool:
    """Whether to walk a linked folder: not when its files are read anyway, inside the plugin or
    through an earlier link (which also ends a link that loops back to a folder it is in). A link
    into a left-out folder of the plugin (``lib`` -> ``vendor/acme``) is walked, as make-pot walks it."""
    target = os.path.realpath(link)
    for read in (root, *linked_targets):
        if target == read or target.startswith(read.rstrip(os.sep) + os.sep):
            shown = os.path.relpath(target, root).replace(os.sep, "/") + "/" if read == root else target
            if read == root and shown != "./" and match_score(shown[:-1], excludes):
                break
            found.links_not_followed.append((f"{path}/", shown))
            return False
    linked_targets.append(target)
    return True


def natural_order(path: str) -> list:
    """The order WP-CLI reads files in: PHP's ``sort(SORT_NATURAL | SORT_FLAG_CASE)``, numbers by
    value and letters without case (screen-9.php before screen-10.php, About.php before blocks/),
    folded to upper case as PHP folds them, ASCII only (so _inc/ comes after Zeta.php, ~ after both)."""
    return [int(part) if index % 2 else part.translate(_ASCII_UPPER) for index, part in enumerate(_DIGITS.split(path))]


_DIGITS = re.compile(r"(\d+)")
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def _kind(relative: str, is_theme: bool) -> str | None:
    name = relative.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower.endswith(".php"):
        return "php"
    if lower.endswith(JS_SUFFIXES):
        return "js"
    if lower.endswith(MAP_SUFFIXES):
        return "js_maps"
    if name == "block.json":
        return "block_json"
    if name == "theme.json" or (is_theme and relative.startswith("styles/") and lower.endswith(".json")):
        return "theme_json"
    return None

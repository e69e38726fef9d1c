"""Which files of a plugin or theme ``transkit extract`` reads, with WP-CLI make-pot's exclusions.

Always left out, as WP-CLI does: version-control and other dot folders, ``node_modules/``,
``vendor/``, ``test/``, ``tests/``, ``Gruntfile.js``, ``webpack.config.js`` and ``*.min.js``; also
translation and build artefacts that hold no calls of the plugin (``*.l10n.php``, ``*.asset.php``,
``*.d.ts``). ``--exclude`` adds globs; ``--include`` restricts reading to matching files and may
name one inside a folder left out by default (``--include 'vendor/acme/*'``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from transkit.catalog.extract.js import JS_SUFFIXES

DEFAULT_EXCLUDES = ("node_modules", "vendor", "test", "tests", ".*", "Gruntfile.js", "webpack.config.js",
                    "*.min.js", "*.l10n.php", "*.asset.php", "*.d.ts")


@dataclass
class SourceFiles:
    php: list[str] = field(default_factory=list)  # paths relative to the folder, POSIX, sorted
    js: list[str] = field(default_factory=list)
    block_json: list[str] = field(default_factory=list)
    theme_json: list[str] = field(default_factory=list)
    excluded: int = 0  # source files (PHP, JS, JSON) left out by an exclusion
    excluded_folders: list[str] = field(default_factory=list)  # "vendor/", … (not walked: not counted)

    @property
    def count(self) -> int:
        return len(self.php) + len(self.js) + len(self.block_json) + len(self.theme_json)


def matches(relative: str, pattern: str) -> bool:
    """WP-CLI's matching: a glob matches a file's path, one of its folders or its name."""
    pattern = pattern.strip().strip("/")
    if not pattern:
        return False
    parts = relative.split("/")
    if "/" not in pattern:
        return any(fnmatchcase(part, pattern) for part in parts)
    prefixes = ("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return any(fnmatchcase(prefix, pattern) for prefix in prefixes)


def find_sources(folder: Path, exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
                 is_theme: bool = False) -> SourceFiles:
    found = SourceFiles()
    for root, dirs, files in os.walk(folder):
        relative_root = Path(root).relative_to(folder).as_posix()
        relative_root = "" if relative_root == "." else relative_root + "/"
        # a folder left out is not walked, unless an --include names it (node_modules/ can be huge)
        pruned = sorted(d for d in dirs if any(matches(d, p) for p in exclude)
                        or (any(matches(d, p) for p in DEFAULT_EXCLUDES) and not _named_by(d, include)))
        found.excluded_folders += [f"{relative_root}{d}/" for d in pruned if not d.startswith(".")]
        dirs[:] = sorted(d for d in dirs if d not in pruned)
        for name in files:
            relative = relative_root + name
            kind = _kind(relative, is_theme)
            if kind is None or not (folder / relative).is_file():
                continue
            if not _wanted(relative, exclude, include):
                found.excluded += 1
                continue
            getattr(found, kind).append(relative)
    for paths in (found.php, found.js, found.block_json, found.theme_json):
        paths.sort()
    return found


def _kind(relative: str, is_theme: bool) -> str | None:
    name = relative.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower.endswith(".php"):
        return "php"
    if lower.endswith(JS_SUFFIXES):
        return "js"
    if name == "block.json":
        return "block_json"
    if name == "theme.json" or (is_theme and relative.startswith("styles/") and lower.endswith(".json")):
        return "theme_json"
    return None


def _named_by(part: str, patterns: tuple[str, ...]) -> bool:
    """A pattern names this folder or file literally (``vendor/acme/*`` names ``vendor``)."""
    return any(part in pattern.strip().strip("/").split("/") for pattern in patterns)


def _wanted(relative: str, exclude: tuple[str, ...], include: tuple[str, ...]) -> bool:
    """Read unless excluded; with --include, only what matches one. A default exclusion (vendor/,
    *.min.js…) is lifted only by an include that names the excluded part, as WP-CLI's more specific
    pattern wins: ``--include '*.php'`` does not bring vendor/ back, ``--include 'vendor/acme/*'`` does."""
    including = [p for p in include if matches(relative, p)]
    if include and not including:
        return False
    if any(matches(relative, p) for p in exclude):
        return False
    excluded_parts = [part for part in relative.split("/") if any(fnmatchcase(part, p) for p in DEFAULT_EXCLUDES)]
    return all(_named_by(part, tuple(including)) for part in excluded_parts)

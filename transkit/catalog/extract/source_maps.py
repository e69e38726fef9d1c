"""Source maps (``build/index.js.map``): the code a bundle was built from, read as make-pot reads it.

A bundle keeps its gettext calls, but a minifier renames the functions they call (``__( 'Hi' )``
becomes ``i("Hi")``) and drops their ``translators:`` comments; a map's ``sourcesContent`` holds the
sources as they were written. Their calls count for the built file (``build/index.js``: its JSON translation
is the one WordPress loads) at the line of the built file the map places them on, where make-pot
counts lines in its sources joined end to end. A source bundled from ``node_modules/`` ships in the
built file and is read, as make-pot reads it; only what the user's ``--exclude`` names is left out.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

MAP_SUFFIXES = (".js.map", ".mjs.map", ".cjs.map")
_BASE64 = {char: value for value, char in
           enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
# "webpack://my-plugin/./src/edit.js", "webpack:///src/edit.js", "../src/edit.js" -> src/edit.js
_SOURCE_PREFIX = re.compile(r"^(?:[a-z][a-z0-9+.-]*://[^/]*)?/*(?:\.{1,2}/)*")


def named_map(built: bytes) -> str | None:
    """The map a built file's last ``//# sourceMappingURL=`` comment names: its file name, "an inline
    map" for a data: URL, None when it names none (a bundled library's code that writes such
    comments is no comment of its own: only one alone on its line counts)."""
    value = None
    for found in _MAP_COMMENT.finditer(built):
        value = found.group(1)
    if value is None:
        return None
    if value.startswith(b"data:"):
        return "an inline map"
    return value.split(b"?", 1)[0].rsplit(b"/", 1)[-1].decode("utf-8", "replace")


_MAP_COMMENT = re.compile(rb"^[ \t]*//[#@][ \t]*sourceMappingURL=(\S+)[ \t]*\r?$", re.MULTILINE)


def built_file(map_path: str) -> str:
    """The file a map is of: ``build/index.js.map`` -> ``build/index.js``."""
    return map_path[:-len(".map")]


def source_path(name: str) -> str:
    """A source's name as a path inside the project, for the exclusions (a bundler's own prefix off)."""
    return _SOURCE_PREFIX.sub("", name.split("?", 1)[0])


@dataclass
class SourceMap:
    sources: list[tuple[int, str, str]]  # (index in the map, name, text) of each source with a text
    mappings: str = ""
    _positions: dict[int, tuple[list[tuple[int, int]], list[int]]] | None = field(default=None, repr=False)

    def built_line(self, source: int, line: int, column: int = 0) -> int | None:
        """The line of the built file the map places ``line`` (1-based), ``column`` (0-based, UTF-16
        units, as maps count) of source ``source`` on: the mapped position nearest before it on its
        line (a call inside a JSX attribute is not where its element is), else the line's first
        one, else the last one above; None when nothing at or above it is mapped."""
        if self._positions is None:
            self._positions = _built_lines(self.mappings)
        original, built = self._positions.get(source, ((), ()))
        at = bisect.bisect_right(original, (line - 1, column)) - 1
        if at + 1 < len(original) and original[at + 1][0] == line - 1 and (at < 0 or original[at][0] != line - 1):
            at += 1  # the line is mapped only after the column: its first position
        return built[at] + 1 if at >= 0 else None


class SourceMapError(ValueError):
    """Not a source map this reader can use: ``(line, message)``."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def read_source_map(text: str) -> SourceMap:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceMapError(exc.lineno, f"not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise SourceMapError(None, "not a source map (no JSON object)")
    if "sections" in data:  # an index map: a map of maps, which bundlers for WordPress do not write
        raise SourceMapError(None, "an index source map (\"sections\"), which is not read")
    contents, names = data.get("sourcesContent"), data.get("sources")
    if not isinstance(contents, list):
        return SourceMap([])  # only the sources' names: their files are read where the project has them
    names = names if isinstance(names, list) else []
    sources = [(index, names[index] if index < len(names) and isinstance(names[index], str) else "", content)
               for index, content in enumerate(contents) if isinstance(content, str)]
    mappings = data.get("mappings")
    return SourceMap(sources, mappings if isinstance(mappings, str) else "")


def _built_lines(mappings: str) -> dict[int, tuple[list[tuple[int, int]], list[int]]]:
    """source -> (its mapped (line, column) positions, sorted; the first built line each is mapped
    from), 0-based, from the Base64 VLQ segments of ``mappings`` (source, line and column are deltas
    over the whole map)."""
    first: dict[tuple[int, int, int], int] = {}
    source = original_line = original_column = 0
    for built_line, segments in enumerate(mappings.split(";")):
        for segment in segments.split(","):
            fields = _vlq(segment)
            if len(fields) < 4:
                continue  # empty, or a position mapped to no source
            source += fields[1]
            original_line += fields[2]
            original_column += fields[3]
            first.setdefault((source, original_line, original_column), built_line)
    positions: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}
    for (source, line, column), built in sorted(first.items()):
        original, built_lines = positions.setdefault(source, ([], []))
        original.append((line, column))
        built_lines.append(built)
    return positions


def source_column(source: bytes, position: int) -> int:
    """The column of byte ``position`` of a source, in UTF-16 units as a map counts them."""
    prefix = source[source.rfind(b"\n", 0, position) + 1:position]
    return len(prefix) if prefix.isascii() else len(prefix.decode("utf-8", "replace").encode("utf-16-le")) // 2


def _vlq(segment: str) -> list[int]:
    values, value, shift = [], 0, 0
    for char in segment:
        digit = _BASE64.get(char)
        if digit is None:
            return []  # not Base64 VLQ: the segment places nothing
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        values.append(-(value >> 1) if value & 1 else value >> 1)
        value = shift = 0
    return values

"""Faithful PO/POT reading and writing.

Why not polib alone: polib re-wraps every entry on save (a one-string fix becomes a 10,000-line diff
in a WP-CLI template) and rejects valid files with ``#@ domain`` lines. Here each entry remembers the
exact lines it was read from and a snapshot of its fields; on save an untouched entry writes those
lines back, and a modified one re-renders only the parts (comment kinds, fields, header lines) that
changed, in the file's own style. Line endings, BOM, charset, trailing text and missing final newline
are kept by construction: lines are split on "\\n" only and re-joined with "\\n".
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from transkit.catalog.model import Catalog, Entry
from transkit.catalog.rebase import digest, rebase_onto
from transkit.errors import CatalogError
from transkit.files import atomic_write, save_lock

if TYPE_CHECKING:  # pragma: no cover
    from transkit.config import Identity

BOM = b"\xef\xbb\xbf"
_CHARSET_RE = re.compile(rb"charset\s*=\s*([A-Za-z0-9_.:-]+)", re.I)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f",
            "v": "\v", "'": "'", "?": "?"}
_ESCAPE_RE = re.compile(r'\\(?:([ntr\\"abfv\'?])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.S)
_UNESCAPED_QUOTE_RE = re.compile(r'(?<!\\)(?:\\\\)*"')
_ESCAPE_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
               "\b": "\\b", "\f": "\\f", "\v": "\\v"}
_NEEDS_ESCAPE_RE = re.compile(r'[\\"\n\t\r\a\b\f\v]')


@dataclass
class FileStyle:
    """How a file is written, detected on load so edited entries match their neighbours."""

    encoding: str = "utf-8"  # Python codec name
    bom: bool = False
    newline: str = "\n"  # for new lines; existing lines keep their own ending
    wrap_width: int = 79  # 0 = never wrap (xgettext --no-wrap, WP-CLI)
    references_per_line: bool = False  # WP-CLI: one "#: file:line" per line


# -- strings ------------------------------------------------------------------------------------
def unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def replace(match: re.Match) -> str:
        simple, octal, hexa, bad = match.groups()
        if simple is not None:
            return _ESCAPES[simple]
        code = int(octal, 8) if octal is not None else int(hexa, 16) if hexa is not None else None
        if code is None:
            raise ValueError(f"invalid escape sequence \\{bad}")
        if code > 0x7F:
            # in C (msgfmt) an octal/hex escape is one raw byte, not a character: "\\377" puts byte
            # 0xFF (invalid UTF-8) in the .mo and "\\xD800" a NUL; no reading of it is faithful
            raise ValueError(f"escape {match.group()!r} stands for a raw byte (or no character at all); "
                             "write the character itself")
        return chr(code)

    return _ESCAPE_RE.sub(replace, text)


def escape(text: str) -> str:
    if not _NEEDS_ESCAPE_RE.search(text):
        return text
    return _NEEDS_ESCAPE_RE.sub(lambda m: _ESCAPE_OUT[m.group()], text)


def _parse_string(token: str, path, lineno: int) -> str:
    """``"abc\\n"`` (already stripped) → ``abc\n``."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise CatalogError(f"expected a quoted string, found {token[:40]!r}", path, lineno)
    body = token[1:-1]
    if '"' in body and _UNESCAPED_QUOTE_RE.search(body):
        raise CatalogError("unescaped double quote inside a string", path, lineno)
    if body.endswith("\\") and (len(body) - len(body.rstrip("\\"))) % 2:
        raise CatalogError("string ends with a lone backslash", path, lineno)
    try:
        return unescape(body)
    except ValueError as exc:
        raise CatalogError(str(exc), path, lineno) from None


# -- reading ------------------------------------------------------------------------------------
def _detect_encoding(data: bytes, path) -> str:
    match = _CHARSET_RE.search(data, 0, 65536)
    charset = match.group(1).decode("ascii") if match else "utf-8"
    if charset.upper() in ("CHARSET", ""):
        charset = "utf-8"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r} in the Content-Type header", path,
                           data[: match.start()].count(b"\n") + 1 if match else None) from None


def _decode(data: bytes, encoding: str, path, declared: bool) -> tuple[str, str]:
    """(text, encoding actually used)."""
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        if not declared:
            # no charset in the header: msgfmt passes such bytes through; latin-1 keeps them 1:1
            return data.decode("latin-1"), "latin-1"
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"bytes not valid in the file's charset ({encoding})", path, line) from None


def load_catalog(path: str | os.PathLike) -> Catalog:
    """Read a PO/POT file. Raises CatalogError (with path and line) for anything malformed."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("no such file", path) from None
    except IsADirectoryError:
        raise CatalogError("is a folder, not a catalog file", path) from None
    except OSError as exc:
        raise CatalogError(exc.strerror or str(exc), path) from None
    return parse_catalog(data, path)


def parse_catalog(data: bytes, path: str | os.PathLike | None = None) -> Catalog:
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM):]
    if b"\x00" in data[:4096] and not bom:
        raise CatalogError("binary data (is this a .mo file?)", path, data[:data.index(b"\x00")].count(b"\n") + 1)
    encoding = _detect_encoding(data, path)
    declared = _CHARSET_RE.search(data, 0, 65536) is not None
    text, encoding = _decode(data, encoding, path, declared)
    lines = text.split("\n")
    style = FileStyle(encoding=encoding, bom=bom, newline="\r\n" if lines[0].endswith("\r") else "\n")
    problems: list = []
    if bom:
        problems.append((None, 1, "the file starts with a UTF-8 byte-order mark, which GNU msgfmt 0.21 "
                                  "rejects as a syntax error"))
    entries, trailer, longest, refs_multi, refs_seen = _parse_lines(lines, path, problems)
    style.wrap_width = 0 if longest > 80 else 79
    style.references_per_line = not refs_multi if refs_seen else style.wrap_width == 0
    catalog = Catalog(entries, path=path, style=style)
    catalog.syntax_problems = problems
    catalog._trailer = trailer
    catalog._source_digest = digest(BOM + data if bom else data)
    return catalog


def _parse_lines(lines: list[str], path, problems: list):
    """The state machine. Returns (entries, trailer lines, longest string line, refs packed?, refs?).
    What msgfmt rejects but can be kept verbatim goes to ``problems`` as (entry, line, message)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    start = 0  # first raw line of the current entry (blank lines before it included)
    last_content = -1  # last line that belongs to the current entry
    field: str | None = None  # field that continuation strings append to
    plural_index = 0
    has_msgid = has_msgstr = False
    tcomments: list[str] = []
    xcomments: list[str] = []
    longest = 0
    refs_multi = refs_seen = False

    def finish(end: int) -> None:
        nonlocal entry, start, has_msgid, has_msgstr, field, tcomments, xcomments
        if tcomments:
            entry.tcomment = "\n".join(tcomments)
        if xcomments:
            entry.comment = "\n".join(xcomments)
        entry._raw = lines[start:end + 1]
        entry._snapshot = entry._fields()
        entries.append(entry)
        start = end + 1
        entry = None
        has_msgid = has_msgstr = False
        field = None
        tcomments = []
        xcomments = []

    def store(value: str) -> None:
        if field == "msgstr_plural":
            entry.msgstr_plural[plural_index] += value
        else:
            setattr(entry, field, (getattr(entry, field) or "") + value)

    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        lineno = index + 1
        obsolete = False
        first = line[0]
        if first == "#":
            second = line[1:2]
            if second == "~":
                line = line[2:].strip()
                obsolete = True
                if line.startswith("|"):
                    second = "|"
                    line = "#" + line
                elif not line:
                    raise CatalogError("empty obsolete (#~) line", path, lineno)
                else:
                    first = line[0]
            if not obsolete or second == "|":
                if has_msgstr:
                    finish(last_content)
                if entry is None:
                    entry = Entry()
                last_content = index
                if second == ":":
                    refs = line[2:].split()
                    if len(refs) > 1:
                        refs_multi = True
                    refs_seen = True
                    entry.references.extend(refs)
                elif second == ",":
                    entry.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
                elif second == ".":
                    xcomments.append(line[3:] if line[2:3] == " " else line[2:])
                elif second == "|":
                    field = _parse_previous(entry, line[2:].strip(), path, lineno, field, problems)
                elif second != "@":
                    text = raw.lstrip()[1:].rstrip("\r")
                    tcomments.append(text[1:] if text[:1] == " " else text)
                # "#@ domain" lines (polylang, events-manager) are kept in the raw lines only
                continue
        if first == '"':
            if field is None or entry is None:
                raise CatalogError("string without a keyword before it", path, lineno)
            store(_parse_string(line, path, lineno))
            last_content = index
            if len(raw) > longest:
                longest = len(raw)
            continue
        keyword, _, rest = line.partition(" ")
        if "\t" in keyword:
            keyword, rest = (line.split(None, 1) + [""])[:2]
        rest = rest.strip()
        if keyword in ("msgctxt", "msgid") and has_msgstr:
            finish(last_content)
        if entry is None:
            entry = Entry()
        if obsolete:
            entry.obsolete = True
        last_content = index
        if len(raw) > longest:
            longest = len(raw)
        value = _parse_string(rest, path, lineno)
        if keyword == "msgid":
            if has_msgid:
                raise CatalogError("msgid without a msgstr before it", path, lineno)
            has_msgid = True
            entry.lineno = lineno
            entry.msgid = value
            field = "msgid"
        elif keyword == "msgctxt":
            if has_msgid or entry.msgctxt is not None:
                raise CatalogError("msgctxt in the wrong place", path, lineno)
            entry.msgctxt = value
            field = "msgctxt"
        elif keyword == "msgid_plural":
            if not has_msgid or has_msgstr:
                raise CatalogError("msgid_plural without a msgid before it", path, lineno)
            entry.msgid_plural = value
            field = "msgid_plural"
        elif keyword == "msgstr":
            if not has_msgid:
                raise CatalogError("msgstr without a msgid before it", path, lineno)
            has_msgstr = True
            entry.msgstr = value
            field = "msgstr"
            if entry.msgid_plural:
                problems.append((entry, lineno, "msgid_plural with a plain msgstr: the translation needs "
                                                "msgstr[0], msgstr[1]… (msgfmt: syntax error; it would be lost)"))
        elif keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit():
            if not has_msgid:
                raise CatalogError("msgstr[] without a msgid before it", path, lineno)
            has_msgstr = True
            plural_index = int(keyword[7:-1])
            if plural_index in entry.msgstr_plural:
                raise CatalogError(f"{keyword} given twice", path, lineno)
            if not entry.msgid_plural:
                problems.append((entry, lineno, f"{keyword} without a msgid_plural (msgfmt: missing "
                                                "'msgid_plural' section)"))
            elif plural_index != len(entry.msgstr_plural):
                problems.append((entry, lineno, f"{keyword} where msgstr[{len(entry.msgstr_plural)}] was "
                                                "expected (msgfmt: plural form has wrong index; the forms "
                                                "would shift)"))
            entry.msgstr_plural[plural_index] = value
            field = "msgstr_plural"
        else:
            raise CatalogError(f"unexpected text {line[:40]!r}", path, lineno)

    if entry is not None:
        if not has_msgstr:
            if has_msgid:
                raise CatalogError("entry has no msgstr", path, (entry.lineno or len(lines)))
            # comments after the last entry: kept as trailing text
            return entries, lines[start:], longest, refs_multi, refs_seen
        finish(last_content)
    return entries, lines[start:], longest, refs_multi, refs_seen


def _parse_previous(entry: Entry, text: str, path, lineno: int, field: str | None, problems: list) -> str:
    if text.startswith('"'):
        if field not in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
            raise CatalogError("#| string without a keyword before it", path, lineno)
        setattr(entry, field, getattr(entry, field) + _parse_string(text, path, lineno))
        return field
    keyword, rest = (text.split(None, 1) + [""])[:2]
    name = {"msgctxt": "previous_msgctxt", "msgid": "previous_msgid",
            "msgid_plural": "previous_msgid_plural"}.get(keyword)
    if name is None:
        raise CatalogError(f"unexpected #| line {text[:40]!r}", path, lineno)
    if getattr(entry, name) is not None:
        problems.append((entry, lineno, f"#| {keyword} given twice (msgfmt: syntax error)"))
    setattr(entry, name, _parse_string(rest.strip(), path, lineno))
    return name


# -- header -------------------------------------------------------------------------------------
def parse_header(msgstr: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in msgstr.split("\n"):
        name, sep, value = line.partition(":")
        if sep and name.strip():
            fields[name.strip()] = value.strip()
    return fields


def set_header_field(msgstr: str, name: str, value: str) -> str:
    """Replace one ``Name: value`` line, or append it; every other line stays as it was."""
    lines = msgstr.split("\n")
    for index, line in enumerate(lines):
        key, sep, _ = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            lines[index] = f"{key}: {value}"
            return "\n".join(lines)
    if msgstr and not msgstr.endswith("\n"):
        msgstr += "\n"
    return f"{msgstr}{name}: {value}\n"


# -- writing ------------------------------------------------------------------------------------
_RANK = {"tcomment": 0, "other": 0, "comment": 1, "refs": 2, "flags": 3, "prev": 4,
         "field:msgctxt": 5, "field:msgid": 6, "field:msgid_plural": 7, "field:msgstr": 8}
_PREVIOUS = (("msgctxt", "previous_msgctxt"), ("msgid", "previous_msgid"),
             ("msgid_plural", "previous_msgid_plural"))


def _rank(kind: str) -> float:
    if kind.startswith("field:msgstr["):
        return 8 + int(kind[13:-1]) / 1000
    return _RANK.get(kind, -1)


def _split_logical(value: str) -> list[str]:
    """Split after each newline, as gettext does when it writes a multi-line string."""
    pieces = value.split("\n")
    chunks = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        chunks.append(pieces[-1])
    return chunks


def _wrap(escaped: str, width: int) -> list[str]:
    """Greedy wrap after spaces, never inside a word or an escape sequence."""
    if width <= 0 or len(escaped) <= width:
        return [escaped]
    pieces = []
    while len(escaped) > width:
        cut = escaped.rfind(" ", 0, width)
        if cut <= 0:
            cut = escaped.find(" ", width)
            if cut < 0:
                break
        pieces.append(escaped[: cut + 1])
        escaped = escaped[cut + 1:]
    if escaped:
        pieces.append(escaped)
    return pieces


class _Renderer:
    def __init__(self, style: FileStyle):
        self.style = style
        self.eol = "\r" if style.newline == "\r\n" else ""

    def string(self, keyword: str, value: str, prefix: str = "", old: list[str] | None = None) -> list[str]:
        """Lines for ``keyword "value"``. With the field's old lines, unchanged logical lines of a
        multi-line string (header fields!) are written back as they were."""
        width = self.style.wrap_width
        chunks = _split_logical(value)
        single = f'{prefix}{keyword} "{escape(value)}"'
        if len(chunks) <= 1 and (not width or len(single) <= width):
            return [single + self.eol]
        old_logical = _old_logical_lines(old) if old else {}
        lines = [f'{prefix}{keyword} ""{self.eol}']
        for chunk in chunks:
            if chunk in old_logical:
                lines.extend(old_logical[chunk])
                continue
            inner = width - len(prefix) - 2 if width else 0
            lines.extend(f'{prefix}"{piece}"{self.eol}' for piece in _wrap(escape(chunk), inner))
        return lines

    def comment_kind(self, kind: str, entry: Entry) -> list[str]:
        eol = self.eol
        if kind == "tcomment":
            return [(f"# {text}" if text else "#") + eol for text in entry.tcomment.split("\n")] if entry.tcomment else []
        if kind == "comment":
            return [(f"#. {text}" if text else "#.") + eol for text in entry.comment.split("\n")] if entry.comment else []
        if kind == "flags":
            return [f"#, {', '.join(entry.flags)}{eol}"] if entry.flags else []
        if kind == "refs":
            if not entry.references:
                return []
            if self.style.references_per_line:
                return [f"#: {ref}{eol}" for ref in entry.references]
            lines, current = [], "#:"
            for ref in entry.references:
                if len(current) > 2 and self.style.wrap_width and len(current) + 1 + len(ref) > self.style.wrap_width:
                    lines.append(current + eol)
                    current = "#:"
                current += " " + ref
            return lines + [current + eol]
        if kind == "prev":
            prefix = "#~| " if entry.obsolete else "#| "
            lines = []
            for keyword, attr in _PREVIOUS:
                value = getattr(entry, attr)
                if value is not None:
                    lines.extend(self.string(keyword, value, prefix))
            return lines
        raise AssertionError(kind)

    def field(self, kind: str, entry: Entry, old: list[str] | None = None) -> list[str]:
        prefix = "#~ " if entry.obsolete else ""
        name = kind[6:]
        if name == "msgctxt":
            return [] if entry.msgctxt is None else self.string("msgctxt", entry.msgctxt, prefix, old)
        if name == "msgid":
            return self.string("msgid", entry.msgid, prefix, old)
        if name == "msgid_plural":
            return self.string("msgid_plural", entry.msgid_plural, prefix, old) if entry.msgid_plural else []
        if name == "msgstr":
            return [] if entry.is_plural else self.string("msgstr", entry.msgstr, prefix, old)
        index = int(name[7:-1])
        if not entry.is_plural or index not in entry.msgstr_plural:
            return []
        return self.string(name, entry.msgstr_plural[index], prefix, old)

    def kinds_of(self, entry: Entry) -> list[str]:
        """Every part the entry has now, in gettext's canonical order."""
        kinds = [k for k, present in (
            ("tcomment", entry.tcomment), ("comment", entry.comment), ("refs", entry.references),
            ("flags", entry.flags),
            ("prev", any(getattr(entry, a) is not None for _, a in _PREVIOUS)),
            ("field:msgctxt", entry.msgctxt is not None)) if present]
        kinds += ["field:msgid"]
        if entry.is_plural:
            kinds += ["field:msgid_plural"] + [f"field:msgstr[{i}]" for i in sorted(entry.msgstr_plural)]
        else:
            kinds += ["field:msgstr"]
        return kinds

    def part(self, kind: str, entry: Entry, old: list[str] | None = None) -> list[str]:
        return self.field(kind, entry, old) if kind.startswith("field:") else self.comment_kind(kind, entry)


def _old_logical_lines(old: list[str]) -> dict[str, list[str]]:
    """Map each logical line (text up to and including a newline) of an old multi-line string to the
    physical lines that wrote it."""
    result: dict[str, list[str]] = {}
    text, physical = "", []
    for raw in old[1:]:
        stripped = raw.strip()
        if stripped.startswith("#"):
            stripped = stripped.lstrip("#~| ")
        try:
            text += unescape(stripped[1:-1])
        except ValueError:
            return {}
        physical.append(raw)
        if text.endswith("\n"):
            result.setdefault(text, physical)
            text, physical = "", []
    if text:
        result.setdefault(text, physical)
    return result


def _classify(raw: list[str]) -> list[tuple[str, list[str]]]:
    """Split an entry's raw lines into parts: blank, comment kinds (one line each) and fields."""
    segments: list[tuple[str, list[str]]] = []
    for line in raw:
        text = line.strip()
        if not text:
            segments.append(("blank", [line]))
            continue
        if text.startswith("#~") and not text.startswith("#~|"):
            text = text[2:].strip()
        elif text.startswith("#"):
            kind = {":": "refs", ",": "flags", ".": "comment", "|": "prev", "@": "other"}.get(text[1:2], "tcomment")
            if text.startswith("#~|"):
                kind = "prev"
            segments.append((kind, [line]))
            continue
        if text.startswith('"') and segments and segments[-1][0].startswith("field:"):
            segments[-1][1].append(line)
            continue
        segments.append(("field:" + text.split(None, 1)[0], [line]))
    return segments


def _changed_kinds(entry: Entry) -> set[str]:
    before = entry._snapshot
    changed = set()
    for kind, index, now in (
        ("field:msgid", 0, entry.msgid), ("field:msgstr", 1, entry.msgstr),
        ("field:msgid_plural", 2, entry.msgid_plural), ("field:msgctxt", 4, entry.msgctxt),
        ("flags", 5, tuple(entry.flags)), ("tcomment", 6, entry.tcomment),
        ("comment", 7, entry.comment), ("refs", 8, tuple(entry.references)),
    ):
        if before[index] != now:
            changed.add(kind)
    if before[9:12] != (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural):
        changed.add("prev")
    old_plural = dict(before[3])
    for index in set(old_plural) | set(entry.msgstr_plural):
        if old_plural.get(index) != entry.msgstr_plural.get(index):
            changed.add(f"field:msgstr[{index}]")
    return changed


def render_entry(entry: Entry, style: FileStyle, first: bool = False) -> list[str]:
    renderer = _Renderer(style)
    raw = entry._raw
    if raw is not None and entry._snapshot is not None and not entry.is_modified:
        return raw
    segments = _classify(raw) if raw else []
    lead = []
    while segments and segments[0][0] == "blank":
        lead.extend(segments.pop(0)[1])
    if raw is None and not first:
        lead = [renderer.eol]
    structural = (raw is None or entry._snapshot is None or entry._snapshot[12] != entry.obsolete
                  or bool(entry._snapshot[2]) != entry.is_plural)
    if structural:
        body = [line for kind, lines in segments if kind == "other" for line in lines]
        for kind in renderer.kinds_of(entry):
            body.extend(renderer.part(kind, entry))
        return lead + body
    changed = _changed_kinds(entry)
    present = {kind for kind, _ in segments}
    pending = sorted((k for k in renderer.kinds_of(entry) if k not in present), key=_rank)
    body, emitted = [], set()
    for kind, lines in segments:
        while pending and kind not in ("blank", "other") and _rank(pending[0]) < _rank(kind):
            body.extend(renderer.part(pending.pop(0), entry))
        if kind in changed:
            if kind not in emitted:
                emitted.add(kind)
                body.extend(renderer.part(kind, entry, lines))
        else:
            body.extend(lines)
    for kind in pending:
        body.extend(renderer.part(kind, entry))
    return lead + body


def _render_entries(catalog: Catalog) -> list[list[str]]:
    rendered: list[list[str]] = []
    for entry in catalog.all_entries:
        rendered.append(render_entry(entry, catalog.style, first=not rendered))
    return rendered


def render_catalog(catalog: Catalog, rendered: list[list[str]] | None = None) -> str:
    if rendered is None:
        rendered = _render_entries(catalog)
    return "\n".join([line for lines in rendered for line in lines] + catalog._trailer)


def _header_encoding(catalog: Catalog) -> str:
    match = re.search(r"charset\s*=\s*([A-Za-z0-9_.:-]+)", catalog.header.get("Content-Type", ""), re.I)
    if match and match.group(1).upper() != "CHARSET":
        try:
            return codecs.lookup(match.group(1)).name
        except LookupError:
            pass
    return catalog.style.encoding


def encode_catalog(catalog: Catalog, rendered: list[list[str]] | None = None) -> bytes:
    text = render_catalog(catalog, rendered)
    encoding = _header_encoding(catalog)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text[: exc.start].count("\n") + 1
        raise CatalogError(f"{text[exc.start]!r} cannot be written in the file's charset ({encoding})",
                           catalog.path, line) from None
    return BOM + data if catalog.style.bom else data


def save_catalog(catalog: Catalog, path=None, identity: "Identity | None" = None) -> Path:
    target = Path(path) if path is not None else catalog.path
    if target is None:
        raise CatalogError("no path to save to")
    in_place = catalog.path is not None and Path(target).resolve() == Path(catalog.path).resolve()
    # Path.resolve follows symlinks: a linked PO is compared, locked and written as its target
    with save_lock(target):
        if in_place and catalog._source_digest is not None:
            try:
                current = Path(target).read_bytes()
            except FileNotFoundError:
                current = None
            if current is not None and digest(current) != catalog._source_digest:
                rebase_onto(catalog, parse_catalog(current, target))  # someone else wrote it meanwhile
        if identity is not None and identity.is_set and any(
            e.is_modified for e in catalog.all_entries if not e.is_header
        ):
            catalog.set_header("PO-Revision-Date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z"))
            catalog.set_header("Last-Translator", identity.as_header())
        rendered = _render_entries(catalog)
        data = encode_catalog(catalog, rendered)
        atomic_write(target, data)
    if in_place:
        # what is on disk is now the baseline: a later save changes only what changes after this one
        for entry, lines in zip(catalog.all_entries, rendered):
            entry._raw, entry._snapshot = lines, entry._fields()
        catalog._source_digest = digest(data)
    return target

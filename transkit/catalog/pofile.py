"""Faithful PO/POT reading (writing is ``writer.py``, the locked save ``save.py``).

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
from pathlib import Path

from transkit.catalog.model import BOM, Catalog, Entry, FileStyle, no_cyclic_gc
from transkit.catalog.rebase import digest
from transkit.errors import CatalogError
from transkit.files import open_for_reading

# A charset name in a Content-Type header: what msgfmt and the reader take for one. Anything else
# after "charset=" ("\xffUTF-8") is no charset: the bytes are read (and compiled) as they are.
CHARSET_NAME = r"charset\s*=\s*([A-Za-z0-9_.:-]+)"
_CHARSET_RE = re.compile(CHARSET_NAME.encode("ascii"), re.I)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f",
            "v": "\v", "'": "'", "?": "?"}
_ESCAPE_RE = re.compile(r'\\(?:([ntr\\"abfv\'?])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.S)
_UNESCAPED_QUOTE_RE = re.compile(r'(?<!\\)(?:\\\\)*"')


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
    with open_for_reading(path) as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise CatalogError(exc.strerror or str(exc), path) from None
    return parse_catalog(data, path)


def parse_catalog(data: bytes, path: str | os.PathLike | None = None) -> Catalog:
    with no_cyclic_gc():  # a big catalog is hundreds of thousands of objects, none in a cycle
        return _parse_catalog(data, path)


def _parse_catalog(data: bytes, path: str | os.PathLike | None) -> Catalog:
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
    catalog.trailer = trailer
    catalog.source_digest = digest(BOM + data if bom else data)
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
        entry.source_lines = lines[start:end + 1]
        entry.snapshot = entry.fields()
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
            if entry.msgid_plural:
                problems.append((entry, lineno, "msgid_plural given twice (msgfmt: syntax error)"))
            entry.msgid_plural = value
            field = "msgid_plural"
        elif keyword == "msgstr":
            if not has_msgid:
                raise CatalogError("msgstr without a msgid before it", path, lineno)
            if has_msgstr:
                problems.append((entry, lineno, "a second msgstr for one msgid (msgfmt: syntax error)"))
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



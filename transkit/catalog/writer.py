"""Writing a PO/POT catalog: untouched entries as the lines they were read from, edited ones
re-rendered only where they changed, in the file's own style (wrap width, references per line,
line endings, charset, BOM). Reading is ``pofile.py``; the locked save is ``save.py``."""

from __future__ import annotations

import codecs
import re

from transkit.catalog.model import BOM, Catalog, Entry, FileStyle
from transkit.catalog.pofile import unescape
from transkit.errors import CatalogError

_ESCAPE_OUT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
               "\b": "\\b", "\f": "\\f", "\v": "\\v"}
_NEEDS_ESCAPE_RE = re.compile(r'[\\"\n\t\r\a\b\f\v]')


def escape(text: str) -> str:
    # isprintable() is False for every control character escaped: three C scans beat one regex search
    if text.isprintable() and '"' not in text and "\\" not in text or not _NEEDS_ESCAPE_RE.search(text):
        return text
    return _NEEDS_ESCAPE_RE.sub(lambda m: _ESCAPE_OUT[m.group()], text)


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
        if value.find("\n", 0, len(value) - 1) < 0:  # one logical line: no newline before the last character
            single = f'{prefix}{keyword} "{escape(value)}"'
            if not width or len(single) <= width:
                return [single + self.eol]
        chunks = _split_logical(value)
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

    def whole(self, entry: Entry, lines: list[str]) -> list[str]:
        """Append every part of the entry, rendered afresh, to ``lines``: what ``part`` gives for each of
        ``kinds_of``, in one pass (a new template has tens of thousands of entries, all written so)."""
        eol, width = self.eol, self.style.wrap_width
        if entry.tcomment:
            lines += self.comment_kind("tcomment", entry)
        if entry.comment:
            lines += self.comment_kind("comment", entry)
        if entry.references:
            if self.style.references_per_line:
                lines += [f"#: {ref}{eol}" for ref in entry.references]
            else:
                lines += self.comment_kind("refs", entry)
        if entry.flags:
            lines.append(f"#, {', '.join(entry.flags)}{eol}")
        if entry.previous_msgctxt is not None or entry.previous_msgid is not None or \
                entry.previous_msgid_plural is not None:
            lines += self.comment_kind("prev", entry)
        prefix = "#~ " if entry.obsolete else ""

        def put(keyword: str, value: str) -> None:
            if width or value.find("\n", 0, len(value) - 1) >= 0:
                lines.extend(self.string(keyword, value, prefix))
            else:  # string()'s unwrapped single-line case, inline
                lines.append(f'{prefix}{keyword} "{escape(value)}"{eol}')

        if entry.msgctxt is not None:
            put("msgctxt", entry.msgctxt)
        put("msgid", entry.msgid)
        if entry.msgid_plural:
            put("msgid_plural", entry.msgid_plural)
            forms = entry.msgstr_plural
            for index in sorted(forms):
                put(f"msgstr[{index}]", forms[index])
        else:
            put("msgstr", entry.msgstr)
        return lines

    def new_entry_text(self, entry: Entry, first: bool) -> str | None:
        """``"\\n".join(render_entry(entry))`` for a new, live entry in a file that is never wrapped
        (WP-CLI's, so every template transkit builds), in one string: a big template has 35,000 such
        entries. None when the entry is not that kind (then render_entry is the way)."""
        style = self.style
        references = entry.references
        if entry.source_lines is not None or style.wrap_width or entry.obsolete or entry.tcomment or \
                entry.previous_msgid is not None or entry.previous_msgctxt is not None or \
                entry.previous_msgid_plural is not None or (references and not style.references_per_line):
            return None
        eol = self.eol
        newline = eol + "\n"
        parts = [] if first else [newline]  # joined once at the end
        comment = entry.comment
        if comment:
            if "\n" in comment:
                parts += [(f"#. {line}" if line else "#.") + newline for line in comment.split("\n")]
            else:
                parts.append(f"#. {comment}{newline}")
        if references:
            parts.append(f"#: {references[0]}{newline}" if len(references) == 1 else
                         "#: " + f"{newline}#: ".join(references) + newline)
        flags = entry.flags
        if flags:
            parts.append(f"#, {', '.join(flags)}{newline}")
        msgctxt, msgid, plural, msgstr = entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr
        # a template's strings: usually nothing to escape in any of them (one test for all, not one each)
        together = f"{msgctxt or ''}{msgid}{plural}{msgstr}"
        plain = together.isprintable() and '"' not in together and "\\" not in together
        if plain:
            parts.append(f'msgctxt "{msgctxt}"{newline}msgid "{msgid}"{eol}' if msgctxt is not None else
                         f'msgid "{msgid}"{eol}')
        else:
            field = self._field_text
            if msgctxt is not None:
                parts.append(field("msgctxt", msgctxt) + newline)
            parts.append(field("msgid", msgid))
        if plural:
            forms = entry.msgstr_plural
            parts.append(f'{newline}msgid_plural "{plural}"{eol}' if plain else
                         newline + self._field_text("msgid_plural", plural))
            if forms == _EMPTY_PAIR:
                parts.append(f'{newline}msgstr[0] ""{newline}msgstr[1] ""{eol}')
            else:
                field = self._field_text
                parts += [newline + field(f"msgstr[{index}]", forms[index]) for index in sorted(forms)]
        elif not msgstr:
            parts.append(f'{newline}msgstr ""{eol}')
        else:
            parts.append(newline + self._field_text("msgstr", msgstr))
        return "".join(parts)

    def _field_text(self, keyword: str, value: str) -> str:
        """``keyword "value"`` (unwrapped) as lines joined by "\\n", without the last line's end."""
        if value.isprintable() and '"' not in value and "\\" not in value:  # most strings: nothing to escape
            return f'{keyword} "{value}"{self.eol}'
        if value.find("\n", 0, len(value) - 1) >= 0:
            return "\n".join(self.string(keyword, value))
        return f'{keyword} "{escape(value)}"{self.eol}'

    def part(self, kind: str, entry: Entry, old: list[str] | None = None) -> list[str]:
        return self.field(kind, entry, old) if kind.startswith("field:") else self.comment_kind(kind, entry)


_EMPTY_PAIR = {0: "", 1: ""}


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
    before = entry.snapshot
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


def render_entry(entry: Entry, style: FileStyle, first: bool = False, renderer: _Renderer | None = None) -> list[str]:
    renderer = renderer or _Renderer(style)
    raw = entry.source_lines
    if raw is None:  # a new entry: every part afresh, after a blank line
        return renderer.whole(entry, [] if first else [renderer.eol])
    if entry.snapshot is not None and not entry.is_modified:
        return raw
    segments = _classify(raw) if raw else []
    lead = []
    while segments and segments[0][0] == "blank":
        lead.extend(segments.pop(0)[1])
    structural = (entry.snapshot is None or entry.snapshot[12] != entry.obsolete
                  or bool(entry.snapshot[2]) != entry.is_plural)
    if structural:
        return renderer.whole(entry, lead + [line for kind, lines in segments if kind == "other" for line in lines])
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
    renderer = _Renderer(catalog.style)
    for entry in catalog.all_entries:
        rendered.append(render_entry(entry, catalog.style, not rendered, renderer))
    return rendered


def render_catalog(catalog: Catalog, rendered: list[list[str]] | None = None) -> str:
    if rendered is not None:
        return "\n".join([line for lines in rendered for line in lines] + catalog.trailer)
    renderer, style, chunks = _Renderer(catalog.style), catalog.style, []
    for index, entry in enumerate(catalog.all_entries):
        text = renderer.new_entry_text(entry, index == 0)
        if text is None:
            lines = render_entry(entry, style, index == 0, renderer)
            if not lines:
                continue
            text = "\n".join(lines)
        chunks.append(text)
    return "\n".join(chunks + catalog.trailer)


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



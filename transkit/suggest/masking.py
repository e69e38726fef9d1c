"""Protect placeholders from machine translation, and check they all came back.

A source string is turned into a small XML document that DeepL (``tag_handling="xml"``) moves around
but does not translate:

* placeholders (printf ``%s %1$s %.2f %-10s %%``, python ``%(name)s``, ``%plural%``,
  ``%%sitename%%``, ``{name}``, ``{{x}}``, ``###X###``, shortcodes (``[gallery]``, ``[/caption]``,
  ``[gallery id="1"]``; ``[block rendering halted]`` is text), URLs, e-mail addresses, HTML
  entities, control characters) and malformed or void HTML (``<br>``, an unclosed ``<b>``) become empty elements
  ``<x id="3"/>``; they contain no text, so nothing in them can be altered and nothing is billed;
* well-formed inline HTML pairs (``<a href="%s">…</a>``) become ``<g id="4">…</g>`` so the engine can
  move the pair with its words; the original tags (attributes included) never leave the machine;
* ``& < >`` in the text are escaped, and leading/trailing whitespace is cut off and later restored
  from the source, since engines trim or reflow it.

``unmask`` rebuilds the string and refuses (``MaskError`` with a reason a reviewer can read) when a
token is missing, duplicated or unknown, a tag pair is unbalanced, non-positional printf
placeholders changed order, or line breaks were added or lost.

What is a placeholder is decided by ``transkit.checks.placeholders`` (the vocabulary the checks use
afterwards, aware of the entry's ``*-format`` flags and of the catalog's rules); this module only
turns its spans into tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from transkit.checks.placeholders import PlaceholderRules, find_placeholders

__all__ = ["MaskError", "MaskedText", "mask", "unmask", "try_unmask"]

_TAG_PARTS_RE = re.compile(r"<(/?)([A-Za-z][\w:.-]*)")
_VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)

# What may come back from the engine: our two element kinds, any other tag (an error), entities.
_RETURNED_RE = re.compile(
    r"""
    (?P<x><x\s+id\s*=\s*["'](?P<xid>\d+)["']\s*(?:/>|>\s*</x\s*>))
  | (?P<gopen><g\s+id\s*=\s*["'](?P<gid>\d+)["']\s*>)
  | (?P<gclose></g\s*>)
  | (?P<othertag></?[A-Za-z][^<>]*>)
  | (?P<entity>&(?:[A-Za-z][A-Za-z0-9]*|\#\d+|\#[xX][0-9A-Fa-f]+);)
    """,
    re.VERBOSE,
)
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_EDGE_WHITESPACE_RE = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)


class MaskError(ValueError):
    """The engine's output cannot be turned back into a safe translation; ``reason`` says why."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class MaskedText:
    """A source string ready to send: ``xml`` is the trimmed body with tokens in it."""

    source: str
    xml: str
    leading: str
    trailing: str
    placeholders: dict[int, str] = field(default_factory=dict)  # x id -> original text
    tags: dict[int, tuple[str, str]] = field(default_factory=dict)  # g id -> (open, close)
    ordered_ids: tuple[int, ...] = ()  # non-positional printf tokens, in source order
    plain_text: str = ""  # the text outside every token: what gets billed

    @property
    def billable_characters(self) -> int:
        """Unicode code points DeepL bills for this text (tags are not billed in XML mode)."""
        return len(self.plain_text)

    @property
    def needs_translation(self) -> bool:
        """False when nothing but placeholders, digits and punctuation is left (``%s: %d``)."""
        return any(char.isalpha() for char in self.plain_text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape_entity(entity: str) -> str:
    body = entity[1:-1]
    if body.startswith("#x") or body.startswith("#X"):
        return chr(int(body[2:], 16))
    if body.startswith("#"):
        return chr(int(body[1:]))
    return _XML_ENTITIES.get(body, entity)


def _scan(core: str, flags: Iterable[str], rules: PlaceholderRules | None) -> list[tuple[str, str]]:
    """Split into (kind, text) pieces: kind is "text", a placeholder kind, "open", "close" or
    "voidtag"."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for placeholder in find_placeholders(core, flags, rules):
        if placeholder.start > position:
            pieces.append(("text", core[position:placeholder.start]))
        pieces.append((placeholder.kind, placeholder.text))
        position = placeholder.end
    if position < len(core):
        pieces.append(("text", core[position:]))
    classified: list[tuple[str, str]] = []
    for kind, text in pieces:
        if kind == "tag":
            parts = _TAG_PARTS_RE.match(text)
            if parts is None or text.endswith("/>") or parts.group(2).lower() in _VOID_ELEMENTS:
                kind = "voidtag"  # comments, <br>, <img .../>
            else:
                kind = "close" if parts.group(1) else "open"
        classified.append((kind, text))
    return classified


def _pair_tags(pieces: list[tuple[str, str]]) -> dict[int, int]:
    """Index of each open tag -> index of its close tag, for properly nested pairs only."""
    pairs: dict[int, int] = {}
    stack: list[tuple[int, str]] = []
    for index, (kind, text) in enumerate(pieces):
        if kind == "open":
            stack.append((index, _TAG_PARTS_RE.match(text).group(2).lower()))
        elif kind == "close":
            name = _TAG_PARTS_RE.match(text).group(2).lower()
            if any(open_name == name for _, open_name in stack):
                while stack:  # anything opened inside and never closed stays unpaired
                    open_index, open_name = stack.pop()
                    if open_name == name:
                        pairs[open_index] = index
                        break
    return pairs


def mask(text: str, flags: Iterable[str] = (), rules: PlaceholderRules | None = None) -> MaskedText:
    """Turn ``text`` into the XML body to send, remembering how to undo it. ``flags`` are the
    entry's flags (``php-format`` makes PHP's rules decide what a directive is), ``rules`` its
    catalog's (``transkit.checks.placeholders.rules_for_catalog``)."""
    leading, core, trailing = _EDGE_WHITESPACE_RE.match(text).groups()
    pieces = _scan(core, flags, rules)
    pairs = _pair_tags(pieces)
    closes = {close_index: open_index for open_index, close_index in pairs.items()}
    placeholders: dict[int, str] = {}
    tags: dict[int, tuple[str, str]] = {}
    ordered_ids: list[int] = []
    xml_parts: list[str] = []
    plain_parts: list[str] = []
    next_id = 1
    for index, (kind, piece) in enumerate(pieces):
        if kind == "text":
            xml_parts.append(_escape(piece))
            plain_parts.append(piece)
        elif index in pairs:
            tags[next_id] = (piece, pieces[pairs[index]][1])
            xml_parts.append(f'<g id="{next_id}">')
            next_id += 1
        elif index in closes:
            xml_parts.append("</g>")
        else:
            placeholders[next_id] = piece
            if kind == "printf" and "$" not in piece and piece != "%%":
                ordered_ids.append(next_id)
            xml_parts.append(f'<x id="{next_id}"/>')
            next_id += 1
    return MaskedText(
        source=text,
        xml="".join(xml_parts),
        leading=leading,
        trailing=trailing,
        placeholders=placeholders,
        tags=tags,
        ordered_ids=tuple(ordered_ids),
        plain_text="".join(plain_parts),
    )


def unmask(masked: MaskedText, translated_xml: str) -> str:
    """The translation with every token put back; raises ``MaskError`` when it is not safe."""
    body = translated_xml.strip()
    output: list[str] = []
    seen_placeholders: list[int] = []
    open_stack: list[int] = []
    seen_tags: set[int] = set()
    position = 0

    def text_until(end: int) -> None:
        output.append(body[position:end])

    for match in _RETURNED_RE.finditer(body):
        text_until(match.start())
        position = match.end()
        kind = match.lastgroup
        if kind == "x":
            token_id = int(match.group("xid"))
            if token_id not in masked.placeholders:
                raise MaskError(f"unknown placeholder token {token_id} in the translation")
            if token_id in seen_placeholders:
                raise MaskError(f"placeholder {masked.placeholders[token_id]!r} appears twice")
            seen_placeholders.append(token_id)
            output.append(masked.placeholders[token_id])
        elif kind == "gopen":
            tag_id = int(match.group("gid"))
            if tag_id not in masked.tags:
                raise MaskError(f"unknown tag token {tag_id} in the translation")
            if tag_id in seen_tags:
                raise MaskError(f"tag {masked.tags[tag_id][0]!r} appears twice")
            seen_tags.add(tag_id)
            open_stack.append(tag_id)
            output.append(masked.tags[tag_id][0])
        elif kind == "gclose":
            if not open_stack:
                raise MaskError("a closing tag has no opening tag")
            output.append(masked.tags[open_stack.pop()][1])
        elif kind == "othertag":
            raise MaskError(f"unexpected markup {match.group()!r} in the translation")
        else:
            output.append(_unescape_entity(match.group()))
    text_until(len(body))

    missing = [masked.placeholders[i] for i in masked.placeholders if i not in seen_placeholders]
    if missing:
        raise MaskError("placeholder(s) lost in translation: " + ", ".join(missing))
    missing_tags = [masked.tags[i][0] for i in masked.tags if i not in seen_tags]
    if missing_tags:
        raise MaskError("tag(s) lost in translation: " + ", ".join(missing_tags))
    if open_stack:
        raise MaskError(f"tag {masked.tags[open_stack[-1]][0]!r} is not closed")
    returned_order = [i for i in seen_placeholders if i in masked.ordered_ids]
    if returned_order != list(masked.ordered_ids):
        raise MaskError(
            "non-positional placeholders changed order (use %1$s-style placeholders): "
            + " ".join(masked.placeholders[i] for i in returned_order)
        )
    result = "".join(output)
    core = masked.source[len(masked.leading):len(masked.source) - len(masked.trailing)]
    if result.count("\n") != core.count("\n"):
        raise MaskError(
            f"line breaks changed: {core.count(chr(10))} in the source, "
            f"{result.count(chr(10))} in the translation"
        )
    return masked.leading + result + masked.trailing


def try_unmask(masked: MaskedText, translated_xml: str) -> tuple[str | None, str | None]:
    """``(text, None)`` on success, ``(None, reason)`` when the translation must not be used."""
    try:
        return unmask(masked, translated_xml), None
    except MaskError as error:
        return None, error.reason

"""Compiled catalogs (``.mo``, ``.l10n.php``) read back as a ``Catalog`` of their messages, so the
memory can learn from a language pack WordPress installed without its PO.

``.mo`` goes through the validated reader (``mofile.read_mo``). ``.l10n.php`` is PHP returning an
array (``WP_Translation_File_PHP``): it is never executed; its literals are tokenised — single-quoted
strings (only ``\\\\`` and ``\\'`` are escapes), double-quoted escapes such as ``"\\0"`` concatenated
with ``.``, as ``var_export`` and WP-CLI write them — and anything else is a CatalogError.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from transkit.catalog.model import Catalog, Entry
from transkit.errors import CatalogError
from transkit.catalog.mofile import read_mo

_TOKEN_RE = re.compile(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\$]|\\.)*)"|(=>|\.|,|\[|\]|\(|\)|;|array\b|return\b|NULL\b|<\?php))""",
                       re.S | re.I)
_DOUBLE_ESCAPES = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|[nrtvef\\$\"])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "e": "\x1b", "f": "\f", "\\": "\\", "$": "$", '"': '"'}
CONTEXT_SEPARATOR = "\x04"


def _catalog(path: Path, header: dict[str, str], messages) -> Catalog:
    entries = [Entry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in header.items()))]
    for msgctxt, msgid, msgid_plural, forms in messages:
        entry = Entry(msgid=msgid, msgctxt=msgctxt, msgid_plural=msgid_plural or "")
        if entry.msgid_plural or len(forms) > 1:
            entry.msgstr_plural = dict(enumerate(forms))
            entry.msgid_plural = entry.msgid_plural or msgid  # .l10n.php keeps only the singular
        else:
            entry.msgstr = forms[0] if forms else ""
        entries.append(entry)
    return Catalog(entries, path)


def load_mo_as_catalog(path: str | os.PathLike) -> Catalog:
    mo = read_mo(path)
    return _catalog(Path(path), dict(mo.header),
                    [(m.msgctxt, m.msgid, m.msgid_plural or "", list(m.translations)) for m in mo.messages])


def _tokens(text: str, path: Path):
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None or match.end() == position:
            line = text.count("\n", 0, position) + 1
            raise CatalogError(f"not a translation file WordPress writes: unexpected {text[position:position + 20]!r}",
                               path, line)
        single, double, symbol = match.groups()
        if single is not None:
            yield "str", re.sub(r"\\([\\'])", r"\1", single)
        elif double is not None:
            yield "str", _DOUBLE_ESCAPES.sub(_double_escape, double)
        else:
            yield symbol.lower(), None
        position = match.end()


def _double_escape(match: re.Match) -> str:
    code = match.group(1)
    if code[0] == "x":
        return chr(int(code[1:], 16))
    if code[0].isdigit():
        return chr(int(code, 8))
    return _SIMPLE[code]


def read_l10n_php(path: str | os.PathLike) -> tuple[dict[str, str], list[tuple]]:
    """(header under the array's keys, [(msgctxt, msgid, "", forms)]) of a ``.l10n.php`` file."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read: {exc}", path) from None
    values: list = []  # a flat walk: key => value pairs at depth 1, messages at depth 2
    stack: list[list] = []
    pending: list[str] = []
    current = values
    for kind, value in _tokens(text, path):
        if kind == "str":
            pending.append(value)
        elif kind == ".":
            continue
        elif kind in ("[", "("):
            stack.append(current)
            current.append(("array", []))
            current = current[-1][1]
        elif kind in ("]", ")"):
            if pending:
                current.append("".join(pending))
                pending = []
            if not stack:
                raise CatalogError("not a translation file WordPress writes: unbalanced brackets", path)
            current = stack.pop()
        elif kind in ("=>", ","):
            if pending:
                current.append("".join(pending))
                pending = []
            if kind == "=>":
                current.append("=>")
        elif kind == "null":
            current.append(None)
    top = next((v[1] for v in values if isinstance(v, tuple)), None)
    if top is None:
        raise CatalogError("not a translation file WordPress writes: no array returned", path)
    pairs = _pairs(top)
    header = {k: v for k, v in pairs.items() if isinstance(v, str)}
    messages = []
    for key, value in _pairs(pairs.get("messages", ("array", []))[1]).items():
        if not isinstance(value, str):
            continue
        msgctxt, sep, msgid = key.partition(CONTEXT_SEPARATOR)
        if not sep:
            msgctxt, msgid = None, key
        messages.append((msgctxt, msgid, "", value.split("\0")))
    return header, messages


def _pairs(items: list) -> dict:
    """``[key, "=>", value, key, "=>", value, …]`` → ``{key: value}``."""
    if len(items) % 3 or any(items[i] != "=>" for i in range(1, len(items), 3)):
        raise CatalogError("not a translation file WordPress writes: an array that is not key => value")
    return {items[i]: items[i + 2] for i in range(0, len(items), 3)}


def load_l10n_php_as_catalog(path: str | os.PathLike) -> Catalog:
    header, messages = read_l10n_php(path)
    names = {"language": "Language", "domain": "X-Domain", "plural-forms": "Plural-Forms"}
    return _catalog(Path(path), {names.get(k, k): v for k, v in header.items() if isinstance(v, str)}, messages)

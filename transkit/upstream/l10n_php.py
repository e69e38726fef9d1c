"""WordPress ``.l10n.php`` files (WordPress 6.5+ loads them before the ``.mo``).

The file is PHP that returns an array, as WP-CLI ``wp i18n make-php`` writes it and
``WP_Translation_File_PHP`` reads it: header values under lower-case keys (``domain``,
``plural-forms``, ``language``, ``pot-creation-date``, ``po-revision-date``, ``project-id-version``,
``x-generator``), then ``messages``: original => translation, where a context is prefixed as
``"ctx\\x04msgid"``, the key of a plural entry is its singular msgid and the value its forms joined by
NUL.

Every string is written as a single-quoted PHP literal, in which only ``\\`` and ``'`` are special; a
NUL becomes ``"\\0"`` concatenated between literals, as PHP's own ``var_export`` does (other
control characters become ``"\\xHH"``). So nothing a
translation holds (``?>``, ``<?php``, ``$x``, ``{$x}``, newlines, quotes) can end the string or be
executed. The file is UTF-8 whatever the catalog's charset.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

from transkit.catalog import Catalog, Entry
from transkit.upstream.mo import CONTEXT_SEPARATOR, is_compiled, write_atomically

# PO header name -> key in the PHP array, in the order WP-CLI writes them after language
_HEADER_KEYS = {
    "POT-Creation-Date": "pot-creation-date",
    "PO-Revision-Date": "po-revision-date",
    "Project-Id-Version": "project-id-version",
    "X-Generator": "x-generator",
}


_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f\x7f])")


def php_string(value: str) -> str:
    """A PHP expression that evaluates to exactly ``value``.

    Control characters other than tab and newline are written as ``"\\xHH"`` (NUL as ``"\\0"``, as
    ``var_export`` does) so no raw CR or NUL sits in the file for a mail or diff tool to mangle.
    """
    pieces = []
    for index, part in enumerate(_CONTROL.split(value)):
        if index % 2:
            pieces.append('"\\0"' if part == "\0" else f'"\\x{ord(part):02x}"')
        else:
            pieces.append("'" + part.replace("\\", "\\\\").replace("'", "\\'") + "'")
    return " . ".join(p for i, p in enumerate(pieces) if p != "''" or len(pieces) == 1)


def php_value(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, dict):
        return "[" + ",".join(f"{php_value(k)}=>{php_value(v)}" for k, v in value.items()) + "]"
    return php_string(str(value))


def php_messages(entries: Iterable[Entry]) -> dict[str, str]:
    messages: dict[str, str] = {}
    for entry in entries:
        if entry.is_header or not is_compiled(entry):
            continue
        key = entry.msgid if entry.msgctxt is None else entry.msgctxt + CONTEXT_SEPARATOR + entry.msgid
        messages.setdefault(key, "\0".join(entry.translations))
    return messages


def l10n_php_data(catalog: Catalog, entries: Iterable[Entry] | None = None,
                  domain: str | None = None) -> dict:
    """The array the file returns, as a Python dict (same keys, same order)."""
    header = catalog.header
    data: dict = {
        "domain": header.get("X-Domain") or domain or None,
        "plural-forms": header.get("Plural-Forms") or None,
    }
    if catalog.language:
        data["language"] = catalog.language
    for name, value in header.items():
        if name in _HEADER_KEYS:
            data[_HEADER_KEYS[name]] = value
    data["messages"] = php_messages(catalog.entries if entries is None else entries)
    return data


def render_l10n_php(catalog: Catalog, entries: Iterable[Entry] | None = None,
                    domain: str | None = None) -> str:
    return "<?php\nreturn " + php_value(l10n_php_data(catalog, entries, domain)) + ";\n"


def write_l10n_php(catalog: Catalog, path: str | os.PathLike, entries: Iterable[Entry] | None = None,
                   domain: str | None = None) -> Path:
    text = render_l10n_php(catalog, entries, domain)
    return write_atomically(Path(path), text.encode("utf-8", "surrogatepass"))


def l10n_php_path(po_path: str | os.PathLike) -> Path:
    """``languages/x-it_IT.po`` -> ``languages/x-it_IT.l10n.php`` (the name WordPress looks for)."""
    po_path = Path(po_path)
    return po_path.with_name(po_path.stem + ".l10n.php")

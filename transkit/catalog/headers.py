"""The header of a catalog file without reading the whole catalog: discovery asks it of every file
(which locale, which domain) and must stay cheap on a wp-content holding hundreds of them.

``.po``/``.pot``: the first ``msgid ""`` entry in the first 64 KiB; ``.mo``: the translation of the
empty msgid; ``.l10n.php``: the array's scalar keys (``language``, ``domain``, …) mapped back to
header names. An unreadable file has an empty header (reading it fully reports the error).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from transkit.catalog.locales import catalog_stem
from transkit.catalog.model import parse_header
from transkit.catalog.pofile import unescape
from transkit.errors import CatalogError
from transkit.catalog.mofile import read_mo

_HEAD_BYTES = 65536
_PO_HEADER_RE = re.compile(
    r'^msgid[ \t]+""[ \t]*\r?\nmsgstr[ \t]+((?:"(?:[^"\\\r\n]|\\.)*"[ \t]*\r?\n?)+)', re.M)
_PO_STRING_RE = re.compile(r'"((?:[^"\\\r\n]|\\.)*)"')
_CHARSET_RE = re.compile(r"charset=([A-Za-z0-9_.:-]+)")
_L10N_KEY_RE = re.compile(r"""['"]([a-z-]+)['"]\s*=>\s*['"]((?:[^'"\\]|\\.)*)['"]""")
_L10N_HEADERS = {"language": "Language", "domain": "X-Domain", "plural-forms": "Plural-Forms",
                 "project-id-version": "Project-Id-Version", "x-generator": "X-Generator"}


def read_header(path: str | os.PathLike) -> dict[str, str]:
    """Header fields of a ``.po``/``.pot``/``.mo``/``.l10n.php`` file ({} when it has none)."""

    path = Path(path)
    kind = catalog_stem(path.name)[1]
    try:
        if kind in ("po", "pot"):
            return _po_header(path)
        if kind in ("mo", "gmo"):
            return _mo_header(path)
        if kind == "l10n.php":
            return _l10n_php_header(path)
    except (OSError, ValueError, UnicodeDecodeError, CatalogError):
        return {}
    return {}


def _po_header(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    text = head.decode("latin-1")  # ASCII field names; values re-decoded in the declared charset
    match = _PO_HEADER_RE.search(text)
    if match is None:
        return {}
    raw = "".join(_PO_STRING_RE.findall(match.group(1)))
    charset = _CHARSET_RE.search(raw)
    try:
        raw = raw.encode("latin-1").decode(charset.group(1) if charset else "utf-8")
    except (LookupError, UnicodeDecodeError):
        pass
    try:
        return parse_header(unescape(raw))
    except ValueError:
        return {}


def _mo_header(path: Path) -> dict[str, str]:
    return dict(read_mo(path).header)


def _l10n_php_header(path: Path) -> dict[str, str]:
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES).decode("utf-8", "replace")
    head = head.split("'messages'", 1)[0].split('"messages"', 1)[0]
    return {_L10N_HEADERS[key]: value for key, value in _L10N_KEY_RE.findall(head) if key in _L10N_HEADERS}

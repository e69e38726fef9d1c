"""Find the parts of a message that a translation must carry over unchanged.

``find_placeholders`` is shared by the checks (compare source and translation) and by the DeepL
provider (mask these spans before machine translation, unmask after), so it returns exact spans that
never overlap, in text order.

Kinds: ``printf`` (``%s``, ``%1$s``, ``%.2f``, ``%%``), ``python`` (``%(name)s``), ``brace``
(``{name}``, ``{{name}}``, ``{0}``), ``glotpress`` (``###NAME###``), ``tag`` (``<a href="…">``,
``</a>``, ``<br/>``), ``entity`` (``&amp;``, ``&#8217;``), ``url`` and ``email``.

Without a ``*-format`` flag, printf is recognised conservatively (GlotPress's rule: no flags, so that
"100% sure" is prose); with ``php-format``/``c-format`` the gettext parser of that language decides,
so ``% 1s`` (valid PHP: space-padded string) is found as DeepL wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from transkit.checks.formats import FORMAT_FLAGS, PARSERS, InvalidFormat


@dataclass(frozen=True)
class Placeholder:
    kind: str
    text: str
    start: int
    end: int


# Order matters: earlier alternatives win where spans would overlap (a URL's "%20" is part of the URL).
_PATTERNS = [
    ("url", r"\b(?:https?|ftp)://[^\s<>\"'\])]*[^\s<>\"'\]).,;:!?]|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)])?"),
    ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b"),
    ("tag", r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s+[^<>]*?)?/?>|<!--.*?-->"),
    ("entity", r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"),
    ("glotpress", r"###[A-Z][A-Z0-9_]*###"),
    ("python", r"%\([A-Za-z_][\w.-]*\)[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"),
    ("printf", r"%%|%(?:[1-9]\d*\$)?(?:\.\d+)?(?:l{1,2}|h{1,2})?[bcdeEfFgGiosuxX@]"),
    ("brace", r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}|\{[A-Za-z_0-9][\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"),
]
_COMBINED = re.compile("|".join(f"(?P<{kind.replace('-', '_')}>{pattern})" for kind, pattern in _PATTERNS))
_PRINTF_FLAGS = {"c-format": "c", "php-format": "php", "python-format": "python"}


def find_placeholders(text: str, flags: Iterable[str] = ()) -> list[Placeholder]:
    """Every placeholder of ``text``, in order, without overlaps.

    ``flags`` are the entry's flags; a ``c-format``/``php-format``/``python-format`` flag makes the
    format directives those of that language (found with gettext's rules). ``no-*-format`` flags
    turn the conservative printf recognition off.
    """
    if not text:
        return []
    flags = tuple(flags)
    format_kinds = [FORMAT_FLAGS[f] for f in flags if f in FORMAT_FLAGS]
    precise_spans: list[tuple[int, int]] = []
    for kind in format_kinds:
        if kind == "python-brace":
            continue
        try:
            precise_spans.extend(PARSERS[kind](text, True).spans)
        except InvalidFormat:
            pass
    skip_printf = bool(precise_spans) or any(f.startswith("no-") and f in _NO_PRINTF for f in flags)
    found: list[Placeholder] = []
    if "%" in text or "<" in text or "&" in text or "{" in text or "#" in text or "@" in text \
            or "://" in text or "www." in text:
        for match in _COMBINED.finditer(text):
            kind = match.lastgroup
            if kind in ("printf", "python") and skip_printf:
                continue
            found.append(Placeholder(kind, match.group(), match.start(), match.end()))
    if precise_spans:
        occupied = [(p.start, p.end) for p in found]
        for start, end in sorted(set(precise_spans)):
            if not any(s < end and start < e for s, e in occupied):
                found.append(Placeholder("printf" if not text.startswith("%(", start) else "python",
                                         text[start:end], start, end))
        found.sort(key=lambda p: p.start)
    return found


_NO_PRINTF = {"no-c-format", "no-php-format", "no-python-format"}


def placeholder_texts(placeholders: Iterable[Placeholder], kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [p.text for p in placeholders if p.kind in wanted]
